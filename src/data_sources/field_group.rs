//! Data source `halopsa_field_group`: one field group, by name or id.

use super::{Lookup, NoExtra};
use crate::resources::FieldGroupResource;

pub struct FieldGroupLookup;

impl Lookup for FieldGroupLookup {
    const TYPE_NAME: &'static str = "halopsa_field_group";
    const DESCRIPTION: &'static str =
        "Looks up one field group by `name` (exact, case-sensitive) or `id`; with both, both \
         must match. Finding none or several is an error.";
    type Source = FieldGroupResource;
    type Extra = NoExtra;
}
