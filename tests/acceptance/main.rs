//! The acceptance tests: one binary, one module per resource type or concern.
//! Each test drives real Terraform and the provider built from this tree against
//! halo-sim, the HaloPSA emulator, running in-process; `support` is the shared
//! harness (working directories, plan and state JSON, diagnostics, imports).
//!
//! Run one module with a name filter: `cargo test --test acceptance organisation::`.

mod support;

// Every other file here is a module of its own, declared by this macro (a file
// added is found at the next build, crates/acceptance-modules): resources and
// data sources by type name (`team.rs` for `halopsa_team`), the rest by concern
// (`doctor`, `live_safety`, `schema`, `write_only`, ...).
acceptance_modules::modules!();
