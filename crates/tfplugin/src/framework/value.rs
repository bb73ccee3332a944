//! Terraform values: the types of the wire protocol and the values that travel with
//! them, including null and not-yet-known ("unknown") values.

use std::collections::BTreeMap;
use std::fmt;

/// A Terraform type, as it appears in a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Bool,
    Number,
    String,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Dynamic,
}

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// The JSON form Terraform uses for types in schemas (`"string"`, `["set","string"]`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Type::Bool => json!("bool"),
            Type::Number => json!("number"),
            Type::String => json!("string"),
            Type::Dynamic => json!("dynamic"),
            Type::List(e) => json!(["list", e.to_json()]),
            Type::Set(e) => json!(["set", e.to_json()]),
            Type::Map(e) => json!(["map", e.to_json()]),
            Type::Object(attrs) => {
                let attrs: serde_json::Map<String, serde_json::Value> = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect();
                json!(["object", attrs])
            }
        }
    }

    /// Parses the JSON form of a type (used for dynamically typed values).
    pub fn from_json(json: &serde_json::Value) -> Result<Type, String> {
        use serde_json::Value as J;
        match json {
            J::String(s) => match s.as_str() {
                "bool" => Ok(Type::Bool),
                "number" => Ok(Type::Number),
                "string" => Ok(Type::String),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(format!("unknown primitive type {other:?}")),
            },
            J::Array(parts) => match (parts.first().and_then(J::as_str), parts.get(1)) {
                (Some("list"), Some(e)) => Ok(Type::list(Type::from_json(e)?)),
                (Some("set"), Some(e)) => Ok(Type::set(Type::from_json(e)?)),
                (Some("map"), Some(e)) => Ok(Type::map(Type::from_json(e)?)),
                (Some("object"), Some(J::Object(attrs))) => {
                    let mut out = BTreeMap::new();
                    for (k, t) in attrs {
                        out.insert(k.clone(), Type::from_json(t)?);
                    }
                    Ok(Type::Object(out))
                }
                (Some("tuple"), _) => Err("tuple types are not supported".into()),
                _ => Err(format!("malformed type {json}")),
            },
            other => Err(format!("malformed type {other}")),
        }
    }
}

/// A number. Terraform numbers are arbitrary precision; the provider only needs
/// integers (ids) and keeps anything else as a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(i),
            Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            Number::Float(_) => None,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A Terraform value. Objects and maps keep their keys sorted, which is also the
/// order Terraform uses on the wire.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    /// Not known until apply. Refinements Terraform attaches are accepted and dropped.
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True when the value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::List(v) | Value::Set(v) => v.iter().any(Value::contains_unknown),
            Value::Map(m) | Value::Object(m) => m.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An attribute of an object value; `Null` for anything else or a missing key.
    pub fn attr(&self, name: &str) -> &Value {
        const NULL: &Value = &Value::Null;
        match self {
            Value::Object(m) => m.get(name).unwrap_or(NULL),
            _ => NULL,
        }
    }

    /// Sets an attribute of an object value; does nothing for other values.
    pub fn set_attr(&mut self, name: &str, value: Value) {
        if let Value::Object(m) = self {
            m.insert(name.to_string(), value);
        }
    }

    pub fn attr_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(name),
            _ => None,
        }
    }

    /// Equality that treats sets as unordered collections.
    pub fn semantically_equal(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Set(a), Value::Set(b)) => {
                a.len() == b.len()
                    && a.iter().all(|x| b.iter().any(|y| x.semantically_equal(y)))
                    && b.iter().all(|y| a.iter().any(|x| x.semantically_equal(y)))
            }
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.semantically_equal(y))
            }
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, x)| b.get(k).is_some_and(|y| x.semantically_equal(y)))
            }
            (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            },
            _ => self == other,
        }
    }

    /// A JSON rendering for typed models: null and unknown both become JSON null and
    /// null object attributes are left out, so serde defaults apply to them.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null | Value::Unknown => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(Number::Int(i)) => J::from(*i),
            Value::Number(Number::Float(f)) => {
                serde_json::Number::from_f64(*f).map_or(J::Null, J::Number)
            }
            Value::String(s) => J::String(s.clone()),
            Value::List(v) | Value::Set(v) => J::Array(v.iter().map(Value::to_json).collect()),
            Value::Map(m) | Value::Object(m) => J::Object(
                m.iter()
                    .filter(|(_, v)| !v.is_null() && !v.is_unknown())
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Builds a value of type `ty` from JSON (typed models and stored state).
    /// Object attributes missing from the JSON are null; unknown keys are an error
    /// only when `strict`.
    pub fn from_json(json: &serde_json::Value, ty: &Type, strict: bool) -> Result<Value, String> {
        use serde_json::Value as J;
        Ok(match (ty, json) {
            (_, J::Null) => Value::Null,
            (Type::Bool, J::Bool(b)) => Value::Bool(*b),
            (Type::Bool, J::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
            (Type::Number, J::Number(n)) => Value::Number(match n.as_i64() {
                Some(i) => Number::Int(i),
                None => Number::Float(n.as_f64().ok_or("number out of range")?),
            }),
            (Type::Number, J::String(s)) => match s.parse::<i64>() {
                Ok(i) => Value::Number(Number::Int(i)),
                Err(_) => Value::Number(Number::Float(
                    s.parse::<f64>()
                        .map_err(|_| format!("{s:?} is not a number"))?,
                )),
            },
            (Type::String, J::String(s)) => Value::String(s.clone()),
            (Type::String, J::Number(n)) => Value::String(n.to_string()),
            (Type::String, J::Bool(b)) => Value::String(b.to_string()),
            (Type::List(e), J::Array(items)) => Value::List(
                items
                    .iter()
                    .map(|i| Value::from_json(i, e, strict))
                    .collect::<Result<_, _>>()?,
            ),
            (Type::Set(e), J::Array(items)) => {
                let mut out: Vec<Value> = Vec::with_capacity(items.len());
                for item in items {
                    let v = Value::from_json(item, e, strict)?;
                    if !out.iter().any(|x| x.semantically_equal(&v)) {
                        out.push(v);
                    }
                }
                Value::Set(out)
            }
            (Type::Map(e), J::Object(m)) => Value::Map(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), Value::from_json(v, e, strict)?)))
                    .collect::<Result<_, String>>()?,
            ),
            (Type::Object(attrs), J::Object(m)) => {
                if strict {
                    if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                        return Err(format!("unsupported attribute {extra:?}"));
                    }
                }
                let mut out = BTreeMap::new();
                for (name, t) in attrs {
                    let v = match m.get(name) {
                        Some(j) => Value::from_json(j, t, strict)
                            .map_err(|e| format!("attribute {name:?}: {e}"))?,
                        None => Value::Null,
                    };
                    out.insert(name.clone(), v);
                }
                Value::Object(out)
            }
            (Type::Dynamic, j) => Value::from_json(j, &infer_type(j), strict)?,
            (t, j) => return Err(format!("expected {}, found {}", t.to_json(), json_kind(j))),
        })
    }
}

fn json_kind(j: &serde_json::Value) -> &'static str {
    match j {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a bool",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn infer_type(j: &serde_json::Value) -> Type {
    use serde_json::Value as J;
    match j {
        J::Bool(_) => Type::Bool,
        J::Number(_) => Type::Number,
        J::Null | J::String(_) => Type::String,
        J::Array(items) => Type::list(items.first().map_or(Type::String, infer_type)),
        J::Object(m) => Type::Object(m.iter().map(|(k, v)| (k.clone(), infer_type(v))).collect()),
    }
}
