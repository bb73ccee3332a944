//! A model field that holds a dynamic value (`DynamicPseudoType`): any
//! Terraform value, with the type it travels with ([`Value::Dynamic`]).

use super::diag::{AttrPath, Diagnostic};
use super::model::Field;
use super::schema::AttributeKind;
use super::value::{Type, Value};

/// The value of a `dynamic` attribute, as Terraform sent it (null when unset).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dynamic(pub Value);

impl Dynamic {
    /// The value inside, without its type.
    pub fn inner(&self) -> &Value {
        self.0.undynamic()
    }

    pub fn is_null(&self) -> bool {
        self.inner().is_null()
    }
}

impl Field for Dynamic {
    const NULLABLE: bool = true;

    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::Dynamic)
    }

    fn decode(value: &Value, _path: &AttrPath) -> Result<Self, Diagnostic> {
        Ok(match value {
            Value::Unknown => Dynamic(Value::Null),
            other => Dynamic(other.clone()),
        })
    }

    fn encode(&self) -> Value {
        self.0.clone()
    }
}
