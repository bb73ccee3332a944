//! Data source `halopsa_department`: one department, by name or id, optionally
//! within one organisation.

use super::{Lookup, LookupFilter, NoExtra};
use crate::halo::Department;
use crate::resources::{DepartmentResource, IN_ORGANISATION};

pub struct DepartmentLookup;

impl Lookup for DepartmentLookup {
    const TYPE_NAME: &'static str = "halopsa_department";
    const DESCRIPTION: &'static str =
        "Looks up one existing department by `name` (exact, case-sensitive) or `id`; with \
         both, both must match. `organisation_id` narrows the search to one \
         organisation. Finding none or several is an error.";
    type Source = DepartmentResource;
    type Extra = NoExtra;

    fn filters() -> Vec<LookupFilter<Department>> {
        vec![LookupFilter {
            parent: &IN_ORGANISATION,
            description: "The id of the organisation the department belongs to. When set, only \
                          that organisation's departments match (to tell apart departments of \
                          the same name).",
        }]
    }
}
