//! `halopsa_workday`: a set of work hours (Configuration > Calendars > Workdays):
//! its name, time zone and the days of the week it includes. Agents refer to it
//! with `workday_id`.
//!
//! Halo's `Workdays` schema also holds the hours of each day (`start`, `end`,
//! `startmonday`, ...) as date-times whose date part no public source shows, and
//! holidays; they are left to Halo's screen (never sent, so kept as Halo holds
//! them).

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::object::{ObjectResource, Write};
use super::support::{non_empty, or_cleared, NameFilter, WriteField};
use crate::framework::{Diagnostics, Validator};
use crate::halo::{HaloClient, Workday};

pub struct WorkdayResource;

/// The days of the week as the provider names them, in Halo's order.
pub const DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct WorkdayModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The work hours' Halo id (an agent's `workday_id`)."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The name of the work hours (1 to 255 characters)."),
        timezone: Option<String> = optional()
            .validate(Validator::length(1, 255))
            .description(
                "The time zone the hours are in, as Halo names it (a Windows time \
                 zone name, e.g. `GMT Standard Time`). Unset: none is configured.",
            ),
        days: Option<BTreeSet<String>> = optional_computed()
            .use_state_for_unknown()
            .validate(Validator::EachOneOf(DAYS))
            .description(
                "The days of the week the hours include: `monday` ... `sunday`. Left \
                 out, Halo's days are kept and read back.",
            ),
    }
}

/// Halo fields a refused write may name, and the attributes they come from.
const WRITE_FIELDS: &[WriteField] = &[
    ("incmonday", WorkdayModel::days),
    ("inctuesday", WorkdayModel::days),
    ("incwednesday", WorkdayModel::days),
    ("incthursday", WorkdayModel::days),
    ("incfriday", WorkdayModel::days),
    ("incsaturday", WorkdayModel::days),
    ("incsunday", WorkdayModel::days),
];

/// Halo's `inc<day>` flags of a workday, in the order of [`DAYS`].
fn flags(w: &Workday) -> [Option<bool>; 7] {
    [
        w.incmonday,
        w.inctuesday,
        w.incwednesday,
        w.incthursday,
        w.incfriday,
        w.incsaturday,
        w.incsunday,
    ]
}

#[async_trait]
impl ObjectResource for WorkdayResource {
    const TYPE_NAME: &'static str = "halopsa_workday";
    const DESCRIPTION: &'static str =
        "A set of work hours (Configuration > Calendars > Workdays): its name, time zone \
         and days of the week. Agents refer to it with `workday_id`; the hours of each \
         day and holidays stay as set in Halo.";
    const DETAILS: bool = false;
    const WRITE_FIELDS: &'static [WriteField] = WRITE_FIELDS;
    type Model = WorkdayModel;
    type Filter = NameFilter;
    type Object = Workday;

    /// A day whose flag Halo leaves out is not included.
    fn from_halo(w: Workday) -> WorkdayModel {
        let days = DAYS
            .iter()
            .zip(flags(&w))
            .filter(|(_, on)| on.unwrap_or(false))
            .map(|(day, _)| (*day).to_string())
            .collect();
        WorkdayModel {
            id: w.id.map(|i| i.to_string()),
            name: w.name.unwrap_or_default(),
            timezone: non_empty(w.timezone),
            days: Some(days),
        }
    }

    /// Every day's flag is sent when `days` is set (a day left out is cleared);
    /// none when it is not, so Halo's days stay.
    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &WorkdayModel,
        write: &Write<'_, WorkdayModel, i64>,
    ) -> Result<Workday, Diagnostics> {
        let on = |day: &str| plan.days.as_ref().map(|d| d.contains(day));
        Ok(Workday {
            id: write.id(),
            name: Some(plan.name.clone()),
            timezone: or_cleared(&plan.timezone),
            incmonday: on("monday"),
            inctuesday: on("tuesday"),
            incwednesday: on("wednesday"),
            incthursday: on("thursday"),
            incfriday: on("friday"),
            incsaturday: on("saturday"),
            incsunday: on("sunday"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_halo_flags_in_order() {
        let w = Workday {
            id: Some(3),
            name: Some("Weekend".into()),
            incsaturday: Some(true),
            incsunday: Some(true),
            incmonday: Some(false),
            ..Workday::default()
        };
        let m = WorkdayResource::from_halo(w);
        assert_eq!(
            m.days,
            Some(["saturday".to_string(), "sunday".to_string()].into())
        );
        assert_eq!((m.id.as_deref(), m.timezone), (Some("3"), None));
    }
}
