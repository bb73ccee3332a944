//! Managed resource types, one file each, plus the small helpers they share.

pub mod agent;
pub mod agent_department;
pub mod api_application;
pub mod department;
pub mod membership;
pub mod organisation;
pub mod role;
pub mod role_department;
pub mod team;

use reqwest::StatusCode;

use crate::framework::resource::{attr_error, halo_diagnostic, AnyResource};
use crate::framework::{Attribute, Diagnostic, Schema, Value};
use crate::halo::{HaloClient, HaloError, HaloObject};

/// Every managed resource type the provider serves.
pub fn all() -> Vec<Box<dyn AnyResource>> {
    vec![
        Box::new(organisation::OrganisationResource),
        Box::new(department::DepartmentResource),
        Box::new(team::TeamResource),
        Box::new(agent::AgentResource),
        Box::new(role::RoleResource),
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
    if e.status() == Some(StatusCode::BAD_REQUEST) {
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

/// Explains a create or update that Halo refused, when the refusal is about a
/// reference to another object: `attribute` (e.g. `organisation_id`) holds the id
/// `id` of an `R` (e.g. [`crate::halo::Organisation`]), sent to Halo as `halo_field`.
///
/// Answers an error on `attribute`, with Halo's message in the detail, when Halo
/// answered 400 and either its message names `halo_field` or the referenced object
/// turns out not to exist (one `GET`, made only after such a refusal: Halo's wording
/// is not promised). `None` means the refusal is about something else; show the
/// Halo error as it is then. Call it once per reference the request carried.
pub async fn rejected_reference<R: HaloObject>(
    halo: &HaloClient,
    err: &HaloError,
    attribute: &str,
    halo_field: &str,
    id: R::Id,
) -> Option<Diagnostic> {
    if err.status() != Some(StatusCode::BAD_REQUEST) {
        return None;
    }
    let message = err.to_string();
    let named = message.contains(halo_field);
    let missing = !named && matches!(halo.get::<R>(id.clone(), false).await, Ok(None));
    (named || missing).then(|| {
        let detail = if missing {
            format!(
                "There is no {kind} with id {id} in Halo. Halo answered: {message}",
                kind = R::KIND
            )
        } else {
            format!("Halo refused {attribute} = {id}: {message}")
        };
        attr_error(attribute, format!("Invalid {attribute}"), detail)
    })
}

/// Turns Halo's refusal of a write (400) into an error on the attribute whose Halo
/// field the message names: `fields` pairs a Halo field name (as it appears in
/// Halo's message, e.g. `workday_id` or `roles`) with the attribute to point at,
/// checked in order. Any other error stays a plain Halo error.
pub fn halo_field_error(e: HaloError, fields: &[(&str, &str)]) -> Diagnostic {
    if let HaloError::Api {
        status, message, ..
    } = &e
    {
        if *status == reqwest::StatusCode::BAD_REQUEST {
            let lower = message.to_ascii_lowercase();
            if let Some((_, attr)) = fields
                .iter()
                .find(|(field, _)| lower.contains(&field.to_ascii_lowercase()))
            {
                return attr_error(
                    attr,
                    format!("Halo refused the value of {attr}"),
                    e.to_string(),
                );
            }
        }
    }
    halo_diagnostic(&e)
}
