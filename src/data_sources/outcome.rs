//! Data source `halopsa_outcome`: one ticket action (hidden ones too), by name or id.

use super::{Lookup, NoExtra};
use crate::resources::OutcomeResource;

pub struct OutcomeLookup;

impl Lookup for OutcomeLookup {
    const TYPE_NAME: &'static str = "halopsa_outcome";
    const DESCRIPTION: &'static str =
        "Looks up one ticket action (Halo's \"outcome\", hidden or not) by `name` (exact, \
         case-sensitive) or `id`; with both, both must match. Finding none or several is \
         an error.";
    type Source = OutcomeResource;
    type Extra = NoExtra;
}
