//! Halo's rules for a saved object. Each refusal is a message naming the field.

use serde_json::Value;

use crate::kind::{Kind, Reference};
use crate::object::Object;

/// The longest name Halo accepts.
pub const MAX_NAME_LEN: usize = 255;

/// The X in the `read:X` / `edit:X` scopes.
const SCOPE_AREAS: &[&str] = &[
    "tickets",
    "calendar",
    "customers",
    "crm",
    "timesheets",
    "contracts",
    "suppliers",
    "items",
    "projects",
    "sales",
    "quotes",
    "sos",
    "pos",
    "invoices",
    "reporting",
    "software",
    "softwarelicensing",
    "kb",
    "assets",
    "distributionlists",
];
/// Scopes that are not `read:X` / `edit:X`.
const OTHER_SCOPES: &[&str] = &[
    "all",
    "all:standard",
    "admin",
    "all:teams",
    "editMine:timesheets",
    "access:chat",
    "access:adpasswordreset",
    "admin:webhooks",
];

/// Whether `name` is one of Halo's scope names.
pub fn is_scope(name: &str) -> bool {
    OTHER_SCOPES.contains(&name)
        || ["read:", "edit:"].iter().any(|prefix| {
            name.strip_prefix(prefix)
                .is_some_and(|area| SCOPE_AREAS.contains(&area))
        })
}

type Check = Result<(), String>;

/// What the checks need to know of the other objects: whether an id exists.
pub trait Refs {
    /// Whether an object of `kind` has the id `id`.
    fn contains(&self, kind: Kind, id: &str) -> bool;
}

/// Checks an object about to be saved. `merged` is the whole object after
/// the write; `changes` holds the fields the request sets (the whole
/// object on create). References are checked only where they change, so
/// that a dangling reference left by a delete does not block later edits.
pub fn check(kind: Kind, merged: &Object, changes: &Object, store: &dyn Refs) -> Check {
    check_types(kind, changes)?;
    check_name(kind.name_field(), merged)?;
    for reference in kind.references() {
        check_reference(reference, merged, changes, store)?;
    }
    // What is one kind's own behaviour, not a fact of the table.
    match kind {
        Kind::Agent => {
            if let Some(departments) = changes.get("departments").and_then(Value::as_array) {
                check_levels(departments)?;
                refuse_inherited(departments)?;
            }
        }
        Kind::Role => {
            if let Some(claims) = changes.get("claims").and_then(Value::as_array) {
                check_claims(claims)?;
            }
            if let Some(departments) = changes.get("departments").and_then(Value::as_array) {
                check_levels(departments)?;
                refuse_other_roles(departments, merged)?;
            }
        }
        Kind::Application => check_application(merged, changes, store)?,
        Kind::Webhook => check_webhook(merged, changes)?,
        Kind::Organisation | Kind::Department | Kind::Team | Kind::Workday | Kind::Client => {}
    }
    Ok(())
}

