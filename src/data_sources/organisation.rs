//! Data source `halopsa_organisation`: one organisation, by name or id.

use super::{Lookup, NoExtra};
use crate::resources::OrganisationResource;

pub struct OrganisationLookup;

impl Lookup for OrganisationLookup {
    const TYPE_NAME: &'static str = "halopsa_organisation";
    const DESCRIPTION: &'static str =
        "Looks up one existing organisation by `name` (exact, case-sensitive) or `id`; \
         with both, both must match. Finding none or several is an error.";
    type Source = OrganisationResource;
    type Extra = NoExtra;
}
