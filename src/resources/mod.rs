//! Managed resource types, one file each, plus the small helpers they share.

pub mod organisation;

use crate::framework::resource::{attr_error, AnyResource};
use crate::framework::{Attribute, Diagnostic, Schema, Value};

/// Every managed resource type the provider serves.
pub fn all() -> Vec<Box<dyn AnyResource>> {
    vec![Box::new(organisation::OrganisationResource)]
}

/// Parses a Halo integer id kept as a string attribute.
pub fn int_id(value: Option<&str>, attr: &str) -> Result<i64, Diagnostic> {
    let raw = value.unwrap_or_default().trim();
    raw.parse::<i64>().ok().filter(|i| *i > 0).ok_or_else(|| {
        attr_error(
            attr,
            format!("Invalid {attr}"),
            format!("{attr} must be a Halo id (a whole number of at least 1), got {raw:?}."),
        )
    })
}

/// Halo answers "" for a text field that was never set; Terraform calls that null.
pub fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|s| !s.is_empty())
}

/// For an update: a field left out of the configuration is cleared in Halo, which
/// keeps whatever a POST leaves out.
pub fn or_cleared(value: &Option<String>) -> Option<String> {
    Some(value.clone().unwrap_or_default())
}

/// The filters of a `list` block for a kind found by name: `name` matches every
/// object whose name contains it, ignoring case.
pub fn name_filter_schema(plural: &'static str) -> Schema {
    Schema::new("Filters for listing objects with `terraform query`.").attribute(
        "name",
        Attribute::string().description(match plural {
            "organisations" => "Only organisations whose name contains this text (ignoring case).",
            "departments" => "Only departments whose name contains this text (ignoring case).",
            "teams" => "Only teams whose name contains this text (ignoring case).",
            "agents" => "Only agents whose name contains this text (ignoring case).",
            "roles" => "Only roles whose name contains this text (ignoring case).",
            "applications" => {
                "Only API applications whose name contains this text (ignoring case)."
            }
            _ => "Only objects whose name contains this text (ignoring case).",
        }),
    )
}

/// Whether `name` passes the `name` filter of a list block (no filter: everything).
pub fn name_matches(filter: &Value, name: Option<&str>) -> bool {
    match filter.attr("name").as_str() {
        None => true,
        Some(wanted) => name.is_some_and(|n| n.to_lowercase().contains(&wanted.to_lowercase())),
    }
}
