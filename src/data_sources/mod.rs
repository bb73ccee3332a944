//! Data sources: look-ups of existing Halo objects, one file each.

use crate::framework::resource::AnyDataSource;

/// Every data source type the provider serves.
pub fn all() -> Vec<Box<dyn AnyDataSource>> {
    Vec::new()
}
