//! `halopsa_custom_field`: a custom field (Configuration > Custom Objects > Custom
//! Fields): its database name, label, type and, for selections, its choices.
//!
//! Halo's custom fields are `/api/FieldInfo` (schema `FieldInfo`: `name`, `label`,
//! `type`, `inputtype`, `values`), not `/api/Field` (schema `Field`: `kind`,
//! `typeinfo_id`, no label or type), which lists the fields of asset types
//! (docs/halo-api.md, "Custom field"). The type is Halo's int ([`FIELD_TYPES`],
//! \[assumed\]); an int the table lacks reads as `halo:N`. Halo's guide says the
//! name and type cannot change once the field exists, so changing either
//! replaces the field.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;

use super::halo_values::{one_of_or_halo, HALO_PREFIX};
use super::object::{with_details, ObjectResource, Write};
use super::support::{halo_error, NameFilter, Named, WriteField};
use crate::framework::{attr_error, ApplyError, Check, Diagnostic, Diagnostics, Validator, Value};
use crate::halo::{CustomField, FieldChoice, HaloClient};

pub struct CustomFieldResource;

/// `field_type`: the provider's word and Halo's `type` int \[assumed\]: as a public
/// tool that creates Halo custom fields through the API documents them (text 0,
/// memo 1, single selection 2, multiple selection 3, date 4, time 5, checkbox 6,
/// rich text 10), matching the types of Halo's custom field guide.
pub(crate) const FIELD_TYPES: &[(&str, i64)] = &[
    ("text", 0),
    ("memo", 1),
    ("single_select", 2),
    ("multi_select", 3),
    ("date", 4),
    ("time", 5),
    ("checkbox", 6),
    ("rich_text", 10),
];
const TYPE_WORDS: &[&str] = &[
    "text",
    "memo",
    "single_select",
    "multi_select",
    "date",
    "time",
    "checkbox",
    "rich_text",
];
/// The types that have choices (`options`).
const SELECTIONS: &[&str] = &["single_select", "multi_select"];

impl Named for CustomField {
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// A field name Halo takes: letters, digits and `_`, 1 to 64 characters
/// \[assumed\]: Halo makes it a database column (`CF` + name).
#[derive(Debug)]
struct FieldName;

impl Check for FieldName {
    fn check(&self, v: &Value) -> Result<(), String> {
        let Value::String(s) = v else { return Ok(()) };
        let ok = (1..=64).contains(&s.chars().count())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{s:?} is not a field name (1 to 64 letters, digits or underscores)"
            ))
        }
    }
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct CustomFieldModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The custom field's Halo id."),
        name: String = required()
            .requires_replace()
            .validate(Validator::Custom(Arc::new(FieldName)))
            .description(
                "The field's name in Halo's database and API (1 to 64 letters, digits or \
                 underscores; Halo's API shows it with `CF` in front). Changing it \
                 replaces the field.",
            ),
        label: String = required()
            .validate(Validator::length(1, 255))
            .description("What agents and users see (1 to 255 characters)."),
        field_type: String = required()
            .requires_replace()
            .validate(one_of_or_halo(TYPE_WORDS))
            .description(
                "The field's type: `text`, `memo`, `single_select`, `multi_select`, \
                 `date`, `time`, `checkbox` or `rich_text`; or `halo:N`, Halo's own \
                 int. Changing it replaces the field.",
            ),
        input_type: i64 = optional_computed()
            .default(Value::Number(crate::framework::Number::Int(0)))
            .validate(Validator::AtLeast(0))
            .description(
                "Halo's input type int for the field type. For `text`: 0 \
                 anything, 1 integer, 2 money, 3 alphanumeric, 4 decimal, 5 URL, 6 \
                 password; `single_select`: 0 drop-down, 1 tree, 2 radio buttons; \
                 `date`: 0 date, 1 date and time (as documented by a public tool, not \
                 by Halo).",
            ),
        options: BTreeSet<String> = optional_computed()
            .default(Value::Set(Vec::new()))
            .description(
                "The choices of a `single_select` or `multi_select` field (refused for \
                 the other types).",
            ),
    }
}

fn word_of(code: i64) -> String {
    FIELD_TYPES
        .iter()
        .find(|(_, c)| *c == code)
        .map_or_else(|| format!("{HALO_PREFIX}{code}"), |(w, _)| (*w).to_string())
}

