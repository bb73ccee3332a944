//! The schema of a look-up data source, derived from the model it answers with:
//! the same attributes, all set by the provider, except the ones a configuration
//! uses to find the object (`id`, `name` and any narrowing filters).

use super::schema::{Attribute, Presence, Schema};

/// The look-up schema for `attributes` (a resource's model, usually): attributes
/// named in `searchable` may be configured (optional and computed, their
/// validators kept, `descriptions` replacing theirs where given); every other
/// attribute is computed, without defaults, plan modifiers or validators.
pub fn lookup_schema(
    description: &'static str,
    attributes: Vec<(&'static str, Attribute)>,
    searchable: &[(&'static str, Option<String>)],
) -> Schema {
    let mut schema = Schema::new(description);
    for (name, mut attr) in attributes {
        attr.default = None;
        attr.modifiers.clear();
        match searchable.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => {
                attr.presence = Presence::OptionalComputed;
                if let Some(text) = text {
                    attr.description = text.clone().into();
                }
            }
            None => {
                attr.presence = Presence::Computed;
                attr.validators.clear();
            }
        }
        schema = schema.attribute(name, attr);
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{Validator, Value};

    #[test]
    fn searchable_attributes_stay_configurable_and_the_rest_become_computed() {
        let attrs = vec![
            (
                "id",
                Attribute::string()
                    .computed()
                    .use_state_for_unknown()
                    .description("Id."),
            ),
            (
                "name",
                Attribute::string()
                    .required()
                    .validate(Validator::length(1, 5))
                    .description("Name."),
            ),
            ("active", Attribute::bool().default(Value::Bool(true))),
        ];
        let s = lookup_schema(
            "d",
            attrs,
            &[("id", None), ("name", Some("By name.".into()))],
        );
        let get = |n: &str| s.get(n).cloned();
        let id = get("id").map(|a| (a.presence, a.modifiers.len()));
        assert_eq!(id, Some((Presence::OptionalComputed, 0)));
        let name = get("name").map(|a| (a.presence, a.validators.len(), a.description));
        assert_eq!(
            name,
            Some((Presence::OptionalComputed, 1, "By name.".into()))
        );
        let active = get("active").map(|a| (a.presence, a.default));
        assert_eq!(active, Some((Presence::Computed, None)));
    }
}