fn check_types(kind: Kind, changes: &Object) -> Check {
    for field in kind.fields() {
        match changes.get(field.name) {
            Some(value) if !value.is_null() && !field.ty.accepts(value) => {
                return Err(format!(
                    "field `{}` must be {}",
                    field.name,
                    field.ty.describe()
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A reference must name an existing object where the write sets it (a
/// required one must be held whatever the write sets); the id is an integer
/// or a string GUID, as the target kind's ids are.
fn check_reference(
    reference: &Reference,
    merged: &Object,
    changes: &Object,
    store: &dyn Refs,
) -> Check {
    let target = reference.target;
    let Some((list, key)) = reference.rows() else {
        let field = reference.field;
        let id = id_of(target, merged.get(field));
        if reference.required && id.is_none() {
            return Err(format!("field `{field}` is required"));
        }
        return match id {
            Some(id) if changes.contains_key(field) => exists(store, target, field, &id),
            _ => Ok(()),
        };
    };
    let rows = changes.get(list).and_then(Value::as_array);
    for row in rows.into_iter().flatten() {
        let id = id_of(target, row.get(key)).ok_or_else(|| {
            if target.id_style().is_guid() {
                format!(
                    "field `{}` must be a {} id (a string GUID)",
                    reference.field,
                    target.noun()
                )
            } else {
                format!("field `{}` must be an integer", reference.field)
            }
        })?;
        exists(store, target, reference.field, &id)?;
    }
    Ok(())
}

/// The id `value` gives, when it has the type of `kind`'s ids.
fn id_of(kind: Kind, value: Option<&Value>) -> Option<String> {
    if kind.id_style().is_guid() {
        value.and_then(Value::as_str).map(str::to_owned)
    } else {
        value.and_then(Value::as_i64).map(|id| id.to_string())
    }
}

fn check_name(field: &str, obj: &Object) -> Check {
    match obj.get(field).and_then(Value::as_str).map(str::trim) {
        None | Some("") => Err(format!("field `{field}` is required and must not be empty")),
        Some(name) if name.chars().count() > MAX_NAME_LEN => Err(format!(
            "field `{field}` must be at most {MAX_NAME_LEN} characters"
        )),
        Some(_) => Ok(()),
    }
}

fn exists(store: &dyn Refs, kind: Kind, field: &str, id: &str) -> Check {
    if store.contains(kind, id) {
        Ok(())
    } else if kind.id_style().is_guid() {
        Err(format!(
            "field `{field}`: {} {id} does not exist",
            kind.noun()
        ))
    } else {
        Err(format!(
            "field `{field}`: {} {id} does not exist",
            kind.api_path()
        ))
    }
}

/// The levels of a list of `UnameDepartment` (for agents and roles alike); the
/// departments they name are references of the table.
fn check_levels(departments: &[Value]) -> Check {
    // Any level is kept: objects made on Halo's screen may hold levels beyond
    // the two the provider encodes.
    if departments
        .iter()
        .any(|membership| !membership.get("membershiplevel").is_some_and(Value::is_i64))
    {
        return Err("field `departments[].membershiplevel` must be an integer".into());
    }
    Ok(())
}

/// The claim types whose values Halo's reports decode (docs/halo-api.md, "Role
/// permissions" \[db\]), and those values. Written here on its own, not taken
/// from the provider, so that the emulator checks the provider's table.
const CLAIM_DOMAINS: &[(&[&str], &[&str])] = &[
    (
        &[
            "Tx", "Ex", "Ax", "Bx", "Sx", "Ox", "Qx", "Yx", "Zx", "Jx", "Rx", "Cx", "Gx", "Vx",
            "Wx", "Lx", "Mx", "Nx", "Px", "pi",
        ],
        &["0", "1", "2"],
    ),
    (&["Ux", "Fx", "Ix", "Dx", "Xx", "Kx"], &["0", "1", "2", "3"]),
    (&["Hx"], &["0", "1", "2", "3", "4"]),
    (
        &[
            "l6", "lf", "l9", "l8", "l4", "le", "lc", "l7", "l1", "ld", "lj", "lh", "ll", "lm",
            "lo", "Td", "Ft", "Fc", "Ff", "Fa", "l2", "li", "A1", "At", "As", "lt", "ly", "Ad",
            "ls", "Af", "mg", "Ar", "Av", "Az", "Al", "Aq", "Cp", "Fl", "lk", "Ru", "lu", "lv",
            "l3", "la",
        ],
        &["0", "1"],
    ),
    (&["l5", "lb", "lr"], &["0", "1", "3"]),
    (&["lg"], &["0", "1", "2"]),
    (&["lz"], &["0", "1", "2", "3"]),
    (&["SA", "l0", "ln"], &["true", "false"]),
];

/// Claims are `{"type", "value"}` objects of two strings, kept as sent.
fn check_claims(claims: &[Value]) -> Check {
    for claim in claims {
        let shape = || {
            "field `claims[]` must hold objects (`{\"type\": .., \"value\": ..}`) of two strings"
                .to_owned()
        };
        let obj = claim.as_object().ok_or_else(shape)?;
        if !(obj.get("type").is_some_and(Value::is_string)
            && obj.get("value").is_some_and(Value::is_string))
        {
            return Err(shape());
        }
    }
    Ok(())
}

/// A claim of a type Halo's reports decode, with a value outside that type's
/// domain, is refused naming the claim, unless the role already holds exactly
/// that claim (`held`: written back as read, e.g. made on Halo's screen). What
/// Halo answers to such a value is unknown, so this guards the provider's
/// sending (docs/halo-api.md).
pub fn check_claim_domains(claims: &[Value], held: &[Value]) -> Check {
    for claim in claims.iter().filter(|c| !held.contains(c)) {
        let (Some(kind), Some(value)) = (
            claim.get("type").and_then(Value::as_str),
            claim.get("value").and_then(Value::as_str),
        ) else {
            continue;
        };
        let domain = CLAIM_DOMAINS
            .iter()
            .find(|(types, _)| types.contains(&kind));
        if let Some((_, values)) = domain {
            if !values.contains(&value) {
                return Err(format!(
                    "field `claims[]`: claim {kind} = {value:?} is not one of {}",
                    values.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// A role's rows may carry `role_id` only as the role's own id (GUID, any case,
/// or `id_int`): a row naming another role is refused, so a client that mixes
/// them up is caught.
fn refuse_other_roles(departments: &[Value], role: &Object) -> Check {
    let own = |text: &str| {
        role.get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.eq_ignore_ascii_case(text))
            || role
                .get("id_int")
                .and_then(Value::as_i64)
                .is_some_and(|i| i.to_string() == text)
    };
    for row in departments {
        let text = match row.get("role_id") {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(other) => other.to_string(),
        };
        if !text.is_empty() && !own(&text) {
            return Err(format!(
                "field `departments[].role_id`: {text} is not this role's id (a role's rows \
                 carry its own id or none)"
            ));
        }
    }
    Ok(())
}

/// An agent's rows carrying `role_id` come from its roles (docs/halo-api.md,
/// "Agents"): they are shown in answers but never written. The emulator
/// refuses a write that sends one back, so a client that does is caught.
fn refuse_inherited(departments: &[Value]) -> Check {
    let inherited = departments
        .iter()
        .find_map(|row| row.get("role_id").filter(|v| !v.is_null()));
    match inherited {
        None => Ok(()),
        Some(role) => Err(format!(
            "field `departments[].role_id`: the membership comes from role {role} and cannot \
             be written to the agent (send the agent's own rows only)"
        )),
    }
}

fn check_application(merged: &Object, changes: &Object, store: &dyn Refs) -> Check {
    // Any grant type is kept (Halo's screen offers more than the provider encodes);
    // only the client-credentials one needs its login agent.
    let grant = merged.get("grant_type").and_then(Value::as_str);
    if grant == Some("client_credentials") {
        let agent = merged
            .get("loginas_agent_id")
            .and_then(Value::as_i64)
            .ok_or(
                "field `loginas_agent_id` is required when `grant_type` is `client_credentials`",
            )?;
        if changes.contains_key("loginas_agent_id") || changes.contains_key("grant_type") {
            exists(store, Kind::Agent, "loginas_agent_id", &agent.to_string())?;
        }
    }
    if let Some(scopes) = changes.get("scopes").and_then(Value::as_array) {
        for scope in scopes {
            let name = scope
                .get("name")
                .and_then(Value::as_str)
                .ok_or("field `scopes[].name` must be a string")?;
            if !is_scope(name) {
                return Err(format!("field `scopes[].name`: unknown scope `{name}`"));
            }
        }
    }
    Ok(())
}

/// A webhook needs a URL; its events are `UnameNotification` objects whose
/// `eventno` says which event (docs/halo-api.md, "Webhook"). The ints of `method`
/// and `authentication_type` are kept whatever their value.
fn check_webhook(merged: &Object, changes: &Object) -> Check {
    match merged.get("url").and_then(Value::as_str).map(str::trim) {
        None | Some("") => return Err("field `url` is required and must not be empty".into()),
        Some(_) => {}
    }
    if let Some(events) = changes.get("events").and_then(Value::as_array) {
        for event in events {
            if !event.get("eventno").is_some_and(Value::is_i64) {
                return Err("field `events[].eventno` must be an integer".into());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_names() {
        for ok in [
            "all",
            "read:tickets",
            "edit:kb",
            "editMine:timesheets",
            "access:chat",
        ] {
            assert!(is_scope(ok), "{ok}");
        }
        for bad in ["read:", "write:tickets", "edit:nothing", "ALL", ""] {
            assert!(!is_scope(bad), "{bad}");
        }
    }

    #[test]
    fn claims_of_any_value_but_objects_only() {
        let any = serde_json::json!([{"type": "custom:thing", "value": "7"}, {"type": "Tx", "value": "2"}, {"type": "SA", "value": "true"}]);
        let any = any.as_array().map(Vec::as_slice).unwrap_or_default();
        assert!(check_claims(any).is_ok());
        assert!(check_claim_domains(any, &[]).is_ok());
        let bad = serde_json::json!(["Tx"]);
        assert!(check_claims(bad.as_array().map(Vec::as_slice).unwrap_or_default()).is_err());
        let number = serde_json::json!([{"type": "Tx", "value": 2}]);
        assert!(check_claims(number.as_array().map(Vec::as_slice).unwrap_or_default()).is_err());
        let outside = serde_json::json!([{"type": "Ux", "value": "4"}]);
        let outside = outside.as_array().map(Vec::as_slice).unwrap_or_default();
        assert!(check_claims(outside).is_ok());
        let refused = check_claim_domains(outside, &[]);
        assert!(refused.is_err_and(|m| m.contains("Ux")));
        assert!(
            check_claim_domains(outside, outside).is_ok(),
            "held as it is"
        );
    }

    #[test]
    fn a_roles_rows_carry_its_own_id_only() {
        let role: Object = serde_json::from_value(serde_json::json!({"id": "AB-cd", "id_int": 4}))
            .unwrap_or_default();
        let rows = serde_json::json!([
            {"department_id": 1, "membershiplevel": 0, "role_id": "ab-CD"},
            {"department_id": 2, "membershiplevel": 0, "role_id": "4"},
            {"department_id": 3, "membershiplevel": 0}
        ]);
        assert!(refuse_other_roles(
            rows.as_array().map(Vec::as_slice).unwrap_or_default(),
            &role
        )
        .is_ok());
        let other = serde_json::json!([{"department_id": 1, "membershiplevel": 0, "role_id": "x"}]);
        assert!(refuse_other_roles(
            other.as_array().map(Vec::as_slice).unwrap_or_default(),
            &role
        )
        .is_err());
    }

    #[test]
    fn inherited_rows_are_refused() {
        let own = serde_json::json!([{"department_id": 1, "membershiplevel": 0, "role_id": null}]);
        assert!(refuse_inherited(own.as_array().map(Vec::as_slice).unwrap_or_default()).is_ok());
        let inherited =
            serde_json::json!([{"department_id": 1, "membershiplevel": 0, "role_id": "r"}]);
        let refused = refuse_inherited(inherited.as_array().map(Vec::as_slice).unwrap_or_default());
        assert!(refused.is_err_and(|m| m.contains("role_id")));
    }
}
