//! Data sources: look-ups of existing Halo objects, one file each.

pub mod agent;
pub mod role;
mod single_match;

use crate::framework::resource::AnyDataSource;

/// Every data source type the provider serves.
pub fn all() -> Vec<Box<dyn AnyDataSource>> {
    vec![
        Box::new(agent::AgentDataSource),
        Box::new(role::RoleDataSource),
    ]
}
