//! The acceptance tests: one binary, one module per resource type or concern.
//! Each test drives real Terraform and the provider built from this tree against
//! halo-sim, the HaloPSA emulator, running in-process; `support` is the shared
//! harness (working directories, plan and state JSON, diagnostics, imports).
//!
//! Run one module with a name filter: `cargo test --test acceptance organisation::`.

mod support;

// Resources.
mod agent;
mod agent_department;
mod api_application;
mod api_object;
mod api_setting;
mod category;
mod client;
mod custom_field;
mod department;
mod field_group;
mod organisation;
mod outcome;
mod role;
mod role_department;
mod sla;
mod status;
mod team;
mod ticket_type;
mod webhook;
mod workday;

// Data sources, list resources and whole-tenant import.
mod data_sources;
mod data_sources_agent_role;
mod import_tenant;

// Modules.
mod integration_module;

// The live mode (the suite against a Halo known by its URL only) and its safety.
mod live;
mod live_safety;

// The provider as a whole.
mod bad_input;
mod batch_creates;
mod doctor;
mod examples;
mod export;
mod harness_smoke;
mod plugin_handshake;
mod provider_config;
mod real_tenant;
mod references;
mod release_package;
mod reliability;
mod schema;
mod shared_budget;
mod soak;

// Newer Terraform features and the versions tested.
mod ephemeral;
mod functions;
mod version_matrix;
mod write_only;
