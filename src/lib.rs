//! The HaloPSA Terraform provider as a library: the binary in `main.rs` serves it,
//! and tests and tools (docs generator, benchmarks) use its parts directly.

//!
//! The public surface is what those users need: the plugin server and logging
//! (the binary), `doctor` and `sweep` (its subcommands), the framework's types and the provider's
//! catalog (docs generator, tests), the Halo client. Resources and data sources are
//! private to the crate.

mod data_sources;
pub mod doctor;
mod ephemeral;
pub mod framework;
mod functions;
mod halo;
pub mod logging;
pub mod plugin;
pub mod provider;
mod resources;
pub mod server;
pub mod sweep;
