//! Managed resource types, one file each, plus the small helpers they share.

pub mod agent;
pub mod organisation;
pub mod role;

use crate::framework::resource::{attr_error, halo_diagnostic, AnyResource};
use crate::framework::Diagnostic;
use crate::halo::HaloError;

/// Every managed resource type the provider serves.
pub fn all() -> Vec<Box<dyn AnyResource>> {
    vec![
        Box::new(organisation::OrganisationResource),
        Box::new(agent::AgentResource),
        Box::new(role::RoleResource),
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
