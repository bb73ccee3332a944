//! Helpers the resource and data source types share: ids kept as strings, the
//! `list` block filters, names of Halo objects, and Halo's refusals of writes
//! turned into errors on the attribute they concern.

use reqwest::StatusCode;

use crate::framework::{attr_error, Diagnostic, Diagnostics};
use crate::halo::{
    Agent, Application, Category, Client, Department, HaloClient, HaloError, HaloObject,
    Organisation, Outcome, Role, Status, Team, Workday,
};

// ----- Halo errors as diagnostics --------------------------------------------------
//
// The framework knows nothing of Halo; a Halo error becomes a diagnostic here, on the
// provider's side of the layer.

/// The diagnostic for a failed Halo call, with Halo's own text in the detail.
pub fn halo_diagnostic(e: &HaloError) -> Diagnostic {
    Diagnostic::error("Halo API request failed", e.to_string())
}

/// A failed Halo call as diagnostics (`.map_err(halo_error)?`). A function, not a
/// `From`: both types belong to other crates.
pub fn halo_error(e: HaloError) -> Diagnostics {
    halo_diagnostic(&e).into()
}

// ----- names -----------------------------------------------------------------------

/// A Halo object type that has a name: look-ups and list filters find it by that.
pub trait Named: HaloObject {
    /// Whether `GET /api/X` takes Halo's `search` parameter (a case-insensitive
    /// substring match on the name, per swagger.json). When it does, a look-up by
    /// name sends `search=NAME` so that Halo answers only likely candidates; the
    /// exact match is always made here, whatever Halo answers.
    const SEARCH: bool = false;

    /// The object's name as Halo holds it (for an API application: its display name).
    fn name(&self) -> Option<&str>;
}

macro_rules! named {
    ($($ty:ty => $field:ident $(, search = $search:expr)?;)*) => {$(
        impl Named for $ty {
            $(const SEARCH: bool = $search;)?
            fn name(&self) -> Option<&str> {
                self.$field.as_deref()
            }
        }
    )*};
}

named! {
    Organisation => name;
    // `/api/TopLevel` documents `search` [spec].
    Department => name, search = true;
    Team => name;
    // `/api/Agent` documents `search` [spec].
    Agent => name, search = true;
    Role => name;
    Application => display_name;
    Workday => name;
    // `/api/Client` documents `search` ("Filter by Customers like your search
    // string") [spec].
    Client => name, search = true;
    // `/api/Status`, `/api/Outcome` and `/api/Category` document no `search` [spec].
    Status => name;
    Outcome => outcome;
    Category => value;
}

// ----- ids ---------------------------------------------------------------------------

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

/// Whether `id` (an object's related id as text, e.g. a department's organisation)
/// passes the filter `wanted` of a list block (unset: everything). Ids compare
/// trimmed and without regard to letter case (GUIDs).
pub fn id_matches(wanted: Option<&str>, id: Option<&str>) -> bool {
    match wanted {
        None => true,
        Some(wanted) => id.is_some_and(|id| id.trim().eq_ignore_ascii_case(wanted.trim())),
    }
}

/// Whether `name` contains the `name` filter `wanted` of a list block, ignoring
/// case (no filter: everything).
pub fn name_matches(wanted: Option<&str>, name: Option<&str>) -> bool {
    match wanted {
        None => true,
        Some(wanted) => name.is_some_and(|n| n.to_lowercase().contains(&wanted.to_lowercase())),
    }
}

crate::model! {
    /// The `list` block filters of a kind found by name only.
    #[derive(Debug, Clone, Default)]
    pub struct NameFilter {
        name: Option<String> = optional()
            .description("Only objects whose name contains this text (ignoring case)."),
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
pub type WriteField = (&'static str, &'static str);

/// The diagnostic for a failed Halo write: an error on the attribute of the first
/// of `fields` whose Halo name Halo's 400 message contains, with the message in the
/// detail; otherwise the plain Halo error.
pub fn write_error(e: &HaloError, fields: &[WriteField]) -> Diagnostic {
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
    fields: &[WriteField],
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

/// The error for a refused write that sent the id of a parent `R` in `attribute`
/// (`None`: it sent none): [`write_error_checking`] on that reference, or
/// [`write_error`].
pub async fn write_error_on<R: HaloObject<Id = i64>>(
    halo: &HaloClient,
    e: &HaloError,
    fields: &[WriteField],
    attribute: &str,
    id: Option<i64>,
) -> Diagnostic {
    match id {
        Some(id) => write_error_checking(halo, e, fields, Reference::<R> { attribute, id }).await,
        None => write_error(e, fields),
    }
}

/// The error on an attribute for a 400 whose message names one of `fields`. `value`
/// is an attribute whose value is worth repeating in the detail (Halo's message may
/// not say it).
fn refused_field(
    e: &HaloError,
    fields: &[WriteField],
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

    const FIELDS: &[WriteField] = &[("workday_id", "workday_id"), ("name", "name")];

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
        assert!(name_matches(None, Some("Acme")));
        assert!(id_matches(None, None));
        assert!(name_matches(Some("cMe"), Some("Acme Ltd")));
        assert!(!name_matches(Some("cMe"), Some("Globex")));
        assert!(!name_matches(Some("cMe"), None));
        assert!(id_matches(Some(" AB-cd "), Some("ab-CD")));
        assert!(!id_matches(Some(" AB-cd "), Some("ab")));
        assert!(!id_matches(Some(" AB-cd "), None));
    }

    #[test]
    fn guid_ids() {
        assert_eq!(guid_id(Some(" aB-1 "), "id").ok().as_deref(), Some("aB-1"));
        for bad in [None, Some(""), Some("a b"), Some("a/b")] {
            assert!(guid_id(bad, "role_id").is_err(), "{bad:?}");
        }
    }
}
