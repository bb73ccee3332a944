//! Data source `halopsa_category`: one category entry, by its path or id.

use super::{Lookup, NoExtra};
use crate::resources::CategoryResource;

pub struct CategoryLookup;

impl Lookup for CategoryLookup {
    const TYPE_NAME: &'static str = "halopsa_category";
    const DESCRIPTION: &'static str =
        "Looks up one ticket category entry by `name`, its whole path (e.g. \
         `Hardware>Laptop`, exact and case-sensitive), or `id`; with both, both must \
         match. Finding none or several (the same path in two category fields) is an \
         error: then give `id`.";
    type Source = CategoryResource;
    type Extra = NoExtra;

    fn name_description() -> String {
        "The category's whole path, levels joined by `>` (e.g. `Hardware>Laptop`): set \
         it to look the category up by its path (an exact, case-sensitive match). Give \
         this or `id`."
            .to_string()
    }
}
