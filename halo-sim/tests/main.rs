//! halo-sim's integration tests, one binary (a module per area) instead of one
//! per file, each linking the crate again.

mod common;

mod api;
mod contract;
mod families;
mod generic;
mod modules;
mod support;
