//! `halopsa_field_group`: a named group of custom fields (Configuration > Custom
//! Objects > Field Groups), which ticket types show together.
//!
//! Halo holds the group's fields as rows (`fields`, schema `RequestTypeField`,
//! answered with `includedetails=true`), each naming its field by `fieldid`
//! \[assumed\] (docs/halo-api.md, "Field group"). Rows kept go back as Halo sent
//! them.

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::halo_values::each_halo_id;
use super::object::{with_details, ObjectResource, Write};
use super::support::{halo_error, int_id, NameFilter, Named, WriteField};
use crate::framework::{ApplyError, Diagnostics, Validator, Value};
use crate::halo::{FieldGroup, GroupField, HaloClient};

pub struct FieldGroupResource;

impl Named for FieldGroup {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct FieldGroupModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The field group's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The field group's name (1 to 255 characters)."),
        field_ids: BTreeSet<String> = optional_computed()
            .default(Value::Set(Vec::new()))
            .references("halopsa_custom_field")
            .validate(each_halo_id())
            .description(
                "The ids of the custom fields in the group (e.g. \
                 `[halopsa_custom_field.po_number.id]`).",
            ),
    }
}

impl FieldGroupModel {
    fn from_halo(g: FieldGroup) -> Self {
        let field_ids: BTreeSet<String> = g
            .fields
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.fieldid > 0)
            .map(|r| r.fieldid.to_string())
            .collect();
        FieldGroupModel {
            id: g.id.map(|i| i.to_string()),
            name: g.name.unwrap_or_default(),
            field_ids,
        }
    }
}

#[async_trait]
impl ObjectResource for FieldGroupResource {
    const TYPE_NAME: &'static str = "halopsa_field_group";
    const DESCRIPTION: &'static str =
        "A field group (Configuration > Custom Objects > Field Groups): custom fields \
         that ticket types show together.";
    const DETAILS: bool = true;
    const WRITE_FIELDS: &'static [WriteField] = &[
        ("fieldid", FieldGroupModel::field_ids),
        ("fields", FieldGroupModel::field_ids),
    ];
    type Model = FieldGroupModel;
    type Filter = NameFilter;
    type Object = FieldGroup;

    fn from_halo(g: FieldGroup) -> FieldGroupModel {
        FieldGroupModel::from_halo(g)
    }

    /// The rows are sent by a create, and by an update only when the fields
    /// change, built on the rows Halo holds now.
    async fn to_halo(
        &self,
        halo: &HaloClient,
        plan: &FieldGroupModel,
        write: &Write<'_, FieldGroupModel, i64>,
    ) -> Result<FieldGroup, Diagnostics> {
        let wanted = &plan.field_ids;
        let changed = write.prior().is_none_or(|p| &p.field_ids != wanted);
        let current = match write.id() {
            Some(id) if changed => halo
                .get::<FieldGroup>(id, true)
                .await
                .map_err(halo_error)?
                .and_then(|g| g.fields)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let fields = if changed {
            let mut rows = Vec::with_capacity(wanted.len());
            for id in wanted {
                let id = int_id(Some(id), FieldGroupModel::field_ids)?;
                rows.push(current.iter().find(|r| r.fieldid == id).cloned().unwrap_or(
                    GroupField {
                        fieldid: id,
                        ..GroupField::default()
                    },
                ));
            }
            Some(rows)
        } else {
            None
        };
        Ok(FieldGroup {
            id: write.id(),
            name: Some(plan.name.clone()),
            fields,
        })
    }

    /// A write's answer may leave out the rows: read back with details.
    async fn saved(
        &self,
        halo: &HaloClient,
        saved: FieldGroup,
        _plan: &FieldGroupModel,
        _write: &Write<'_, FieldGroupModel, i64>,
    ) -> Result<FieldGroupModel, ApplyError<FieldGroupModel>> {
        with_details::<Self>(halo, saved, |g| g.fields.is_some()).await
    }
}
