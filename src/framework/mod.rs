//! A small schema-driven framework for Terraform providers: values and their
//! msgpack codec, schemas, diagnostics, planning, validation and the traits that
//! resources and data sources implement.

pub mod codec;
pub mod diag;
pub mod plan;
pub mod resource;
pub mod schema;
pub mod validate;
pub mod value;

pub use diag::{AttrPath, Diagnostic, Diagnostics};
pub use plan::Planned;
pub use resource::{ApplyError, DataSource, Resource};
pub use schema::{Attribute, PlanModifier, Schema};
pub use validate::Validator;
pub use value::{Number, Type, Value};
