//! The msgpack encoding Terraform uses for `DynamicValue`, read against a schema type.
//!
//! Unknown values are msgpack extension 0; refined unknowns (extension 12) carry
//! refinements the provider does not use, so they are read as plain unknowns.

use std::collections::BTreeMap;

use super::value::{Number, Type, Value};

/// Why a msgpack document could not be read.
#[derive(Debug, thiserror::Error)]
#[error("malformed msgpack value{}: {message}", at_path(.path))]
pub struct DecodeError {
    pub path: String,
    pub message: String,
}

fn at_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at {path}")
    }
}

const EXT_UNKNOWN: i8 = 0;
const EXT_REFINED_UNKNOWN: i8 = 12;

/// Decodes `bytes` as a value of type `ty`.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let mut r = Reader {
        buf: bytes,
        pos: 0,
        path: Vec::new(),
    };
    let v = r.value(ty)?;
    if r.pos != bytes.len() {
        return Err(r.err("trailing bytes after the value"));
    }
    Ok(v)
}

/// Encodes `value` (of type `ty`) as msgpack.
pub fn encode(value: &Value, ty: &Type) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_value(&mut out, value, ty);
    out
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    path: Vec<String>,
}

enum Head {
    Nil,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(usize),
    Bin(usize),
    Array(usize),
    Map(usize),
    Ext(i8, usize),
}

