//! A small schema-driven framework for Terraform providers: values and their
//! msgpack codec, models declared once ([`model!`](crate::model)) with the schema
//! they imply, diagnostics, planning, validation and the traits that resources and
//! data sources implement, ephemeral resources and functions. It knows no provider: the API client is a type
//! parameter of [`Resource`] and [`AnyDataSource`].

pub mod codec;
mod config;
mod diag;
mod dynamic;
mod ephemeral;
mod function;
mod lookup;
pub mod model;
mod plan;
mod references;
mod resource;
mod schema;
mod validate;
mod value;

pub use config::validate_config;
pub use diag::{AttrPath, Diagnostic, Diagnostics, Severity, Step};
pub use dynamic::Dynamic;
pub use ephemeral::{AnyEphemeral, EphemeralResource, Opened, OpenedValue, Renewed};
pub use function::{Function, FunctionError, Parameter};
pub use lookup::lookup_schema;
pub use model::{Field, Model};
pub use plan::{default_object, plan_resource, Planned};
pub use references::{referenced_values, HeldReferences};
pub use resource::{
    answered, attr_error, AnyDataSource, AnyResource, Applied, ApplyError, Resource,
};
pub use schema::{
    reconcile, Attribute, AttributeKind, PlanModifier, Presence, Reference, Schema, Semantic,
    ID_ATTRIBUTE,
};
pub use validate::{quoted, Check, Validator};
pub use value::{infer_type, Number, Type, Value};
