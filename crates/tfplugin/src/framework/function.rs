//! Provider-defined functions (Terraform 1.8+): `provider::NAME::FUNCTION(...)`,
//! pure computations on their arguments.

use super::value::{Type, Value};

/// One parameter: its name (for docs and errors), type and description.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: &'static str,
    pub ty: Type,
    pub description: &'static str,
}

/// Why a call failed: the text Terraform shows, and the argument at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionError {
    pub text: String,
    /// The zero-based index of the argument the error is about.
    pub argument: Option<i64>,
}

impl FunctionError {
    /// An error about the argument at `index`.
    pub fn argument(index: i64, text: impl Into<String>) -> Self {
        FunctionError {
            text: text.into(),
            argument: Some(index),
        }
    }
}

/// A function: its signature, documentation and implementation. Arguments are
/// known and not null (parameters allow neither), each of its parameter's type.
#[derive(Debug, Clone)]
pub struct Function {
    pub name: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub parameters: Vec<Parameter>,
    pub returns: Type,
    /// An example call and its result, for the docs.
    pub example: &'static str,
    pub call: fn(&[Value]) -> Result<Value, FunctionError>,
}

impl Function {
    /// Calls the function, checking the number of arguments first.
    pub fn invoke(&self, args: &[Value]) -> Result<Value, FunctionError> {
        if args.len() != self.parameters.len() {
            return Err(FunctionError {
                text: format!(
                    "{} takes {} arguments, got {}",
                    self.name,
                    self.parameters.len(),
                    args.len()
                ),
                argument: None,
            });
        }
        if let Some(i) = args.iter().position(|a| a.is_null() || a.is_unknown()) {
            let p = &self.parameters[i];
            return Err(FunctionError::argument(
                i as i64,
                format!("{} must not be null", p.name),
            ));
        }
        (self.call)(args)
    }
}