impl<'a> Reader<'a> {
    fn err(&self, message: impl Into<String>) -> DecodeError {
        DecodeError {
            path: self.path.join(""),
            message: message.into(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len());
        match end {
            Some(end) => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(self.err("unexpected end of data")),
        }
    }

    fn be(&mut self, n: usize) -> Result<u64, DecodeError> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    fn len(&mut self, n: usize) -> Result<usize, DecodeError> {
        let l = self.be(n)?;
        let l = usize::try_from(l).map_err(|_| self.err("length too large"))?;
        // A length can never exceed the bytes left; refuse early instead of allocating.
        if l > self.buf.len() - self.pos.min(self.buf.len()) {
            return Err(self.err("length exceeds the data"));
        }
        Ok(l)
    }

    fn head(&mut self) -> Result<Head, DecodeError> {
        let b = self.take(1)?[0];
        Ok(match b {
            0x00..=0x7f => Head::Int(i64::from(b)),
            0x80..=0x8f => Head::Map(usize::from(b & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(b & 0x0f)),
            0xa0..=0xbf => Head::Str(usize::from(b & 0x1f)),
            0xc0 => Head::Nil,
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4 => Head::Bin(self.len(1)?),
            0xc5 => Head::Bin(self.len(2)?),
            0xc6 => Head::Bin(self.len(4)?),
            0xc7 => {
                let l = self.len(1)?;
                Head::Ext(self.take(1)?[0] as i8, l)
            }
            0xc8 => {
                let l = self.len(2)?;
                Head::Ext(self.take(1)?[0] as i8, l)
            }
            0xc9 => {
                let l = self.len(4)?;
                Head::Ext(self.take(1)?[0] as i8, l)
            }
            0xca => Head::Float(f64::from(f32::from_bits(self.be(4)? as u32))),
            0xcb => Head::Float(f64::from_bits(self.be(8)?)),
            0xcc => Head::UInt(self.be(1)?),
            0xcd => Head::UInt(self.be(2)?),
            0xce => Head::UInt(self.be(4)?),
            0xcf => Head::UInt(self.be(8)?),
            0xd0 => Head::Int(i64::from(self.be(1)? as u8 as i8)),
            0xd1 => Head::Int(i64::from(self.be(2)? as u16 as i16)),
            0xd2 => Head::Int(i64::from(self.be(4)? as u32 as i32)),
            0xd3 => Head::Int(self.be(8)? as i64),
            0xd4 => Head::Ext(self.take(1)?[0] as i8, 1),
            0xd5 => Head::Ext(self.take(1)?[0] as i8, 2),
            0xd6 => Head::Ext(self.take(1)?[0] as i8, 4),
            0xd7 => Head::Ext(self.take(1)?[0] as i8, 8),
            0xd8 => Head::Ext(self.take(1)?[0] as i8, 16),
            0xd9 => Head::Str(self.len(1)?),
            0xda => Head::Str(self.len(2)?),
            0xdb => Head::Str(self.len(4)?),
            0xdc => Head::Array(self.len(2)?),
            0xdd => Head::Array(self.len(4)?),
            0xde => Head::Map(self.len(2)?),
            0xdf => Head::Map(self.len(4)?),
            0xe0..=0xff => Head::Int(i64::from(b as i8)),
            0xc1 => return Err(self.err("reserved marker 0xc1")),
        })
    }

    fn string(&mut self, len: usize) -> Result<String, DecodeError> {
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| self.err("string is not UTF-8"))
    }

    fn value(&mut self, ty: &Type) -> Result<Value, DecodeError> {
        let head = self.head()?;
        match (head, ty) {
            (Head::Nil, _) => Ok(Value::Null),
            (Head::Ext(code, len), _) => {
                self.take(len)?;
                match code {
                    EXT_UNKNOWN | EXT_REFINED_UNKNOWN => Ok(Value::Unknown),
                    other => Err(self.err(format!("unexpected extension type {other}"))),
                }
            }
            (Head::Array(2), Type::Dynamic) => {
                let type_json = match self.head()? {
                    Head::Str(l) | Head::Bin(l) => self.take(l)?,
                    _ => return Err(self.err("dynamic value without its type")),
                };
                let json: serde_json::Value = serde_json::from_slice(type_json)
                    .map_err(|e| self.err(format!("dynamic value type: {e}")))?;
                let inner = Type::from_json(&json).map_err(|e| self.err(e))?;
                self.value(&inner)
            }
            (Head::Bool(b), Type::Bool) => Ok(Value::Bool(b)),
            (Head::Int(i), Type::Number) => Ok(Value::Number(Number::Int(i))),
            (Head::UInt(u), Type::Number) => Ok(Value::Number(match i64::try_from(u) {
                Ok(i) => Number::Int(i),
                Err(_) => Number::Float(u as f64),
            })),
            (Head::Float(f), Type::Number) => Ok(Value::Number(Number::Float(f))),
            (Head::Str(l), Type::Number) => {
                let s = self.string(l)?;
                match s.parse::<i64>() {
                    Ok(i) => Ok(Value::Number(Number::Int(i))),
                    Err(_) => s
                        .parse::<f64>()
                        .map(|f| Value::Number(Number::Float(f)))
                        .map_err(|_| self.err(format!("{s:?} is not a number"))),
                }
            }
            (Head::Str(l), Type::String) => Ok(Value::String(self.string(l)?)),
            (Head::Array(n), Type::List(e)) => Ok(Value::List(self.items(n, e)?)),
            (Head::Array(n), Type::Set(e)) => Ok(Value::Set(self.items(n, e)?)),
            (Head::Map(n), Type::Map(e)) => {
                let mut m = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key()?;
                    self.path.push(format!("[{k:?}]"));
                    let v = self.value(e)?;
                    self.path.pop();
                    m.insert(k, v);
                }
                Ok(Value::Map(m))
            }
            (Head::Map(n), Type::Object(attrs)) => {
                let mut m = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key()?;
                    let Some(t) = attrs.get(&k) else {
                        return Err(self.err(format!("unsupported attribute {k:?}")));
                    };
                    self.path.push(format!(".{k}"));
                    let v = self.value(t)?;
                    self.path.pop();
                    m.insert(k, v);
                }
                for name in attrs.keys() {
                    m.entry(name.clone()).or_insert(Value::Null);
                }
                Ok(Value::Object(m))
            }
            (_, ty) => Err(self.err(format!("value does not match type {}", ty.to_json()))),
        }
    }

    fn items(&mut self, n: usize, ty: &Type) -> Result<Vec<Value>, DecodeError> {
        let mut out = Vec::with_capacity(n.min(1024));
        for i in 0..n {
            self.path.push(format!("[{i}]"));
            out.push(self.value(ty)?);
            self.path.pop();
        }
        Ok(out)
    }

    fn key(&mut self) -> Result<String, DecodeError> {
        match self.head()? {
            Head::Str(l) => self.string(l),
            _ => Err(self.err("map key is not a string")),
        }
    }
}

