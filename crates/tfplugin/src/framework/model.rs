//! Typed models declared once: the [`model!`](crate::model) macro turns one struct
//! declaration into the struct, its schema attributes and a strict codec between
//! Terraform values and the struct, so that a field and its attribute cannot drift
//! apart (a renamed field renames its attribute; a field without an attribute does
//! not compile).
//!
//! Each field's Terraform type comes from its Rust type through [`Field`]:
//! `String` is a string that must not be null, `Option<String>` one that may be,
//! `BTreeSet<String>` a set of strings, a nested model a nested object. Types with a
//! table-driven shape (e.g. role permissions) implement [`Field`] by hand.
//!
//! Decoding is strict: a value with an attribute the model does not declare, a null
//! where the field cannot hold one, or a value of the wrong type is an error that
//! names the attribute. Encoding can produce no unknown value: a model holds only
//! known values, so an apply can never hand Terraform an unknown.

use std::collections::{BTreeMap, BTreeSet};

use super::diag::{AttrPath, Diagnostic};
use super::schema::{Attribute, AttributeKind, Presence, Schema};
use super::value::{Number, Type, Value};

/// A Rust type that can stand for one attribute's value.
pub trait Field: Sized {
    /// What the attribute holds: a value type or nested attributes.
    fn kind() -> AttributeKind;
    /// Whether the type can represent null (and unknown, read as null).
    const NULLABLE: bool = false;
    /// Reads the attribute at `path` from its value.
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic>;
    /// The attribute's value; never unknown.
    fn encode(&self) -> Value;

    /// The Terraform type of [`Field::kind`].
    fn value_type() -> Type {
        match Self::kind() {
            AttributeKind::Value(t) => t,
            AttributeKind::Nested(attrs) => super::schema::object_type(&attrs),
        }
    }
}

/// A struct whose fields are attributes: a resource's state, a data source's
/// result, a nested object, a list filter, the provider block.
pub trait Model: Field + Default + Send + Sync + 'static {
    /// The attributes in declaration order, each with its type taken from the field.
    fn attributes() -> Vec<(&'static str, Attribute)>;
    /// `(attribute, whether its field is nullable)`, for [`check_model`].
    fn nullability() -> Vec<(&'static str, bool)>;

    /// Decodes a whole object value (state, plan or configuration).
    fn from_value(value: &Value) -> Result<Self, Diagnostic> {
        Self::decode(value, &AttrPath::default())
    }

    /// The object value of the model.
    fn to_value(&self) -> Value {
        self.encode()
    }
}

/// Checks that a model's fields can hold what their attributes promise: an
/// attribute that Terraform may leave null or unknown (optional without default,
/// computed) needs a nullable field, and a required attribute a field that cannot
/// be null. A unit test runs it over every registered type.
pub fn check_model<M: Model>() -> Result<(), String> {
    let attrs = M::attributes();
    for ((name, attr), (field, nullable)) in attrs.iter().zip(M::nullability()) {
        debug_assert_eq!(*name, field);
        let needs_null = match attr.presence {
            Presence::Required => false,
            Presence::Optional => true,
            Presence::Computed => true,
            Presence::OptionalComputed => attr.default.is_none(),
        };
        if needs_null && !nullable {
            return Err(format!(
                "attribute {name} may be null or unknown ({:?}) but its field cannot hold null",
                attr.presence
            ));
        }
        if attr.write_only && (attr.presence != Presence::Optional || attr.default.is_some()) {
            return Err(format!(
                "attribute {name} is write-only, so it must be optional, without a default"
            ));
        }
        if attr.write_only && !nullable {
            return Err(format!(
                "attribute {name} is write-only: it is null outside an apply, so its field must be an Option"
            ));
        }
        if attr.presence == Presence::Required && nullable {
            return Err(format!(
                "attribute {name} is required but its field is an Option"
            ));
        }
    }
    Ok(())
}

/// The error for a value that does not fit the model (a bug, or state written by
/// something else).
pub fn mismatch(path: &AttrPath, detail: impl Into<String>) -> Diagnostic {
    let detail = detail.into();
    let summary = "Value does not fit the provider's model";
    if path.is_empty() {
        Diagnostic::error(summary, detail)
    } else {
        Diagnostic::attribute_error(path.clone(), summary, format!("{path}: {detail}"))
    }
}

/// Reads the object attributes of a model value: every key must be one of `names`.
pub fn object_attrs<'v>(
    value: &'v Value,
    path: &AttrPath,
    names: &[&str],
) -> Result<&'v BTreeMap<String, Value>, Diagnostic> {
    match value {
        Value::Object(map) => {
            if let Some(extra) = map.keys().find(|k| !names.contains(&k.as_str())) {
                return Err(mismatch(
                    &path.attr(extra),
                    "attribute is not part of the model",
                ));
            }
            Ok(map)
        }
        Value::Null | Value::Unknown => Err(mismatch(path, "an object is required, got null")),
        other => Err(mismatch(
            path,
            format!("an object is required, got {other:?}"),
        )),
    }
}

