//! `halopsa_category`: one entry of a ticket category tree (Configuration >
//! Tickets > Categories).
//!
//! A ticket has four category fields (Category 1 to 4 on Halo's screens; the
//! database's `FAULTS.category2` to `category5` \[db\]), and every entry belongs
//! to one of them: `type_id`, 1 to 4 \[assumed\]. An entry's `value` is its whole
//! path with `>` between the levels (`Hardware>Laptop`), as a ticket's category
//! field holds it \[seen\] (docs/halo-api.md, "Statuses, actions and categories").

use async_trait::async_trait;

use super::halo_values::whole_between;
use super::object::{ObjectResource, Write};
use super::support::{NameFilter, WriteField};
use crate::framework::{Diagnostics, Validator};
use crate::halo::{Category, HaloClient};

pub struct CategoryResource;

/// The category fields a ticket has: `type_id` 1 to 4 \[assumed\].
pub(crate) const CATEGORY_FIELDS: std::ops::RangeInclusive<i64> = 1..=4;

/// What separates the levels of a path in `value` \[seen\].
pub(crate) const PATH_SEPARATOR: char = '>';

const WRITE_FIELDS: &[WriteField] = &[
    ("type_id", CategoryModel::category_field),
    ("value", CategoryModel::name),
];

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct CategoryModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The category's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description(
                "The category's whole path, its levels joined by `>` (e.g. \
                 `\"Hardware>Laptop\"`; Halo's `value`). A ticket's category field \
                 holds this text.",
            ),
        category_field: i64 = required()
            .validate(whole_between(*CATEGORY_FIELDS.start(), *CATEGORY_FIELDS.end()))
            .description(
                "Which of a ticket's four category fields the entry belongs to: 1 to 4 \
                 (Category 1 to Category 4; Halo's `type_id`).",
            ),
    }
}

impl CategoryModel {
    fn from_halo(c: Category) -> Self {
        CategoryModel {
            id: c.id.map(|i| i.to_string()),
            name: c.value.unwrap_or_default(),
            category_field: c.type_id.unwrap_or_default(),
        }
    }
}

#[async_trait]
impl ObjectResource for CategoryResource {
    const TYPE_NAME: &'static str = "halopsa_category";
    const DESCRIPTION: &'static str =
        "One entry of a ticket category tree (Configuration > Tickets > Categories): \
         its path (`Hardware>Laptop`) in one of a ticket's four category fields.";
    const DETAILS: bool = false;
    const WRITE_FIELDS: &'static [WriteField] = WRITE_FIELDS;
    type Model = CategoryModel;
    type Filter = NameFilter;
    type Object = Category;

    fn from_halo(c: Category) -> CategoryModel {
        CategoryModel::from_halo(c)
    }

    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &CategoryModel,
        write: &Write<'_, CategoryModel, i64>,
    ) -> Result<Category, Diagnostics> {
        Ok(Category {
            id: write.id(),
            value: Some(plan.name.clone()),
            type_id: Some(plan.category_field),
        })
    }

    /// The same path in the same field.
    fn same(sent: &Category, found: &Category) -> bool {
        sent.value == found.value && sent.type_id == found.type_id
    }
}
