//! Data source `halopsa_client`: one client (customer, active or not), by name or
//! id, optionally within one department.

use super::{Lookup, LookupFilter, NoExtra};
use crate::halo::Client;
use crate::resources::{ClientResource, CLIENT_DEPARTMENT};

pub struct ClientLookup;

impl Lookup for ClientLookup {
    const TYPE_NAME: &'static str = "halopsa_client";
    const DESCRIPTION: &'static str =
        "Looks up one existing client (customer, active or not) by `name` (exact, \
         case-sensitive) or `id`; with both, both must match. `department_id` narrows \
         the search to one department. Finding none or several is an error.";
    type Source = ClientResource;
    type Extra = NoExtra;

    fn filters() -> Vec<LookupFilter<Client>> {
        vec![LookupFilter {
            parent: &CLIENT_DEPARTMENT,
            description: "The id of the department (\"top level\") the client sits in. When \
                          set, only that department's clients match (to tell apart clients \
                          of the same name).",
        }]
    }
}