fn not_null(value: &Value, path: &AttrPath) -> Result<(), Diagnostic> {
    match value {
        Value::Null => Err(mismatch(path, "a value is required, got null")),
        Value::Unknown => Err(mismatch(path, "a value is required, got an unknown value")),
        _ => Ok(()),
    }
}

impl Field for String {
    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::String)
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        not_null(value, path)?;
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| mismatch(path, format!("a string is required, got {value:?}")))
    }
    fn encode(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Field for bool {
    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::Bool)
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        not_null(value, path)?;
        value
            .as_bool()
            .ok_or_else(|| mismatch(path, format!("a bool is required, got {value:?}")))
    }
    fn encode(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Field for i64 {
    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::Number)
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        not_null(value, path)?;
        match value {
            Value::Number(n) => n
                .as_i64()
                .ok_or_else(|| mismatch(path, format!("a whole number is required, got {n}"))),
            other => Err(mismatch(
                path,
                format!("a number is required, got {other:?}"),
            )),
        }
    }
    fn encode(&self) -> Value {
        Value::Number(Number::Int(*self))
    }
}

impl<T: Field> Field for Option<T> {
    const NULLABLE: bool = true;
    fn kind() -> AttributeKind {
        T::kind()
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        match value {
            Value::Null | Value::Unknown => Ok(None),
            v => T::decode(v, path).map(Some),
        }
    }
    fn encode(&self) -> Value {
        self.as_ref().map_or(Value::Null, Field::encode)
    }
}

impl<T: Field + Ord> Field for BTreeSet<T> {
    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::set(T::value_type()))
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        not_null(value, path)?;
        match value {
            Value::Set(items) | Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| T::decode(v, &path.index(i as i64)))
                .collect(),
            other => Err(mismatch(path, format!("a set is required, got {other:?}"))),
        }
    }
    fn encode(&self) -> Value {
        Value::Set(self.iter().map(Field::encode).collect())
    }
}

/// A secret is a string attribute whose value never shows in `Debug` output.
impl Field for secret::Secret {
    fn kind() -> AttributeKind {
        <String as Field>::kind()
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        <String as Field>::decode(value, path).map(secret::Secret::new)
    }
    fn encode(&self) -> Value {
        Value::string(self.expose())
    }
}

impl Schema {
    /// The schema of a model's attributes. (Here, not in `schema`, so that the
    /// schema module does not depend on models.)
    pub fn of<M: Model>(description: &'static str) -> Schema {
        Schema {
            version: 0,
            description,
            attributes: M::attributes(),
        }
    }
}

/// Starting points for an attribute's declaration inside [`model!`](crate::model):
/// who sets it. The type is filled in from the field.
pub mod spec {
    use super::super::schema::{Attribute, Presence};

    pub fn required() -> Attribute {
        Attribute::untyped(Presence::Required)
    }
    pub fn optional() -> Attribute {
        Attribute::untyped(Presence::Optional)
    }
    pub fn computed() -> Attribute {
        Attribute::untyped(Presence::Computed)
    }
    pub fn optional_computed() -> Attribute {
        Attribute::untyped(Presence::OptionalComputed)
    }
}

