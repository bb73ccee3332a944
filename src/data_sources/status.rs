//! Data source `halopsa_status`: one ticket status, by name or id, e.g. a status
//! Halo comes with ("New", "Closed") that actions refer to.

use super::{Lookup, NoExtra};
use crate::resources::StatusResource;

pub struct StatusLookup;

impl Lookup for StatusLookup {
    const TYPE_NAME: &'static str = "halopsa_status";
    const DESCRIPTION: &'static str =
        "Looks up one ticket status by `name` (exact, case-sensitive) or `id`; with \
         both, both must match. Finding none or several is an error.";
    type Source = StatusResource;
    type Extra = NoExtra;
}
