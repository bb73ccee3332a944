//! Terraform plugin protocol 6 for Rust, in three layers (docs/architecture.md):
//!
//! - [`plugin`]: the go-plugin handshake, AutoMTLS, the controller, stdio and health
//!   services, and the generated protobuf bindings;
//! - [`server`]: the tfplugin6 `Provider` service, built from a
//!   [`ProviderDefinition`](server::ProviderDefinition) that the binary injects;
//! - [`framework`]: values and their codec, models declared once
//!   ([`model!`]), schemas, diagnostics, planning, validation and the traits that
//!   resources, data sources, ephemeral resources and functions implement.
//!
//! The crate depends on no provider's code: a provider crate depends on it, never the
//! other way round, so the build refuses a back edge.

pub mod framework;
pub mod plugin;
pub mod server;
