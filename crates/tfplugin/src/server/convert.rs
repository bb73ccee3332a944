//! Conversions between tfplugin6 messages and the framework's values,
//! diagnostics, attribute paths and schemas.

use crate::framework::codec;
use crate::framework::{AttrPath, Diagnostic, Diagnostics, Severity, Step};
use crate::framework::{Attribute, AttributeKind, Presence, Schema};
use crate::framework::{Type, Value};
use crate::plugin::proto::tfplugin6 as pb;

/// A value Terraform sent (msgpack, or JSON in a few places); absent is null.
pub(super) fn decode(
    dv: Option<&pb::DynamicValue>,
    ty: &Type,
) -> std::result::Result<Value, Diagnostics> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    if !dv.msgpack.is_empty() {
        return codec::decode(&dv.msgpack, ty)
            .map_err(|e| Diagnostic::error("Invalid value from Terraform", e.to_string()).into());
    }
    if !dv.json.is_empty() {
        let json: serde_json::Value = serde_json::from_slice(&dv.json)
            .map_err(|e| Diagnostic::error("Invalid JSON value from Terraform", e.to_string()))?;
        return Value::from_json(&json, ty, true)
            .map_err(|e| Diagnostic::error("Invalid JSON value from Terraform", e).into());
    }
    Ok(Value::Null)
}

/// A value for Terraform, in msgpack.
pub(super) fn encode(v: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: codec::encode(v, ty),
        json: Vec::new(),
    })
}

pub(super) fn diags_to_pb(d: &Diagnostics) -> Vec<pb::Diagnostic> {
    d.0.iter()
        .map(|d| pb::Diagnostic {
            severity: match d.severity {
                Severity::Error => pb::diagnostic::Severity::Error as i32,
                Severity::Warning => pb::diagnostic::Severity::Warning as i32,
            },
            summary: d.summary.clone(),
            detail: d.detail.clone(),
            attribute: d.path.as_ref().map(path_to_pb),
        })
        .collect()
}

