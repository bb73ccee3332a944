//! The references a state already held, for plan-time reference checks.
//!
//! A check that a referenced object exists must not block what Terraform does
//! when an object was deleted outside it: a `terraform destroy` first runs a
//! normal plan (the pre-destroy refresh) and any error there aborts the destroy.
//! So a missing reference is an error only when it is new to the state (a typo,
//! a wrong literal) and a warning when the state already held it: the resource's
//! prior state has it, or a resource whose refresh found it gone held it (the
//! server remembers those for the life of the provider process, because
//! Terraform plans such a resource as a create, with no prior state).

use std::collections::HashSet;

use super::diag::{AttrPath, Diagnostic};
use super::schema::{Attribute, Reference};
use super::value::Value;

/// (referenced type, referenced attribute, value as compared).
type Held = (&'static str, &'static str, String);

/// References held by the state (see the module documentation), and the
/// objects this run plans: a reference by a value known at plan (a name, e.g.
/// `default_team = halopsa_team.projects.name`) to an object the same apply
/// creates names nothing the API has yet, and must not be looked up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldReferences {
    held: HashSet<Held>,
    planned: HashSet<Held>,
}

/// How a value is compared: ids and names alike, trimmed and case-folded (a
/// name reference matches case-insensitively, as the lookups do).
fn key(value: &str) -> String {
    value.trim().to_ascii_lowercase()
}

