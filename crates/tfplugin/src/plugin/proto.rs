//! Generated gRPC bindings: the Terraform plugin protocol v6 (`tfplugin6`)
//! and the go-plugin support services (`plugin`: `GRPCController`,
//! `GRPCStdio`). The code is produced by `build.rs`; lints are relaxed for
//! the generated modules only.

/// Terraform plugin protocol version 6 (wire-compatible with 6.10).
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    dead_code,
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    rustdoc::all
)]
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's `GRPCController` and `GRPCStdio` services.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    dead_code,
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    rustdoc::all
)]
pub mod plugin {
    tonic::include_proto!("plugin");
}

/// The protobuf well-known types referenced by the protocols above
/// (`google.protobuf.Timestamp`, `google.protobuf.Empty`), generated locally
/// so no `prost-types` dependency is needed.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    dead_code,
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    rustdoc::all
)]
pub mod google {
    /// `google.protobuf` package.
    pub mod protobuf {
        tonic::include_proto!("google.protobuf");
    }
}
