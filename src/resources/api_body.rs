//! The `body` of `halopsa_api_object` and `halopsa_api_setting`: a dynamic value
//! holding the keys the user manages, checked against Halo's schema
//! (`halo-catalog`) at plan time, sent as JSON, and refreshed from Halo's answer
//! key by key, so that whatever else Halo holds never shows as a diff.

use std::collections::BTreeMap;

use halo_catalog::{catalog, nearest, PathStep};
use serde_json::Value as J;

use crate::framework::codec::type_of;
use crate::framework::infer_type;
use crate::framework::{AttrPath, Diagnostic, Diagnostics, Number, Type, Value};

/// The JSON of a body value; nulls are kept (a key set to null clears it in
/// Halo), unknown values (only at plan time) read as null.
pub fn to_json(v: &Value) -> J {
    match v {
        Value::Null | Value::Unknown => J::Null,
        Value::Dynamic(_, inner) => to_json(inner),
        Value::Bool(b) => J::Bool(*b),
        Value::Number(Number::Int(i)) => J::from(*i),
        Value::Number(Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(J::Null, J::Number)
        }
        Value::String(s) => J::String(s.clone()),
        Value::List(items) | Value::Set(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(m) | Value::Object(m) => {
            J::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

/// A dynamic value of a JSON document, typed as an HCL literal of it would be.
pub fn from_json(j: &J) -> Value {
    let ty = infer_type(j);
    match Value::from_json(j, &ty, false) {
        Ok(v) => Value::dynamic(ty, v),
        Err(_) => Value::Null,
    }
}

/// The keys of a body object (empty for null).
pub fn keys(body: &Value) -> Vec<String> {
    match body.undynamic() {
        Value::Object(m) | Value::Map(m) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Checks a configured body at plan time: it must be an object, and every key
/// (nested ones where the schema types them) a field of `schema`. Errors name
/// the key path under `attr` and the nearest field name.
pub fn check(attr: &str, body: &Value, family: &str, schema: &str, diags: &mut Diagnostics) {
    let inner = body.undynamic();
    if inner.is_null() || inner.is_unknown() {
        return;
    }
    if !matches!(inner, Value::Object(_) | Value::Map(_)) {
        diags.push(Diagnostic::attribute_error(
            AttrPath::root(attr),
            format!("{attr} must be an object"),
            format!("{attr} holds the fields of the {family} object: an object such as {{ name = \"...\" }}."),
        ));
        return;
    }
    for e in catalog().check_body(schema, &to_json(inner)) {
        let mut path = AttrPath::root(attr);
        let mut text = attr.to_string();
        for step in &e.path {
            match step {
                PathStep::Key(k) => {
                    path = path.attr(k);
                    text.push('.');
                    text.push_str(k);
                }
                PathStep::Index(i) => {
                    path = path.index(*i as i64);
                    text.push_str(&format!("[{i}]"));
                }
            }
        }
        let key = match e.path.last() {
            Some(PathStep::Key(k)) => k.as_str(),
            _ => "",
        };
        let hint = match &e.suggestion {
            Some(s) => format!(" Did you mean \"{s}\"?"),
            None => String::new(),
        };
        diags.push(Diagnostic::attribute_error(
            path,
            format!("Unknown field in {attr}"),
            format!(
                "{text}: Halo's {} schema ({family}) has no field \"{key}\".{hint}",
                e.schema
            ),
        ));
    }
}

/// The error for a path that is not a family, with the nearest one.
pub fn unknown_path(attr: &str, path: &str, names: Vec<&str>, what: &str) -> Diagnostic {
    let hint = match nearest(path, names.iter().copied()) {
        Some(n) => format!(" Did you mean \"{n}\"?"),
        None => String::new(),
    };
    Diagnostic::attribute_error(
        AttrPath::root(attr),
        format!("Unknown Halo {what}"),
        format!(
            "\"{path}\" is not {what} of Halo's API (docs/halo-api.md, \"Generic objects\").{hint}"
        ),
    )
}

/// `base` with the keys of `extra` merged in (both JSON objects).
pub fn merged(base: J, extra: &Value) -> J {
    match (base, to_json(extra)) {
        (J::Object(mut a), J::Object(b)) => {
            a.extend(b);
            J::Object(a)
        }
        (a, _) => a,
    }
}

/// The body as Halo holds it now, limited to the keys (and nested keys of
/// objects, and of list elements) of `prior`: the refreshed state of a body.
/// Where nothing changed, `prior` itself, so its types stay exactly as
/// Terraform sent them.
pub fn refreshed(halo: &J, prior: &Value) -> Value {
    let shaped = shape(halo, prior);
    if shaped.semantically_equal(prior) || same(&shaped, prior) {
        prior.clone()
    } else {
        shaped
    }
}

/// Equal as values, whatever their types say (a number read back as the same
/// number).
fn same(a: &Value, b: &Value) -> bool {
    to_json(a) == to_json(b)
}

fn shape(j: &J, prior: &Value) -> Value {
    match prior {
        Value::Dynamic(ty, inner) => {
            let (t, v) = shape_typed(j, inner, ty);
            Value::dynamic(t, v)
        }
        other => {
            let (_, v) = shape_typed(j, other, &type_of(other));
            v
        }
    }
}

fn inferred(j: &J) -> (Type, Value) {
    let ty = infer_type(j);
    match Value::from_json(j, &ty, false) {
        Ok(v) => (ty, v),
        Err(_) => (Type::Dynamic, Value::Null),
    }
}

fn shape_typed(j: &J, prior: &Value, ty: &Type) -> (Type, Value) {
    match (ty, prior, j) {
        (_, Value::Dynamic(t, inner), _) => {
            let (t2, v) = shape_typed(j, inner, t);
            (Type::Dynamic, Value::dynamic(t2, v))
        }
        (Type::Dynamic, _, _) => {
            let (t, v) = inferred(j);
            if j.is_null() {
                (Type::Dynamic, Value::Null)
            } else {
                (Type::Dynamic, Value::dynamic(t, v))
            }
        }
        (t, _, J::Null) => (t.clone(), Value::Null),
        (Type::Object(attrs), Value::Object(m), J::Object(o)) => {
            let mut types = BTreeMap::new();
            let mut values = BTreeMap::new();
            for (k, t) in attrs {
                let p = m.get(k).unwrap_or(&Value::Null);
                let (t2, v) = shape_typed(o.get(k).unwrap_or(&J::Null), p, t);
                types.insert(k.clone(), t2);
                values.insert(k.clone(), v);
            }
            (Type::Object(types), Value::Object(values))
        }
        (Type::Map(e), Value::Map(m), J::Object(o)) => {
            let values = m
                .iter()
                .map(|(k, p)| {
                    let (_, v) = shape_typed(o.get(k).unwrap_or(&J::Null), p, e);
                    (k.clone(), v)
                })
                .collect();
            (ty.clone(), Value::Map(values))
        }
        (Type::Tuple(ts), Value::List(ps), J::Array(items)) => {
            let mut types = Vec::with_capacity(items.len());
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let template = ps.get(i).or(ps.last());
                let t = ts.get(i).or(ts.last());
                let (t2, v) = match (template, t) {
                    (Some(p), Some(t)) => shape_typed(item, p, t),
                    _ => inferred(item),
                };
                types.push(t2);
                values.push(v);
            }
            (Type::Tuple(types), Value::List(values))
        }
        (Type::List(e) | Type::Set(e), Value::List(ps) | Value::Set(ps), J::Array(items)) => {
            let mut values = Vec::with_capacity(items.len());
            let mut fits = true;
            for (i, item) in items.iter().enumerate() {
                let (t2, v) = match ps.get(i).or(ps.last()) {
                    Some(p) => shape_typed(item, p, e),
                    None => inferred(item),
                };
                fits &= &t2 == e.as_ref();
                values.push(v);
            }
            match (fits, ty) {
                (true, Type::Set(_)) => (ty.clone(), Value::Set(values)),
                (true, _) => (ty.clone(), Value::List(values)),
                (false, _) => inferred(j),
            }
        }
        (Type::String, _, J::String(s)) => (Type::String, Value::String(s.clone())),
        (Type::String, _, J::Number(n)) => (Type::String, Value::String(n.to_string())),
        (Type::String, _, J::Bool(b)) => (Type::String, Value::String(b.to_string())),
        (Type::Number, _, J::Number(_) | J::String(_)) => {
            match Value::from_json(j, &Type::Number, false) {
                Ok(v) => (Type::Number, v),
                Err(_) => inferred(j),
            }
        }
        (Type::Bool, _, J::Bool(_) | J::String(_)) => match Value::from_json(j, &Type::Bool, false)
        {
            Ok(v) => (Type::Bool, v),
            Err(_) => inferred(j),
        },
        _ => inferred(j),
    }
}

/// The body of an object found without a prior state (an import or a listed
/// object): its writable fields with a value (not read-only, not derived
/// `*_name`, not `_`-prefixed, not `id` or `guid`).
pub fn writable(schema: &str, halo: &J) -> Value {
    let Some(s) = catalog().schema(schema) else {
        return Value::Null;
    };
    let J::Object(o) = halo else {
        return Value::Null;
    };
    let kept: serde_json::Map<String, J> = o
        .iter()
        .filter(|(k, v)| {
            !v.is_null() && k.as_str() != "guid" && s.fields.contains_key(*k) && s.writable(k)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    from_json(&J::Object(kept))
}

/// The `output` of an answer: the keys (or JSON pointers, `/a/0/b`) named in
/// `exports`, each under its own name; null when none is asked for.
pub fn exported(halo: &J, exports: &[String]) -> Value {
    if exports.is_empty() {
        return Value::Null;
    }
    let picked: serde_json::Map<String, J> = exports
        .iter()
        .map(|e| {
            let v = if e.starts_with('/') {
                halo.pointer(e).cloned()
            } else {
                halo.get(e).cloned()
            };
            (e.clone(), v.unwrap_or(J::Null))
        })
        .collect();
    from_json(&J::Object(picked))
}

/// Halo's id of an answer as text (ints as decimal, GUIDs as given).
pub fn id_text(halo: &J) -> Option<String> {
    match halo.get("id")? {
        J::Number(n) => Some(n.to_string()),
        J::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(j: J) -> Value {
        from_json(&j)
    }

    #[test]
    fn a_refresh_keeps_only_the_managed_keys() {
        let prior = body(json!({"name": "A", "priorities": [{"name": "P1", "responsetime": 4}]}));
        let halo = json!({"id": 3, "name": "A", "extra": 1,
            "priorities": [{"name": "P1", "responsetime": 4.0, "id": "g"}]});
        assert_eq!(refreshed(&halo, &prior), prior);
        let drifted = json!({"name": "B", "priorities": [{"name": "P1", "responsetime": 4}]});
        let r = refreshed(&drifted, &prior);
        assert_ne!(r, prior);
        assert_eq!(
            to_json(&r),
            json!({"name": "B", "priorities": [{"name": "P1", "responsetime": 4}]})
        );
    }

    #[test]
    fn writable_fields_leave_out_derived_and_flag_fields() {
        let schema = &catalog()
            .family("SLA")
            .map(|(_, f)| f.schema.clone())
            .unwrap_or_default();
        let b = writable(
            schema,
            &json!({"id": 1, "name": "S", "workday_id": 2, "workday_name": "W", "_warning": "x", "guid": "g", "nope": 1}),
        );
        assert_eq!(to_json(&b), json!({"name": "S", "workday_id": 2}));
    }
}
