//! Managed resource types, one file each, plus the small helpers they share.

pub mod agent_department;
pub mod api_application;
pub mod membership;
pub mod organisation;
pub mod role_department;

use crate::framework::resource::{attr_error, halo_diagnostic, AnyResource};
use crate::framework::{Attribute, Diagnostic, Schema, Value};
use crate::halo::HaloError;

/// Every managed resource type the provider serves.
pub fn all() -> Vec<Box<dyn AnyResource>> {
    vec![
        Box::new(organisation::OrganisationResource),
        Box::new(role_department::RoleDepartmentResource::new()),
        Box::new(agent_department::AgentDepartmentResource::new()),
        Box::new(api_application::ApiApplicationResource),
    ]
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

/// The diagnostic for a failed Halo write. When Halo refused the body (400) and its
/// message names one of `fields` (pairs of Halo field name and Terraform attribute),
/// the error points at that attribute, with Halo's message in the detail; otherwise
/// it is the plain Halo error.
pub fn write_error(e: &HaloError, fields: &[(&str, &str)]) -> Diagnostic {
    if e.status() == Some(reqwest::StatusCode::BAD_REQUEST) {
        let text = e.to_string();
        if let Some((_, attr)) = fields.iter().find(|(field, _)| text.contains(field)) {
            return attr_error(
                attr,
                format!("Halo refused the value of {attr}"),
                format!("Halo refused {attr}: {text}"),
            );
        }
    }
    halo_diagnostic(e)
}
