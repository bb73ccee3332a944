//! Data source `halopsa_custom_field`: one custom field, by name or id.

use super::{Lookup, NoExtra};
use crate::resources::CustomFieldResource;

pub struct CustomFieldLookup;

impl Lookup for CustomFieldLookup {
    const TYPE_NAME: &'static str = "halopsa_custom_field";
    const DESCRIPTION: &'static str =
        "Looks up one custom field by `name` (exact, case-sensitive) or `id`; with both, both \
         must match. Finding none or several is an error.";
    type Source = CustomFieldResource;
    type Extra = NoExtra;
}
