//! Data source `halopsa_workday`: one set of work hours, by name or id. Work hours
//! are read-only for the provider; agents refer to them with `workday_id`.

use super::{Answer, Lookup, NoExtra};
use crate::halo::Workday;
use crate::resources::support::non_empty;

pub struct WorkdayLookup;

crate::model! {
    /// A set of work hours as the data source shows it.
    #[derive(Debug, Clone, Default)]
    pub struct WorkdayModel {
        id: Option<String> = computed().description("The work hours' Halo id."),
        name: Option<String> = computed().description("The work hours' name."),
        timezone: Option<String> = computed()
            .description("The time zone of the work hours, as Halo names it."),
    }
}

impl Lookup for WorkdayLookup {
    const TYPE_NAME: &'static str = "halopsa_workday";
    const DESCRIPTION: &'static str =
        "Looks up one set of work hours (Configuration > Calendars > Workdays) by `name` \
         (exact, case-sensitive) or `id`; with both, both must match. Finding none or \
         several is an error. Use its `id` as an agent's `workday_id`.";
    type Source = Self;
    type Extra = NoExtra;
}

/// Work hours are no resource of the provider: the data source has its own model.
impl Answer for WorkdayLookup {
    type Object = Workday;
    type Model = WorkdayModel;
    const DETAILS: bool = false;

    fn model(w: Workday) -> WorkdayModel {
        WorkdayModel {
            id: w.id.map(|i| i.to_string()),
            name: w.name,
            timezone: non_empty(w.timezone),
        }
    }
}
