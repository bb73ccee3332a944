//! Data source `halopsa_sla`: one SLA, by name or id, with its priorities.

use super::{Lookup, NoExtra};
use crate::resources::SlaResource;

pub struct SlaLookup;

impl Lookup for SlaLookup {
    const TYPE_NAME: &'static str = "halopsa_sla";
    const DESCRIPTION: &'static str =
        "Looks up one SLA by `name` (exact, case-sensitive) or `id`; with both, both must \
         match. Finding none or several is an error. Answers its work hours and \
         priorities.";
    type Source = SlaResource;
    type Extra = NoExtra;
}
