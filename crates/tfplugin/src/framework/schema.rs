//! Schemas: what a resource, data source or the provider accepts, described the way
//! Terraform shows it to users (`terraform providers schema`, the docs).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::validate::Validator;
use super::value::{Type, Value};

/// Who sets an attribute. One value per attribute, so a "required and computed"
/// attribute cannot be written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Set in configuration, always.
    Required,
    /// May be set in configuration; null when not.
    Optional,
    /// Set by the provider only.
    Computed,
    /// May be set in configuration; when not, the provider sets it (or a default does).
    OptionalComputed,
}

impl Presence {
    pub fn is_computed(self) -> bool {
        matches!(self, Presence::Computed | Presence::OptionalComputed)
    }

    pub fn accepts_config(self) -> bool {
        !matches!(self, Presence::Computed)
    }
}

/// How a planned value is adjusted beyond Terraform's own proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanModifier {
    /// A computed value that never changes after create keeps its prior value
    /// instead of becoming unknown when other attributes change.
    UseStateForUnknown,
    /// A change of this attribute replaces the object.
    RequiresReplace,
}

/// When a value the API answered counts as the value planned, though it is spelt
/// differently: APIs normalise some values (letter case of GUIDs, surrounding
/// blanks). An attribute declares this instead of the framework guessing; an
/// applied value that differs in any other way is reported by Terraform as an
/// inconsistent result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Semantic {
    /// Strings equal without regard to ASCII letter case.
    IgnoreCase,
    /// Strings equal once surrounding white space is trimmed.
    Trimmed,
    /// An empty set or list and null are the same value: APIs answer "none" either
    /// way. An empty answer reads as null unless the value known before was empty.
    EmptyIsNull,
}

impl Semantic {
    /// Whether `applied` stands for `planned` under this equality.
    pub fn equal(self, applied: &Value, planned: &Value) -> bool {
        match (self, applied, planned) {
            (Semantic::IgnoreCase, Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
            // A set of strings (GUIDs): the same members, letter case aside.
            (Semantic::IgnoreCase, Value::Set(a), Value::Set(b)) => {
                folded(a) == folded(b) && folded(a).is_some()
            }
            (Semantic::Trimmed, Value::String(a), Value::String(b)) => a.trim() == b.trim(),
            (Semantic::EmptyIsNull, a, b) => is_none(a) && is_none(b) || a == b,
            _ => applied == planned,
        }
    }
}

/// The lower-cased members of a set of strings; `None` when one is no string.
fn folded(items: &[Value]) -> Option<std::collections::BTreeSet<String>> {
    items
        .iter()
        .map(|v| v.as_str().map(str::to_ascii_lowercase))
        .collect()
}

/// Null, or an empty set or list.
pub(crate) fn is_none(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Set(items) | Value::List(items) => items.is_empty(),
        _ => false,
    }
}

/// What an attribute holds: a value of a type, or a nested object with attributes of
/// its own (a "single nested attribute").
#[derive(Debug, Clone)]
pub enum AttributeKind {
    Value(Type),
    Nested(Vec<(&'static str, Attribute)>),
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub kind: AttributeKind,
    pub presence: Presence,
    pub description: Cow<'static, str>,
    pub sensitive: bool,
    /// A write-only attribute (Terraform 1.11+): configuration may set it, but
    /// its value is never in a plan, a state or an apply's answer. The resource
    /// sees it only in the configuration of the apply that creates or updates
    /// the object (see [`AnyResource`](super::AnyResource)).
    pub write_only: bool,
    pub default: Option<Value>,
    pub semantic: Option<Semantic>,
    pub modifiers: Vec<PlanModifier>,
    pub validators: Vec<Validator>,
    /// The object this attribute points at, when it holds another resource's
    /// attribute value (an id, or a set of ids): not sent to Terraform, but what
    /// lets a provider check a reference at plan time and write configuration
    /// whose references are Terraform references (an export) rather than ids.
    pub references: Option<Reference>,
    /// Whether an answer that leaves the attribute out (null) keeps the value
    /// known before (the plan of an apply, the prior state of a refresh): for a
    /// secret the API shows once, a list some answers omit, a value the API never
    /// holds. Applied once, by the framework ([`reconcile`]).
    pub keep_prior_when_absent: bool,
}

/// The attribute that holds a resource's id, by Terraform's convention: what
/// [`Attribute::references`] refers to unless told otherwise.
pub const ID_ATTRIBUTE: &str = "id";

/// What a referencing attribute holds: the value of `attribute` (usually `id`)
/// of a resource of type `type_name`. See [`Attribute::references`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub type_name: &'static str,
    pub attribute: &'static str,
}

impl Attribute {
    fn new(kind: AttributeKind, presence: Presence) -> Attribute {
        Attribute {
            kind,
            presence,
            description: Cow::Borrowed(""),
            sensitive: false,
            write_only: false,
            default: None,
            semantic: None,
            modifiers: Vec::new(),
            validators: Vec::new(),
            references: None,
            keep_prior_when_absent: false,
        }
    }