pub(super) fn path_to_pb(p: &AttrPath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    Step::Attribute(a) => Selector::AttributeName(a.clone()),
                    Step::Key(k) => Selector::ElementKeyString(k.clone()),
                    Step::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

fn attribute_to_pb(name: &str, a: &Attribute) -> pb::schema::Attribute {
    let (r#type, nested_type) = match &a.kind {
        AttributeKind::Value(t) => (t.to_json().to_string().into_bytes(), None),
        AttributeKind::Nested(attrs) => (
            Vec::new(),
            Some(pb::schema::Object {
                attributes: attrs.iter().map(|(n, a)| attribute_to_pb(n, a)).collect(),
                nesting: pb::schema::object::NestingMode::Single as i32,
                ..Default::default()
            }),
        ),
    };
    pb::schema::Attribute {
        name: name.to_string(),
        r#type,
        nested_type,
        description: a.description.to_string(),
        required: a.presence == Presence::Required,
        optional: matches!(a.presence, Presence::Optional | Presence::OptionalComputed),
        computed: a.presence.is_computed(),
        sensitive: a.sensitive,
        description_kind: pb::StringKind::Markdown as i32,
        deprecated: false,
        write_only: a.write_only,
        deprecation_message: String::new(),
    }
}

pub(super) fn schema_to_pb(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(pb::schema::Block {
            version: s.version,
            attributes: s
                .attributes
                .iter()
                .map(|(n, a)| attribute_to_pb(n, a))
                .collect(),
            block_types: Vec::new(),
            description: s.description.to_string(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: false,
            deprecation_message: String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pb::attribute_path::step::Selector;

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn a_value_with_unknowns_round_trips() {
        let ty = Type::Object(
            [
                ("id".to_string(), Type::String),
                ("name".to_string(), Type::String),
                ("tags".to_string(), Type::set(Type::String)),
                ("note".to_string(), Type::String),
            ]
            .into_iter()
            .collect(),
        );
        let v = object(&[
            ("id", Value::Unknown),
            ("name", Value::string("Acme")),
            ("tags", Value::Set(vec![Value::string("a"), Value::Unknown])),
            ("note", Value::Null),
        ]);
        let back = decode(encode(&v, &ty).as_ref(), &ty).expect("decodes");
        assert_eq!(back, v);
        assert!(back.attr("id").is_unknown());
    }

    #[test]
    fn an_absent_or_empty_value_is_null() {
        assert_eq!(decode(None, &Type::String), Ok(Value::Null));
        assert_eq!(
            decode(Some(&pb::DynamicValue::default()), &Type::String),
            Ok(Value::Null)
        );
    }

    #[test]
    fn a_json_value_is_decoded_strictly() {
        let ty = Type::Object([("id".to_string(), Type::String)].into_iter().collect());
        let ok = pb::DynamicValue {
            msgpack: Vec::new(),
            json: br#"{"id":"7"}"#.to_vec(),
        };
        assert_eq!(
            decode(Some(&ok), &ty),
            Ok(object(&[("id", Value::string("7"))]))
        );
        let extra = pb::DynamicValue {
            msgpack: Vec::new(),
            json: br#"{"id":"7","other":1}"#.to_vec(),
        };
        let err = decode(Some(&extra), &ty).expect_err("an attribute the type lacks");
        assert_eq!(err.0[0].summary, "Invalid JSON value from Terraform");
    }

    #[test]
    fn garbage_msgpack_is_a_diagnostic() {
        let dv = pb::DynamicValue {
            msgpack: vec![0xc1],
            json: Vec::new(),
        };
        let err = decode(Some(&dv), &Type::String).expect_err("0xc1 is never valid msgpack");
        assert_eq!(err.0[0].summary, "Invalid value from Terraform");
    }

    #[test]
    fn a_diagnostic_keeps_its_nested_path() {
        let mut path = AttrPath::root("permissions")
            .index(2)
            .attr("tickets_access");
        path.0.push(Step::Key("k".to_string()));
        let mut diags = Diagnostics::new();
        diags.push(Diagnostic::attribute_error(path, "Bad", "very bad"));
        diags.push(Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error("Careful", "no path")
        });
        let pb = diags_to_pb(&diags);
        assert_eq!(pb.len(), 2);
        assert_eq!(pb[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(pb[0].summary, "Bad");
        assert_eq!(pb[0].detail, "very bad");
        let steps: Vec<_> = pb[0]
            .attribute
            .as_ref()
            .expect("has a path")
            .steps
            .iter()
            .map(|s| s.selector.clone())
            .collect();
        assert_eq!(
            steps,
            vec![
                Some(Selector::AttributeName("permissions".to_string())),
                Some(Selector::ElementKeyInt(2)),
                Some(Selector::AttributeName("tickets_access".to_string())),
                Some(Selector::ElementKeyString("k".to_string())),
            ]
        );
        assert_eq!(pb[1].severity, pb::diagnostic::Severity::Warning as i32);
        assert_eq!(pb[1].attribute, None);
    }

    #[test]
    fn a_schema_carries_presence_types_and_nesting() {
        let old = Attribute::bool();
        let s = Schema::new("A thing.")
            .version(2)
            .attribute("id", Attribute::string().computed())
            .attribute("name", Attribute::string().required())
            .attribute("secret", Attribute::string().optional().sensitive())
            .attribute("old", old)
            .attribute(
                "token_wo",
                Attribute::string().optional().sensitive().write_only(),
            )
            .attribute(
                "inner",
                Attribute::nested(vec![("n", Attribute::number().optional_computed())]),
            );
        let pb = schema_to_pb(&s);
        assert_eq!(pb.version, 2);
        let block = pb.block.expect("a block");
        assert_eq!(block.description, "A thing.");
        let attr = |n: &str| {
            block
                .attributes
                .iter()
                .find(|a| a.name == n)
                .unwrap_or_else(|| panic!("attribute {n}"))
        };
        assert!(attr("id").computed && !attr("id").optional && !attr("id").required);
        assert!(attr("name").required && !attr("name").computed);
        assert_eq!(attr("name").r#type, br#""string""#.to_vec());
        assert!(attr("secret").sensitive && attr("secret").optional);
        assert!(!attr("name").sensitive);
        assert!(attr("token_wo").write_only && attr("token_wo").optional);
        assert!(!attr("secret").write_only);
        let nested = attr("inner").nested_type.as_ref().expect("nested");
        assert!(attr("inner").r#type.is_empty());
        assert_eq!(
            nested.nesting,
            pb::schema::object::NestingMode::Single as i32
        );
        assert!(nested.attributes[0].optional && nested.attributes[0].computed);
    }
}
