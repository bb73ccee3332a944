//! Validators and the configuration check that runs them. Unknown values are skipped:
//! they are checked again at apply time, when Terraform knows them.

use super::diag::{AttrPath, Diagnostics};
use super::schema::{Attribute, AttributeKind, Presence};
use super::value::Value;

/// A rule one attribute's configured value must follow.
#[derive(Debug, Clone)]
pub enum Validator {
    /// A string with at least `min` and at most `max` characters (after trimming
    /// surrounding white space for the lower bound).
    Length { min: usize, max: usize },
    /// A string that is one of these words.
    OneOf(&'static [&'static str]),
    /// A string that is one of these words, or `halo:` followed by a value in
    /// Halo's own encoding: how an object made in Halo with a value the provider
    /// has no word for is imported and kept unchanged.
    OneOfOrHalo(&'static [&'static str]),
    /// Every element of a set or list of strings is one of these words.
    EachOneOf(&'static [&'static str]),
    /// A whole number of at least this value.
    AtLeast(i64),
    /// A string holding a whole number of at least 1 (Halo integer ids kept as strings).
    PositiveIntString,
    /// Every element of a set or list of strings is such a Halo id.
    EachPositiveIntString,
}

/// The prefix of a value given in Halo's own encoding (see [`Validator::OneOfOrHalo`]).
pub const HALO_PREFIX: &str = "halo:";

impl Validator {
    pub fn length(min: usize, max: usize) -> Validator {
        Validator::Length { min, max }
    }

    /// Checks a known, non-null value; the error text completes "Invalid value: ...".
    fn check(&self, v: &Value) -> Result<(), String> {
        match (self, v) {
            (Validator::Length { min, max }, Value::String(s)) => {
                let n = s.chars().count();
                if s.trim().chars().count() < *min {
                    Err(if *min == 1 {
                        "must not be empty".to_string()
                    } else {
                        format!("must have at least {min} characters, got {n}")
                    })
                } else if n > *max {
                    Err(format!("must have at most {max} characters, got {n}"))
                } else {
                    Ok(())
                }
            }
            (Validator::OneOf(words), Value::String(s)) => {
                if words.contains(&s.as_str()) {
                    Ok(())
                } else {
                    Err(format!("{s:?} is not one of {}", quoted(words)))
                }
            }
            (Validator::OneOfOrHalo(words), Value::String(s)) => {
                let raw = s.strip_prefix(HALO_PREFIX).map(str::trim);
                if words.contains(&s.as_str()) || raw.is_some_and(|r| !r.is_empty()) {
                    Ok(())
                } else {
                    Err(format!(
                        "{s:?} is not one of {} (or \"{HALO_PREFIX}\" followed by Halo's own value)",
                        quoted(words)
                    ))
                }
            }
            (Validator::EachOneOf(words), Value::Set(items) | Value::List(items)) => {
                for item in items {
                    if let Value::String(s) = item {
                        if !words.contains(&s.as_str()) {
                            return Err(format!("{s:?} is not one of {}", quoted(words)));
                        }
                    }
                }
                Ok(())
            }
            (Validator::AtLeast(min), Value::Number(n)) => match n.as_i64() {
                Some(i) if i >= *min => Ok(()),
                _ => Err(format!("must be a whole number of at least {min}, got {n}")),
            },
            (Validator::PositiveIntString, Value::String(s)) => match s.parse::<i64>() {
                Ok(i) if i >= 1 => Ok(()),
                _ => Err(format!(
                    "{s:?} is not a Halo id (a whole number of at least 1)"
                )),
            },
            (Validator::EachPositiveIntString, Value::Set(items) | Value::List(items)) => items
                .iter()
                .try_for_each(|item| Validator::PositiveIntString.check(item)),
            _ => Ok(()),
        }
    }
}

fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("{w:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_one_of_messages_name_the_problem() {
        let empty = Validator::length(1, 255)
            .check(&Value::string("  "))
            .unwrap_err();
        assert_eq!(empty, "must not be empty");
        let long = Validator::length(1, 3)
            .check(&Value::string("abcd"))
            .unwrap_err();
        assert!(long.contains("at most 3"));
        let word = Validator::OneOf(&["a", "b"])
            .check(&Value::string("c"))
            .unwrap_err();
        assert!(word.contains("\"c\" is not one of \"a\", \"b\""));
        assert!(Validator::PositiveIntString
            .check(&Value::string("0"))
            .is_err());
        let level = Validator::OneOfOrHalo(&["a"]);
        assert!(level.check(&Value::string("a")).is_ok());
        assert!(level.check(&Value::string("halo:7")).is_ok());
        assert!(level.check(&Value::string("halo:")).is_err());
        assert!(level
            .check(&Value::string("b"))
            .unwrap_err()
            .contains("halo:"));
        assert!(Validator::PositiveIntString
            .check(&Value::string("12"))
            .is_ok());
    }
}