fn write_value(out: &mut Vec<u8>, value: &Value, ty: &Type) {
    // Writing to a Vec cannot fail, so the results of rmp's writers are ignored.
    match (value, ty) {
        (Value::Null, _) => out.push(0xc0),
        (Value::Unknown, _) => out.extend_from_slice(&[0xd4, EXT_UNKNOWN as u8, 0]),
        (v, Type::Dynamic) => {
            let inner = type_of(v);
            let _ = rmp::encode::write_array_len(out, 2);
            let type_json = inner.to_json().to_string();
            let _ = rmp::encode::write_str(out, &type_json);
            write_value(out, v, &inner);
        }
        (Value::Bool(b), _) => {
            let _ = rmp::encode::write_bool(out, *b);
        }
        (Value::Number(Number::Int(i)), _) => {
            let _ = rmp::encode::write_sint(out, *i);
        }
        (Value::Number(Number::Float(f)), _) => {
            let _ = rmp::encode::write_f64(out, *f);
        }
        (Value::String(s), _) => {
            let _ = rmp::encode::write_str(out, s);
        }
        (Value::List(items) | Value::Set(items), t) => {
            let elem = match t {
                Type::List(e) | Type::Set(e) => e.as_ref(),
                _ => &Type::Dynamic,
            };
            let _ = rmp::encode::write_array_len(out, items.len() as u32);
            for item in items {
                write_value(out, item, elem);
            }
        }
        (Value::Map(m), t) => {
            let elem = match t {
                Type::Map(e) => e.as_ref(),
                _ => &Type::Dynamic,
            };
            let _ = rmp::encode::write_map_len(out, m.len() as u32);
            for (k, v) in m {
                let _ = rmp::encode::write_str(out, k);
                write_value(out, v, elem);
            }
        }
        (Value::Object(m), t) => {
            let attrs = match t {
                Type::Object(a) => Some(a),
                _ => None,
            };
            let _ = rmp::encode::write_map_len(out, m.len() as u32);
            for (k, v) in m {
                let _ = rmp::encode::write_str(out, k);
                let at = attrs.and_then(|a| a.get(k)).unwrap_or(&Type::Dynamic);
                write_value(out, v, at);
            }
        }
    }
}

/// The type of a known value, for values written where the schema says "dynamic".
fn type_of(v: &Value) -> Type {
    match v {
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::Null | Value::Unknown | Value::String(_) => Type::String,
        Value::List(items) => Type::list(items.first().map_or(Type::String, type_of)),
        Value::Set(items) => Type::set(items.first().map_or(Type::String, type_of)),
        Value::Map(m) => Type::map(m.values().next().map_or(Type::String, type_of)),
        Value::Object(m) => Type::Object(m.iter().map(|(k, v)| (k.clone(), type_of(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_type() -> Type {
        Type::Object(BTreeMap::from([
            ("id".to_string(), Type::String),
            ("count".to_string(), Type::Number),
            ("tags".to_string(), Type::set(Type::String)),
            ("on".to_string(), Type::Bool),
        ]))
    }

    #[test]
    fn round_trips_objects_with_unknowns() {
        let v = Value::Object(BTreeMap::from([
            ("id".to_string(), Value::Unknown),
            ("count".to_string(), Value::Number(Number::Int(-300))),
            (
                "tags".to_string(),
                Value::Set(vec![Value::string("a"), Value::string("b")]),
            ),
            ("on".to_string(), Value::Null),
        ]));
        let bytes = encode(&v, &object_type());
        assert_eq!(decode(&bytes, &object_type()).unwrap(), v);
    }

    #[test]
    fn reads_refined_unknowns() {
        // fixext... type 12 with a one-entry map payload {1: true} (not-null refinement).
        let bytes = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3];
        assert_eq!(decode(&bytes, &Type::String).unwrap(), Value::Unknown);
    }

    #[test]
    fn rejects_wrong_types_with_a_path() {
        let mut bytes = Vec::new();
        rmp::encode::write_map_len(&mut bytes, 1).unwrap();
        rmp::encode::write_str(&mut bytes, "count").unwrap();
        rmp::encode::write_str(&mut bytes, "x").unwrap();
        let err = decode(&bytes, &object_type()).unwrap_err();
        assert!(err.to_string().contains(".count"), "{err}");
    }

    #[test]
    fn rejects_truncated_and_oversized_input() {
        assert!(decode(&[0xdb, 0xff, 0xff, 0xff, 0xff], &Type::String).is_err());
        assert!(decode(&[0x92, 0xa1], &Type::list(Type::String)).is_err());
        assert!(decode(&[], &Type::String).is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = decode(&bytes, &object_type());
            let _ = decode(&bytes, &Type::Dynamic);
            let _ = decode(&bytes, &Type::map(Type::list(Type::Number)));
        }
    }
}
