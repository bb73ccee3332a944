//! Validators: the rules one attribute's configured value must follow. The check
//! that runs them over a configuration is `config::validate_config`. The framework
//! knows no API's encodings: a provider adds its own rules as [`Validator::Custom`].

use std::fmt;
use std::sync::Arc;

use super::value::Value;

/// A provider's own rule for one attribute's known, non-null value.
pub trait Check: fmt::Debug + Send + Sync {
    /// `Err` completes "Invalid value: ...", e.g. `"x" is not one of "a", "b"`.
    fn check(&self, v: &Value) -> Result<(), String>;
}

/// A rule one attribute's configured value must follow.
#[derive(Debug, Clone)]
pub enum Validator {
    /// A string with at least `min` and at most `max` characters (after trimming
    /// surrounding white space for the lower bound).
    Length { min: usize, max: usize },
    /// A string that is one of these words.
    OneOf(&'static [&'static str]),
    /// Every element of a set or list of strings is one of these words.
    EachOneOf(&'static [&'static str]),
    /// A whole number of at least this value.
    AtLeast(i64),
    /// A rule of the provider's own.
    Custom(Arc<dyn Check>),
}

impl Validator {
    pub fn length(min: usize, max: usize) -> Validator {
        Validator::Length { min, max }
    }

    /// Checks a known, non-null value; the error text completes "Invalid value: ...".
    pub(super) fn check(&self, v: &Value) -> Result<(), String> {
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
            (Validator::Custom(rule), v) => rule.check(v),
            _ => Ok(()),
        }
    }
}

/// Words as a list in messages: `"a", "b"`.
pub fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("{w:?}"))
        .collect::<Vec<_>>()
        .join(", ")
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
    }
}