/// Declares a model: a struct whose fields are attributes, each with the schema
/// declaration of its attribute after `=`.
///
/// ```ignore
/// model! {
///     #[derive(Debug, Clone, PartialEq, Default)]
///     pub struct OrganisationModel {
///         id: Option<String> = computed().use_state_for_unknown().description("The id."),
///         name: String = required().validate(Validator::length(1, 255)).description("The name."),
///     }
/// }
/// ```
///
/// The field's Rust type gives the attribute's Terraform type ([`Field`]); the
/// declaration gives presence (`required()`, `optional()`, `computed()`,
/// `optional_computed()`), description, validators, plan modifiers, sensitivity and
/// semantic equality.
#[macro_export]
macro_rules! model {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $fty:ty = $spec:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: $fty, )*
        }

        /// The attribute names, one constant per field (e.g.
        /// `TeamModel::department_id`): code that names an attribute outside
        /// its declaration (validation, plan changes, refusals, filters) names
        /// it through these, so a renamed field does not leave a stale string.
        #[allow(non_upper_case_globals, dead_code)]
        impl $name {
            $( pub const $field: &'static str = stringify!($field); )*
        }

        impl $crate::framework::Field for $name {
            fn kind() -> $crate::framework::AttributeKind {
                $crate::framework::AttributeKind::Nested(
                    <$name as $crate::framework::Model>::attributes(),
                )
            }
            fn decode(
                value: &$crate::framework::Value,
                path: &$crate::framework::AttrPath,
            ) -> ::std::result::Result<Self, $crate::framework::Diagnostic> {
                let _attrs = $crate::framework::model::object_attrs(
                    value,
                    path,
                    &[$(stringify!($field)),*],
                )?;
                Ok($name {
                    $( $field: <$fty as $crate::framework::Field>::decode(
                        _attrs.get(stringify!($field)).unwrap_or(&$crate::framework::Value::Null),
                        &path.attr(stringify!($field)),
                    )?, )*
                })
            }
            fn encode(&self) -> $crate::framework::Value {
                #[allow(unused_mut)]
                let mut map = ::std::collections::BTreeMap::new();
                $( map.insert(
                    stringify!($field).to_string(),
                    $crate::framework::Field::encode(&self.$field),
                ); )*
                $crate::framework::Value::Object(map)
            }
        }

        impl $crate::framework::Model for $name {
            fn attributes() -> ::std::vec::Vec<(&'static str, $crate::framework::Attribute)> {
                #[allow(unused_imports)]
                use $crate::framework::model::spec::*;
                vec![$(
                    (
                        stringify!($field),
                        $crate::framework::Attribute::typed(
                            $spec,
                            <$fty as $crate::framework::Field>::kind(),
                        ),
                    )
                ),*]
            }
            fn nullability() -> ::std::vec::Vec<(&'static str, bool)> {
                vec![$((
                    stringify!($field),
                    <$fty as $crate::framework::Field>::NULLABLE,
                )),*]
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Validator;

    crate::model! {
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Inner {
            level: String = optional_computed().default(Value::string("none")).description("L."),
        }
    }

    crate::model! {
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Sample {
            id: Option<String> = computed().use_state_for_unknown().description("Id."),
            name: String = required().validate(Validator::length(1, 5)).description("Name."),
            tags: Option<BTreeSet<String>> = optional().description("Tags."),
            inner: Option<Inner> = optional_computed().description("Inner."),
            version: Option<i64> = optional().description("Version."),
        }
    }

    #[test]
    fn schema_types_come_from_the_fields() {
        let attrs = Sample::attributes();
        let names: Vec<_> = attrs.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["id", "name", "tags", "inner", "version"]);
        let ty = |n: &str| {
            attrs
                .iter()
                .find(|(a, _)| *a == n)
                .map(|(_, a)| a.value_type())
        };
        assert_eq!(ty("tags"), Some(Type::set(Type::String)));
        assert_eq!(ty("version"), Some(Type::Number));
        assert!(matches!(
            attrs[3].1.kind,
            AttributeKind::Nested(ref inner) if inner[0].0 == "level"
        ));
        assert_eq!(attrs[1].1.presence, Presence::Required);
        assert_eq!(check_model::<Sample>(), Ok(()));
        // One name constant per field.
        assert_eq!(
            [Sample::id, Sample::tags, Sample::version],
            ["id", "tags", "version"]
        );
    }

    #[test]
    fn round_trip_and_strict_decoding() {
        let model = Sample {
            id: Some("7".into()),
            name: "abc".into(),
            tags: Some(["x".to_string()].into()),
            inner: Some(Inner {
                level: "read".into(),
            }),
            version: None,
        };
        let value = model.to_value();
        assert_eq!(Sample::from_value(&value).ok(), Some(model));

        let mut extra = value.clone();
        extra.set_attr("nmae", Value::string("typo"));
        let err = Sample::from_value(&extra).err().map(|d| d.path);
        assert_eq!(err, Some(Some(AttrPath::root("nmae"))));

        let mut null_name = value.clone();
        null_name.set_attr("name", Value::Null);
        assert!(Sample::from_value(&null_name).is_err());

        let mut wrong = value;
        wrong.set_attr("version", Value::string("1"));
        assert!(Sample::from_value(&wrong).is_err());
    }

    crate::model! {
        #[derive(Debug, Default)]
        pub struct Bad {
            name: Option<String> = required().description("N."),
        }
    }

    crate::model! {
        #[derive(Debug, Default)]
        pub struct AlsoBad {
            id: String = computed().description("I."),
        }
    }

    #[test]
    fn a_field_that_cannot_hold_its_attribute_fails_the_check() {
        assert!(check_model::<Bad>().is_err());
        assert!(check_model::<AlsoBad>().is_err());
    }
}
