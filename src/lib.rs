//! The HaloPSA Terraform provider as a library: the binary in `main.rs` serves it,
//! and tests and tools (docs generator, benchmarks) use its parts directly.

//!
//! The public surface is what those users need: the plugin server and logging
//! (the binary), `doctor` and `sweep` (its subcommands), the framework's types and the
//! provider's catalog (docs generator, tests), the Halo client. Resources and data sources are
//! private to the crate.
//!
//! The layers below are crates of their own, so a back edge does not build:
//! `tfplugin` (plugin protocol, server, framework) knows no Halo code, and
//! `halo-client` (the HTTP client) knows no Terraform code. They are re-exported
//! under the module names the provider's code uses (`crate::framework`,
//! `crate::halo`, ...).

mod args;
#[cfg(test)]
mod attribute_literals;
mod data_sources;
pub mod doctor;
mod ephemeral;
pub mod export;
mod functions;
pub mod logging;
pub mod provider;
mod resources;
#[cfg(test)]
mod served;
mod session;
pub mod sweep;

pub use tfplugin::{framework, model, plugin, server};

pub(crate) use halo_client as halo;
