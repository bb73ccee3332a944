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

use crate::data_sources::Named;
use crate::framework::resource::{attr_error, halo_diagnostic, AnyResource};
use crate::framework::{Attribute, Diagnostic, Schema, Validator, Value};
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

/// Parses a Halo GUID id (roles, API applications) kept as a string attribute:
/// any non-empty text without blanks or `/` (Halo's spelling is kept as it is).
pub fn guid_id(value: Option<&str>, attr: &str) -> Result<String, Diagnostic> {
    let raw = value.unwrap_or_default().trim();
    Some(raw)
        .filter(|s| !s.is_empty() && !s.contains(char::is_whitespace) && !s.contains('/'))
        .map(str::to_owned)
        .ok_or_else(|| {
            attr_error(
                attr,
                format!("Invalid {attr}"),
                format!("{attr} must be a Halo id (a GUID), got {raw:?}."),
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

/// A list block filter on the id of a related object (e.g. `organisation_id`):
/// an optional string checked by `validator`.
pub fn id_filter(validator: Validator, description: &'static str) -> Attribute {
    Attribute::string()
        .validate(validator)
        .description(description)
}

/// Whether `id` (an object's related id as text, e.g. a department's organisation)
/// passes the filter `attr` of a list block (unset: everything). Ids compare
/// trimmed and without regard to letter case (GUIDs).
pub fn id_matches(filter: &Value, attr: &str, id: Option<&str>) -> bool {
    match filter.attr(attr).as_str() {
        None => true,
        Some(wanted) => id.is_some_and(|id| id.trim().eq_ignore_ascii_case(wanted.trim())),
    }
}

/// Every `T` (with its details when `details`, see [`HaloClient::list_all`]) whose
/// name passes the `name` filter of a list block: the objects a `list` answers.
pub async fn list_named<T: Named>(
    halo: &HaloClient,
    filter: &Value,
    details: bool,
) -> Result<Vec<T>, HaloError> {
    let all = halo.list_all::<T>(details).await?;
    Ok(all
        .into_iter()
        .filter(|o| name_matches(filter, o.name()))
        .collect())
}

/// Whether `name` passes the `name` filter of a list block (no filter: everything).
pub fn name_matches(filter: &Value, name: Option<&str>) -> bool {
    match filter.attr("name").as_str() {
        None => true,
        Some(wanted) => name.is_some_and(|n| n.to_lowercase().contains(&wanted.to_lowercase())),
    }
}

// ----- Halo's refusals of writes --------------------------------------------------
//
// Halo answers a write it refuses (a body that breaks one of its rules) with 400 and
// a message that usually names the offending field. The one mechanism below turns
// such a refusal into an error on the Terraform attribute the field came from, so
// that Terraform shows it next to the configuration line:
//
// - [`write_error`]: the refusal's message names one of the write's fields;
// - [`write_error_checking`]: the same, and when the message names none of them,
//   one `GET` of an object the write referred to (e.g. a department's
//   organisation): when that object does not exist, that reference is the error.
//
// Anything else (not a 400, or a 400 that cannot be tied to an attribute) stays the
// plain Halo error.

/// A Halo field a refused write may name, and the Terraform attribute it comes
/// from: `("loginas_agent_id", "login_as_agent_id")`. Lists of these are checked in
/// order (the first field the message names wins), and Halo's message is matched
/// without regard to letter case.
pub type Field = (&'static str, &'static str);

/// The diagnostic for a failed Halo write: an error on the attribute of the first
/// of `fields` whose Halo name Halo's 400 message contains, with the message in the
/// detail; otherwise the plain Halo error.
pub fn write_error(e: &HaloError, fields: &[Field]) -> Diagnostic {
    refused_field(e, fields, None).unwrap_or_else(|| halo_diagnostic(e))
}

/// A reference to another object that a write carried: `attribute` (e.g.
/// `organisation_id`) holds the id `id` of an `R` (e.g. [`crate::halo::Organisation`]).
pub struct Reference<'a, R: HaloObject> {
    pub attribute: &'a str,
    pub id: R::Id,
}

/// [`write_error`], and when Halo's 400 names none of `fields`, one `GET` of the
/// referenced object (Halo's wording is not promised): when it does not exist, the
/// error is on the reference's attribute. List the reference's own Halo field in
/// `fields` too, so a message that names it needs no `GET`.
pub async fn write_error_checking<R: HaloObject>(
    halo: &HaloClient,
    e: &HaloError,
    fields: &[Field],
    reference: Reference<'_, R>,
) -> Diagnostic {
    let value = (reference.attribute, &reference.id as &dyn std::fmt::Display);
    if let Some(d) = refused_field(e, fields, Some(value)) {
        return d;
    }
    if e.status() == Some(StatusCode::BAD_REQUEST)
        && matches!(halo.get::<R>(reference.id.clone(), false).await, Ok(None))
    {
        let attribute = reference.attribute;
        return attr_error(
            attribute,
            format!("Invalid {attribute}"),
            format!(
                "There is no {kind} with id {id} in Halo ({attribute}). Halo answered: {e}",
                kind = R::KIND,
                id = reference.id,
            ),
        );
    }
    halo_diagnostic(e)
}

/// The error on an attribute for a 400 whose message names one of `fields`. `value`
/// is an attribute whose value is worth repeating in the detail (Halo's message may
/// not say it).
fn refused_field(
    e: &HaloError,
    fields: &[Field],
    value: Option<(&str, &dyn std::fmt::Display)>,
) -> Option<Diagnostic> {
    if e.status() != Some(StatusCode::BAD_REQUEST) {
        return None;
    }
    let message = e.to_string();
    let lower = message.to_ascii_lowercase();
    let (_, attribute) = fields
        .iter()
        .find(|(field, _)| lower.contains(&field.to_ascii_lowercase()))?;
    let refused = match value {
        Some((attr, v)) if attr == *attribute => format!("{attribute} = {v}"),
        _ => format!("the value of {attribute}"),
    };
    Some(attr_error(
        attribute,
        format!("Invalid {attribute}"),
        format!("Halo refused {refused}: {message}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::AttrPath;

    fn refusal(status: StatusCode, message: &str) -> HaloError {
        HaloError::Api {
            method: "POST".into(),
            path: "/api/Agent".into(),
            status,
            message: message.into(),
        }
    }

    const FIELDS: &[Field] = &[("workday_id", "workday_id"), ("name", "name")];

    #[test]
    fn a_refusal_naming_a_field_is_an_error_on_its_attribute() {
        let d = write_error(
            &refusal(StatusCode::BAD_REQUEST, "field `WORKDAY_ID`: no such name"),
            FIELDS,
        );
        assert_eq!(
            d.path,
            Some(AttrPath::root("workday_id")),
            "first listed wins"
        );
        assert_eq!(d.summary, "Invalid workday_id");
        assert!(d.detail.contains("no such name"));

        let other = write_error(&refusal(StatusCode::BAD_REQUEST, "nope"), FIELDS);
        assert_eq!(other.path, None);
        let server = write_error(&refusal(StatusCode::BAD_GATEWAY, "name"), FIELDS);
        assert_eq!(server.path, None, "only a 400 is a refusal of a value");
    }

    #[test]
    fn list_filters_match_names_and_ids() {
        let mut filter = Value::Object(Default::default());
        assert!(name_matches(&filter, Some("Acme")));
        assert!(id_matches(&filter, "role_id", None));
        filter.set_attr("name", Value::string("cMe"));
        filter.set_attr("role_id", Value::string(" AB-cd "));
        assert!(name_matches(&filter, Some("Acme Ltd")));
        assert!(!name_matches(&filter, Some("Globex")));
        assert!(!name_matches(&filter, None));
        assert!(id_matches(&filter, "role_id", Some("ab-CD")));
        assert!(!id_matches(&filter, "role_id", Some("ab")));
        assert!(!id_matches(&filter, "role_id", None));
    }

    #[test]
    fn guid_ids() {
        assert_eq!(guid_id(Some(" aB-1 "), "id").ok().as_deref(), Some("aB-1"));
        for bad in [None, Some(""), Some("a b"), Some("a/b")] {
            assert!(guid_id(bad, "role_id").is_err(), "{bad:?}");
        }
    }
}
