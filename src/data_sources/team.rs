//! Data source `halopsa_team`: one team (active or not), by name or id, optionally
//! within one department.

use super::{Lookup, LookupFilter, NoExtra};
use crate::halo::Team;
use crate::resources::{TeamResource, TEAM_DEPARTMENT};

pub struct TeamLookup;

impl Lookup for TeamLookup {
    const TYPE_NAME: &'static str = "halopsa_team";
    const DESCRIPTION: &'static str =
        "Looks up one existing team (active or not) by `name` (exact, case-sensitive) or \
         `id`; with both, both must match. `department_id` narrows the search to one \
         department. Finding none or several is an error.";
    type Source = TeamResource;
    type Extra = NoExtra;

    fn filters() -> Vec<LookupFilter<Team>> {
        vec![LookupFilter {
            parent: &TEAM_DEPARTMENT,
            description: "The id of the department the team belongs to. When set, only that \
                          department's teams match (to tell apart teams of the same name).",
        }]
    }
}