fn code_of(word: &str) -> Result<i64, Diagnostic> {
    if let Some((_, code)) = FIELD_TYPES.iter().find(|(w, _)| *w == word) {
        return Ok(*code);
    }
    word.strip_prefix(HALO_PREFIX)
        .and_then(|raw| raw.trim().parse::<i64>().ok())
        .ok_or_else(|| {
            let attr = CustomFieldModel::field_type;
            attr_error(
                attr,
                format!("Invalid {attr}"),
                format!("{attr} {word:?} has no Halo encoding (use \"{HALO_PREFIX}N\")."),
            )
        })
}

impl CustomFieldModel {
    fn from_halo(f: CustomField) -> Self {
        CustomFieldModel {
            id: f.id.map(|i| i.to_string()),
            name: f.name.unwrap_or_default(),
            label: f.label.unwrap_or_default(),
            field_type: word_of(f.field_type.unwrap_or_default()),
            input_type: f.inputtype.unwrap_or_default(),
            options: f
                .values
                .unwrap_or_default()
                .into_iter()
                .map(|v| v.name)
                .collect(),
        }
    }
}

#[async_trait]
impl ObjectResource for CustomFieldResource {
    const TYPE_NAME: &'static str = "halopsa_custom_field";
    const DESCRIPTION: &'static str =
        "A custom field (Configuration > Custom Objects > Custom Fields, Halo's \
         `/api/FieldInfo`): its name, label, type and the choices of a selection.";
    const DETAILS: bool = true;
    const WRITE_FIELDS: &'static [WriteField] = &[
        ("inputtype", CustomFieldModel::input_type),
        ("values", CustomFieldModel::options),
        ("type", CustomFieldModel::field_type),
    ];
    type Model = CustomFieldModel;
    type Filter = NameFilter;
    type Object = CustomField;

    /// `options` only for the selection types (known values only).
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let kind = config.attr(CustomFieldModel::field_type);
        let Some(kind) = kind.as_str() else { return };
        let options = CustomFieldModel::options;
        let has_options = matches!(config.attr(options), Value::Set(items) if !items.is_empty());
        if has_options && !SELECTIONS.contains(&kind) && !kind.starts_with(HALO_PREFIX) {
            diags.push(attr_error(
                options,
                format!("Invalid {options}"),
                format!("a {kind} field has no choices: {options} is only for single_select and multi_select."),
            ));
        }
    }

    fn from_halo(f: CustomField) -> CustomFieldModel {
        CustomFieldModel::from_halo(f)
    }

    /// The choices are sent by a create, and by an update only when they change:
    /// a kept choice goes back as Halo holds it (with its id).
    async fn to_halo(
        &self,
        halo: &HaloClient,
        plan: &CustomFieldModel,
        write: &Write<'_, CustomFieldModel, i64>,
    ) -> Result<CustomField, Diagnostics> {
        let changed = write.prior().is_none_or(|p| p.options != plan.options);
        let current = match write.id() {
            Some(id) if changed => halo
                .get::<CustomField>(id, true)
                .await
                .map_err(halo_error)?
                .and_then(|f| f.values)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let values = changed.then(|| {
            plan.options
                .iter()
                .map(|o| {
                    current
                        .iter()
                        .find(|c| &c.name == o)
                        .cloned()
                        .unwrap_or(FieldChoice {
                            name: o.clone(),
                            ..FieldChoice::default()
                        })
                })
                .collect()
        });
        Ok(CustomField {
            id: write.id(),
            name: Some(plan.name.clone()),
            label: Some(plan.label.clone()),
            field_type: Some(code_of(&plan.field_type)?),
            inputtype: Some(plan.input_type),
            values,
        })
    }

    /// A write's answer may leave out the choices: read back with details.
    async fn saved(
        &self,
        halo: &HaloClient,
        saved: CustomField,
        _plan: &CustomFieldModel,
        _write: &Write<'_, CustomFieldModel, i64>,
    ) -> Result<CustomFieldModel, ApplyError<CustomFieldModel>> {
        with_details::<Self>(halo, saved, |f| f.values.is_some()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_to_halo_ints_with_the_escape() {
        assert_eq!(word_of(2), "single_select");
        assert_eq!(word_of(10), "rich_text");
        assert_eq!(word_of(7), "halo:7");
        assert_eq!(code_of("checkbox").ok(), Some(6));
        assert_eq!(code_of("halo:7").ok(), Some(7));
        assert!(code_of("number").is_err());
        assert!(FieldName.check(&Value::string("po_number")).is_ok());
        assert!(FieldName.check(&Value::string("po number")).is_err());
        assert!(FieldName.check(&Value::string("")).is_err());
    }
}