    pub fn string() -> Attribute {
        Attribute::new(AttributeKind::Value(Type::String), Presence::Optional)
    }

    pub fn number() -> Attribute {
        Attribute::new(AttributeKind::Value(Type::Number), Presence::Optional)
    }

    pub fn bool() -> Attribute {
        Attribute::new(AttributeKind::Value(Type::Bool), Presence::Optional)
    }

    pub fn set_of(element: Type) -> Attribute {
        Attribute::new(AttributeKind::Value(Type::set(element)), Presence::Optional)
    }

    pub fn nested(attributes: Vec<(&'static str, Attribute)>) -> Attribute {
        Attribute::new(AttributeKind::Nested(attributes), Presence::Optional)
    }

    pub fn required(mut self) -> Self {
        self.presence = Presence::Required;
        self
    }

    pub fn optional(mut self) -> Self {
        self.presence = Presence::Optional;
        self
    }

    pub fn computed(mut self) -> Self {
        self.presence = Presence::Computed;
        self
    }

    pub fn optional_computed(mut self) -> Self {
        self.presence = Presence::OptionalComputed;
        self
    }

    pub fn description(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.description = text.into();
        self
    }

    /// Declares when an applied value counts as the planned one (see [`Semantic`]).
    pub fn semantic_equality(mut self, s: Semantic) -> Self {
        self.semantic = Some(s);
        self
    }

    /// An attribute declared by presence only; [`Attribute::typed`] gives it its
    /// type (the [`model!`](crate::model) macro does, from the field's type).
    pub fn untyped(presence: Presence) -> Attribute {
        Attribute::new(AttributeKind::Value(Type::Dynamic), presence)
    }

    /// `spec` with the value type or nested attributes `kind`.
    pub fn typed(mut spec: Attribute, kind: AttributeKind) -> Attribute {
        spec.kind = kind;
        spec
    }

    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Makes the attribute write-only (see [`Attribute::write_only`]). Only a
    /// top-level attribute that configuration sets (required or optional, no
    /// default) can be write-only; [`check_model`](super::model::check_model)
    /// refuses any other.
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    /// A value used when configuration leaves the attribute out. Makes the attribute
    /// optional-and-computed, since the provider then sets it.
    pub fn default(mut self, value: Value) -> Self {
        self.default = Some(value);
        self.presence = Presence::OptionalComputed;
        self
    }

    pub fn modifier(mut self, m: PlanModifier) -> Self {
        self.modifiers.push(m);
        self
    }

    pub fn requires_replace(self) -> Self {
        self.modifier(PlanModifier::RequiresReplace)
    }

    pub fn use_state_for_unknown(self) -> Self {
        self.modifier(PlanModifier::UseStateForUnknown)
    }

    /// Declares that the attribute holds the `id` ([`ID_ATTRIBUTE`]) of a
    /// `type_name` resource (for a set, the ids of several).
    pub fn references(self, type_name: &'static str) -> Self {
        self.references_attribute(type_name, ID_ATTRIBUTE)
    }

    /// Declares that the attribute holds another attribute than the id of a
    /// `type_name` resource (e.g. a team's `name`).
    pub fn references_attribute(
        mut self,
        type_name: &'static str,
        attribute: &'static str,
    ) -> Self {
        self.references = Some(Reference {
            type_name,
            attribute,
        });
        self
    }

    /// Declares that an answer without the attribute keeps the value known before
    /// (see [`Attribute::keep_prior_when_absent`]).
    pub fn keep_prior_when_absent(mut self) -> Self {
        self.keep_prior_when_absent = true;
        self
    }

    pub fn validate(mut self, v: Validator) -> Self {
        self.validators.push(v);
        self
    }

    pub fn has(&self, m: PlanModifier) -> bool {
        self.modifiers.contains(&m)
    }

    pub fn value_type(&self) -> Type {
        match &self.kind {
            AttributeKind::Value(t) => t.clone(),
            AttributeKind::Nested(attrs) => object_type(attrs),
        }
    }
}

pub(crate) fn object_type(attrs: &[(&'static str, Attribute)]) -> Type {
    Type::Object(
        attrs
            .iter()
            .map(|(n, a)| (n.to_string(), a.value_type()))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// The names of the write-only attributes among `attrs`.
pub(crate) fn write_only_names<'a>(
    attrs: &'a [(&'static str, Attribute)],
) -> impl Iterator<Item = &'static str> + 'a {
    attrs.iter().filter(|(_, a)| a.write_only).map(|(n, _)| *n)
}

/// `value` with every attribute in `names` null: what plan, state and apply
/// answers hold for write-only attributes.
pub(crate) fn without<'a>(value: &Value, names: impl IntoIterator<Item = &'a str>) -> Value {
    let mut out = value.clone();
    if matches!(out, Value::Object(_)) {
        for name in names {
            out.set_attr(name, Value::Null);
        }
    }
    out
}

/// The state an answer of the API (`answered`, a model's value) becomes, given
/// the value `known` before it (the plan of an apply, the prior state of a
/// refresh; null for an import, a list or a look-up). Per top-level attribute,
/// in this order: a [`keep_prior_when_absent`](Attribute::keep_prior_when_absent)
/// attribute the answer left null keeps the known value; where the two are equal
/// under the attribute's declared [`Semantic`], the known spelling stands; an
/// [`Semantic::EmptyIsNull`] attribute still empty reads as null. Nothing else
/// is rewritten: any other difference reaches Terraform.
pub fn reconcile(answered: &Value, known: &Value, attrs: &[(&'static str, Attribute)]) -> Value {
    let mut out = answered.clone();
    if !matches!(out, Value::Object(_)) {
        return out;
    }
    for (name, attr) in attrs {
        let before = known.attr(name);
        let usable = !before.is_null() && !before.is_unknown();
        if attr.keep_prior_when_absent && out.attr(name).is_null() && usable {
            out.set_attr(name, before.clone());
        }
        let Some(semantic) = attr.semantic else {
            continue;
        };
        if !before.is_unknown() && semantic.equal(out.attr(name), before) {
            out.set_attr(name, before.clone());
        } else if semantic == Semantic::EmptyIsNull && is_none(out.attr(name)) {
            out.set_attr(name, Value::Null);
        }
    }
    out
}

/// The schema of a resource, data source, list resource or the provider block.
#[derive(Debug, Clone)]
pub struct Schema {
    pub version: i64,
    pub description: &'static str,
    pub attributes: Vec<(&'static str, Attribute)>,
}

impl Schema {
    pub fn new(description: &'static str) -> Schema {
        Schema {
            version: 0,
            description,
            attributes: Vec::new(),
        }
    }

    pub fn version(mut self, v: i64) -> Self {
        self.version = v;
        self
    }

    pub fn attribute(mut self, name: &'static str, a: Attribute) -> Self {
        self.attributes.push((name, a));
        self
    }

    pub fn get(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| a)
    }

    /// The object type of the whole resource value.
    pub fn value_type(&self) -> Type {
        object_type(&self.attributes)
    }

    /// The names of the write-only attributes.
    pub fn write_only_attributes(&self) -> impl Iterator<Item = &'static str> + '_ {
        write_only_names(&self.attributes)
    }
}
