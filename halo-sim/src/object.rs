//! The representation of one stored Halo object.

use serde_json::{Map, Value};

/// One stored Halo object: every field it was given, known or not.
pub type Object = Map<String, Value>;
