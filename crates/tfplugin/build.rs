//! Compiles the Terraform plugin protocol (tfplugin6) and the go-plugin
//! controller/stdio services into Rust with tonic + prost.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=build.rs");

    let protoc = protoc_bin_vendored::protoc_bin_path()
        .map_err(|e| format!("locating vendored protoc: {e}"))?;
    let well_known = protoc_bin_vendored::include_path()
        .map_err(|e| format!("locating vendored protobuf includes: {e}"))?;

    // Point prost-build at the vendored protoc directly rather than mutating
    // the process environment (PROTOC).
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(&protoc);

    let protos: [PathBuf; 3] = [
        "proto/tfplugin6.proto".into(),
        "proto/grpc_controller.proto".into(),
        "proto/grpc_stdio.proto".into(),
    ];
    let includes: [PathBuf; 2] = ["proto".into(), well_known];

    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        // Generate google.protobuf.{Timestamp,Empty} locally instead of
        // requiring the prost-types crate.
        .compile_well_known_types(true)
        .compile_with_config(config, &protos, &includes)
        .map_err(|e| format!("compiling protos with {}: {e}", protoc.display()))?;

    Ok(())
}
