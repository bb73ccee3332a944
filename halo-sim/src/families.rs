//! The rules of the generic families the provider manages as typed resources
//! (SLA, TicketType, FieldInfo, FieldGroup), as far as the provider relies on
//! them, so that halo-sim is no more lenient than Halo there (docs/halo-api.md):
//!
//! - their detail lists are answered by `GET /X/{id}` only with
//!   `includedetails=true` (a list answer never holds them, as for every family);
//! - an SLA's priorities are rows stored under the SLA: a row sent with an `id`
//!   (its GUID) must be one of that SLA's rows \[assumed\]; a new row gets a GUID
//!   `id` and the SLA's `slaid`; a row left out of a write that sends
//!   `priorities` is removed;
//! - a custom field's choices (`values`) get an integer `id` when new.
//!
//! Nothing else is checked: what Halo refuses beyond that (a priority without
//! `priorityid`, a repeated one, a field group row without `fieldid`) is not
//! known, and the provider's plan-time checks do not rely on halo-sim for it.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::ids;

/// The detail lists of the families that have them: one row per family.
const DETAILS: &[(&str, &[&str])] = &[
    ("SLA", &["priorities"]),
    ("TicketType", &["allowed_status", "allowed_teams", "fields"]),
    ("FieldInfo", &["values"]),
    ("FieldGroup", &["fields"]),
];

/// The detail lists of a family, answered only with `includedetails=true`.
pub(crate) fn detail_fields(family: &str) -> &'static [&'static str] {
    DETAILS
        .iter()
        .find(|(name, _)| *name == family)
        .map_or(&[], |(_, details)| details)
}

/// `obj` as `GET /X/{id}` answers it: without its detail lists unless `details`.
pub(crate) fn render(family: &str, obj: &Map<String, Value>, details: bool) -> Value {
    let mut out = obj.clone();
    if !details {
        for f in detail_fields(family) {
            out.remove(*f);
        }
    }
    Value::Object(out)
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn rows<'a>(element: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], ApiError> {
    match element.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(rows)) => Ok(rows),
        Some(_) => Err(ApiError::BadRequest(format!("{key} must be an array"))),
    }
}

/// The refusal of an element `stored` (the object it updates, if any) may not
/// take, checked before anything is saved.
pub(crate) fn check(
    family: &str,
    stored: Option<&Map<String, Value>>,
    element: &Map<String, Value>,
) -> Result<(), ApiError> {
    match family {
        "SLA" => {
            let current = stored.map(|s| rows(s, "priorities")).transpose()?;
            for row in rows(element, "priorities")? {
                if let Some(guid) = row.get("id").and_then(Value::as_str) {
                    let known = current
                        .unwrap_or(&[])
                        .iter()
                        .any(|r| r.get("id").and_then(Value::as_str) == Some(guid));
                    if !known {
                        return Err(ApiError::BadRequest(format!(
                            "priority id {guid} is not a priority of this SLA"
                        )));
                    }
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Completes a saved object's rows: new SLA priorities get a GUID and the SLA's
/// id, new choices an integer id.
pub(crate) fn settle(family: &str, obj: &mut Map<String, Value>) {
    let own_id = obj.get("id").cloned().unwrap_or(Value::Null);
    match family {
        "SLA" => {
            if let Some(Value::Array(rows)) = obj.get_mut("priorities") {
                for row in rows.iter_mut().filter_map(Value::as_object_mut) {
                    if row.get("id").is_none_or(Value::is_null) {
                        row.insert("id".into(), Value::String(ids::new_guid()));
                    }
                    row.insert("slaid".into(), own_id.clone());
                }
            }
        }
        "FieldInfo" => {
            if let Some(Value::Array(rows)) = obj.get_mut("values") {
                let mut next = rows
                    .iter()
                    .filter_map(|r| int(r.get("id")))
                    .max()
                    .unwrap_or(0);
                for row in rows.iter_mut().filter_map(Value::as_object_mut) {
                    if int(row.get("id")).is_none_or(|i| i < 1) {
                        next += 1;
                        row.insert("id".into(), Value::from(next));
                    }
                }
            }
        }
        _ => {}
    }
}
