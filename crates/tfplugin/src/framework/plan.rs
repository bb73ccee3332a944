//! The generic part of planning a resource change: defaults, computed values that
//! will change, values kept from state, and attributes that force replacement.

use super::diag::AttrPath;
use super::schema::{Attribute, AttributeKind, PlanModifier, Schema};
use super::value::Value;

/// The plan before any resource-specific adjustment.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub state: Value,
    pub requires_replace: Vec<AttrPath>,
}

/// Plans a change from `prior` state to Terraform's `proposed` new state for the
/// given configuration. A null `proposed` is a destroy and stays null.
pub fn plan_resource(schema: &Schema, prior: &Value, proposed: &Value, config: &Value) -> Planned {
    if proposed.is_null() {
        return Planned {
            state: Value::Null,
            requires_replace: Vec::new(),
        };
    }
    // Write-only values are never planned (Terraform requires them null).
    let mut state = super::schema::without(proposed, schema.write_only_attributes());
    apply_defaults(&schema.attributes, &mut state, config);

    let creating = prior.is_null();
    let changing = creating || !state.semantically_equal(prior);
    if changing {
        for (name, attr) in &schema.attributes {
            let set_by_provider = attr.presence.is_computed()
                && attr.default.is_none()
                && config.attr(name).is_null();
            let keep = !creating && attr.has(PlanModifier::UseStateForUnknown);
            if set_by_provider && !keep {
                state.set_attr(name, Value::Unknown);
            }
        }
    }

    let mut requires_replace = Vec::new();
    if !creating {
        for (name, attr) in &schema.attributes {
            if attr.has(PlanModifier::RequiresReplace)
                && !state.attr(name).semantically_equal(prior.attr(name))
            {
                requires_replace.push(AttrPath::root(name));
            }
        }
    }
    Planned {
        state,
        requires_replace,
    }
}

/// Fills defaults into `state` wherever configuration leaves an attribute out,
/// including inside nested objects.
fn apply_defaults(attrs: &[(&'static str, Attribute)], state: &mut Value, config: &Value) {
    for (name, attr) in attrs {
        let configured = config.attr(name);
        if configured.is_null() {
            if let Some(default) = &attr.default {
                state.set_attr(name, default.clone());
            }
        }
        if let AttributeKind::Nested(nested) = &attr.kind {
            if let Some(inner) = state.attr_mut(name) {
                if matches!(inner, Value::Object(_)) {
                    apply_defaults(nested, inner, configured);
                }
            }
        }
    }
}

/// The object Terraform would store for a nested attribute left entirely to its
/// defaults: each nested attribute at its default, or null.
pub fn default_object(attrs: &[(&'static str, Attribute)]) -> Value {
    Value::Object(
        attrs
            .iter()
            .map(|(n, a)| (n.to_string(), a.default.clone().unwrap_or(Value::Null)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::Attribute;
    use std::collections::BTreeMap;

    fn schema() -> Schema {
        Schema::new("test")
            .attribute("id", Attribute::string().computed().use_state_for_unknown())
            .attribute("name", Attribute::string().required())
            .attribute("parent", Attribute::string().required().requires_replace())
            .attribute("active", Attribute::bool().default(Value::Bool(true)))
            .attribute("secret", Attribute::string().computed())
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut m: BTreeMap<String, Value> = ["id", "name", "parent", "active", "secret"]
            .iter()
            .map(|k| (k.to_string(), Value::Null))
            .collect();
        for (k, v) in pairs {
            m.insert(k.to_string(), v.clone());
        }
        Value::Object(m)
    }

    #[test]
    fn create_marks_computed_unknown_and_applies_defaults() {
        let config = obj(&[("name", Value::string("a")), ("parent", Value::string("1"))]);
        let p = plan_resource(&schema(), &Value::Null, &config, &config);
        assert_eq!(p.state.attr("id"), &Value::Unknown);
        assert_eq!(p.state.attr("secret"), &Value::Unknown);
        assert_eq!(p.state.attr("active"), &Value::Bool(true));
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn no_change_keeps_prior_state() {
        let prior = obj(&[
            ("id", Value::string("7")),
            ("name", Value::string("a")),
            ("parent", Value::string("1")),
            ("active", Value::Bool(true)),
            ("secret", Value::string("s")),
        ]);
        let config = obj(&[("name", Value::string("a")), ("parent", Value::string("1"))]);
        let p = plan_resource(&schema(), &prior, &prior, &config);
        assert_eq!(p.state, prior);
    }

    #[test]
    fn write_only_values_are_never_planned() {
        let schema = schema().attribute("token_wo", Attribute::string().write_only());
        let mut config = obj(&[("name", Value::string("a")), ("parent", Value::string("1"))]);
        config.set_attr("token_wo", Value::string("hush"));
        let created = plan_resource(&schema, &Value::Null, &config, &config);
        assert_eq!(created.state.attr("token_wo"), &Value::Null);
        assert_eq!(created.state.attr("name"), &Value::string("a"));

        let mut prior = obj(&[
            ("id", Value::string("7")),
            ("name", Value::string("a")),
            ("parent", Value::string("1")),
            ("active", Value::Bool(true)),
            ("secret", Value::string("s")),
        ]);
        prior.set_attr("token_wo", Value::Null);
        let mut proposed = prior.clone();
        proposed.set_attr("token_wo", Value::string("hush"));
        let unchanged = plan_resource(&schema, &prior, &proposed, &config);
        assert_eq!(
            unchanged.state, prior,
            "a write-only value alone is no change"
        );
    }

    #[test]
    fn update_keeps_stable_ids_and_flags_replacement() {
        let prior = obj(&[
            ("id", Value::string("7")),
            ("name", Value::string("a")),
            ("parent", Value::string("1")),
            ("active", Value::Bool(true)),
            ("secret", Value::string("s")),
        ]);
        let config = obj(&[("name", Value::string("b")), ("parent", Value::string("2"))]);
        let mut proposed = prior.clone();
        proposed.set_attr("name", Value::string("b"));
        proposed.set_attr("parent", Value::string("2"));
        let p = plan_resource(&schema(), &prior, &proposed, &config);
        assert_eq!(p.state.attr("id"), &Value::string("7"));
        assert_eq!(p.state.attr("secret"), &Value::Unknown);
        assert_eq!(p.requires_replace, vec![AttrPath::root("parent")]);
    }
}
