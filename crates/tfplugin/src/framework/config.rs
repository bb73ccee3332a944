//! The configuration check: read-only attributes left unset and every validator,
//! through nested attributes. Unknown values are skipped: they are checked again at
//! apply time, when Terraform knows them.

use super::diag::{AttrPath, Diagnostics};
use super::schema::{Attribute, AttributeKind, Presence};
use super::value::Value;

/// Checks configuration against a list of attributes: values set on computed-only
/// attributes and every validator. Required attributes are Terraform's own check.
pub fn validate_config(
    attrs: &[(&'static str, Attribute)],
    config: &Value,
    base: &AttrPath,
    diags: &mut Diagnostics,
) {
    for (name, attr) in attrs {
        let v = config.attr(name);
        let path = if base.is_empty() {
            AttrPath::root(name)
        } else {
            base.attr(name)
        };
        if v.is_null() {
            continue;
        }
        if attr.presence == Presence::Computed {
            diags.attribute_error(
                path.clone(),
                "Invalid configuration for read-only attribute",
                format!("{path} is set by the provider and cannot be configured; remove it."),
            );
            continue;
        }
        if v.is_unknown() {
            continue;
        }
        for validator in &attr.validators {
            if let Err(msg) = validator.check(v) {
                diags.attribute_error(
                    path.clone(),
                    format!("Invalid value for {path}"),
                    format!("{path} {msg}."),
                );
            }
        }
        if let AttributeKind::Nested(nested) = &attr.kind {
            validate_config(nested, v, &path, diags);
        }
    }
}
