//! Data source `halopsa_organisation`: one organisation, by name or id.

use super::{Lookup, NoExtra};
use crate::halo::Organisation;
use crate::resources::OrganisationModel;

pub struct OrganisationLookup;

impl Lookup for OrganisationLookup {
    const TYPE_NAME: &'static str = "halopsa_organisation";
    const DESCRIPTION: &'static str =
        "Looks up one existing organisation by `name` (exact, case-sensitive) or `id`; \
         with both, both must match. Finding none or several is an error.";
    type Object = Organisation;
    type Model = OrganisationModel;
    type Extra = NoExtra;

    fn model(obj: &Organisation) -> OrganisationModel {
        OrganisationModel::from_halo(obj.clone())
    }
}