impl HeldReferences {
    /// The references `state` holds through the top-level attributes of `attrs`
    /// that declare [`Attribute::references`].
    pub fn of_state(attrs: &[(&'static str, Attribute)], state: &Value) -> HeldReferences {
        let mut held = HeldReferences::default();
        if state.is_null() || state.is_unknown() {
            return held;
        }
        for (name, attr) in attrs {
            if let Some(r) = attr.references {
                for value in referenced_values(state.attr(name)) {
                    held.held.insert((r.type_name, r.attribute, key(value)));
                }
            }
        }
        held
    }

    /// The values a planned state of `type_name` offers to references: those
    /// of its top-level attributes named in `targets` (the attributes other
    /// types reference), when known.
    pub fn of_plan(
        type_name: &'static str,
        targets: &[&'static str],
        planned: &Value,
    ) -> HeldReferences {
        let mut offered = HeldReferences::default();
        if planned.is_null() || planned.is_unknown() {
            return offered;
        }
        for attribute in targets {
            for value in referenced_values(planned.attr(attribute)) {
                offered.planned.insert((type_name, attribute, key(value)));
            }
        }
        offered
    }

    /// Adds everything `other` holds or plans.
    pub fn extend(&mut self, other: &HeldReferences) {
        self.held.extend(other.held.iter().cloned());
        self.planned.extend(other.planned.iter().cloned());
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty() && self.planned.is_empty()
    }

    /// Whether this run plans an object of `reference`'s type whose referenced
    /// attribute is `value` (it need not exist yet: the apply creates it).
    pub fn is_planned(&self, reference: Reference, value: &str) -> bool {
        self.planned
            .contains(&(reference.type_name, reference.attribute, key(value)))
    }

    /// Whether the state held `value` as a reference to `reference`.
    pub fn holds(&self, reference: Reference, value: &str) -> bool {
        self.held
            .contains(&(reference.type_name, reference.attribute, key(value)))
    }

    /// The diagnostic for `attribute`'s `value`, which names no object of
    /// `reference`'s type in `api`: an error when the reference is new to the
    /// state, a warning (the object was deleted there; the apply will fail
    /// unless it comes back or the configuration changes) when it held it.
    pub fn missing(
        &self,
        attribute: &str,
        reference: Reference,
        value: &str,
        api: &str,
    ) -> Diagnostic {
        let kind = reference.type_name;
        let shown = if reference.attribute == "id" {
            value.trim().to_string()
        } else {
            format!("{:?}", value.trim())
        };
        if self.holds(reference, value) {
            Diagnostic::warning(
                format!("{attribute} names a deleted object"),
                format!(
                    "{kind} {shown}, which {attribute} referenced, no longer exists: it was \
                     deleted in {api}. The apply will fail unless it is restored in {api} or \
                     the configuration changes {attribute}."
                ),
            )
            .at(AttrPath::root(attribute))
        } else {
            Diagnostic::attribute_error(
                AttrPath::root(attribute),
                format!("Invalid {attribute}"),
                format!(
                    "{kind} {shown} does not exist: {attribute} must hold the {of} of a {kind} \
                     {api} has (checked at plan time).",
                    of = reference.attribute,
                ),
            )
        }
    }
}

/// The values of a referencing attribute worth looking up: known, non-empty
/// strings, one or each of a set or list, trimmed.
pub fn referenced_values(value: &Value) -> Vec<&str> {
    fn one(v: &Value) -> Option<&str> {
        v.as_str().map(str::trim).filter(|s| !s.is_empty())
    }
    match value {
        Value::Set(items) | Value::List(items) => items.iter().filter_map(one).collect(),
        v => one(v).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Severity, Type};

    const DEPT: Reference = Reference {
        type_name: "x_department",
        attribute: "id",
    };

    fn attrs() -> Vec<(&'static str, Attribute)> {
        vec![
            ("name", Attribute::string().required()),
            (
                "department_id",
                Attribute::string().references(DEPT.type_name),
            ),
            (
                "role_ids",
                Attribute::set_of(Type::String).references("x_role"),
            ),
        ]
    }

    fn state(dept: Value, roles: Value) -> Value {
        Value::Object(
            [
                ("name".to_string(), Value::string("a")),
                ("department_id".to_string(), dept),
                ("role_ids".to_string(), roles),
            ]
            .into_iter()
            .collect(),
        )
    }

    #[test]
    fn a_state_holds_its_known_referencing_values() {
        let held = HeldReferences::of_state(
            &attrs(),
            &state(
                Value::string(" 7 "),
                Value::Set(vec![Value::string("1"), Value::Unknown]),
            ),
        );
        assert!(held.holds(DEPT, "7"));
        let role = Reference {
            type_name: "x_role",
            attribute: "id",
        };
        assert!(held.holds(role, "1"));
        assert!(!held.holds(role, "7"), "a value is held for its own type");
        assert!(!held.holds(DEPT, "a"), "name references nothing");
        assert!(HeldReferences::of_state(&attrs(), &Value::Null).is_empty());
    }

    #[test]
    fn a_planned_object_offers_its_referenced_attributes() {
        let team = |name: &str| {
            Value::Object(
                [
                    ("id".to_string(), Value::Unknown),
                    ("name".to_string(), Value::string(name)),
                ]
                .into_iter()
                .collect(),
            )
        };
        let by_name = Reference {
            type_name: "x_team",
            attribute: "name",
        };
        let offered = HeldReferences::of_plan("x_team", &["id", "name"], &team("Projects"));
        assert!(offered.is_planned(by_name, " projects"));
        assert!(!offered.holds(by_name, "Projects"), "planned is not held");
        let mut all = HeldReferences::default();
        all.extend(&offered);
        assert!(all.is_planned(by_name, "Projects"));
        assert!(!all.is_planned(by_name, "Other"));
        assert!(HeldReferences::of_plan("x_team", &["id"], &team("Projects")).is_empty());
    }

    #[test]
    fn a_new_reference_is_an_error_and_a_held_one_a_warning() {
        let none = HeldReferences::default();
        let e = none.missing("department_id", DEPT, "7", "Api");
        assert_eq!(e.severity, Severity::Error);
        assert_eq!(e.path, Some(AttrPath::root("department_id")));
        assert!(e.detail.contains("x_department 7 does not exist"), "{e:?}");

        let held = HeldReferences::of_state(&attrs(), &state(Value::string("7"), Value::Null));
        let w = held.missing("department_id", DEPT, "7", "Api");
        assert_eq!(w.severity, Severity::Warning);
        assert_eq!(w.path, Some(AttrPath::root("department_id")));
        assert!(w.detail.contains("deleted in Api"), "{w:?}");
        assert!(w.detail.contains("apply will fail"), "{w:?}");
        assert_eq!(
            held.missing("department_id", DEPT, "8", "Api").severity,
            Severity::Error
        );
    }
}
