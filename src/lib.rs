//! The HaloPSA Terraform provider as a library: the binary in `main.rs` serves it,
//! and tests and tools (docs generator, benchmarks) use its parts directly.

pub mod data_sources;
pub mod doctor;
pub mod ephemeral;
pub mod framework;
pub mod functions;
pub mod halo;
pub mod logging;
pub mod plugin;
pub mod provider;
pub mod resources;
pub mod server;
