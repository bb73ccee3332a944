//! Halo's own values in attributes, which the framework knows nothing of: Halo
//! integer ids kept as strings, and the `halo:` escape for an encoding the
//! provider has no word for.

use std::sync::Arc;

use crate::framework::{quoted, Check, Validator, Value};

/// The prefix of a value given in Halo's own encoding (see [`one_of_or_halo`]).
pub const HALO_PREFIX: &str = "halo:";

/// A string that is one of these words, or `halo:` followed by a value in Halo's
/// own encoding: how an object made in Halo with a value the provider has no word
/// for is imported and kept unchanged.
pub fn one_of_or_halo(words: &'static [&'static str]) -> Validator {
    Validator::Custom(Arc::new(OneOfOrHalo(words)))
}

/// A string holding a Halo id: a whole number of at least 1.
pub fn halo_id() -> Validator {
    Validator::Custom(Arc::new(HaloId))
}

#[derive(Debug)]
struct OneOfOrHalo(&'static [&'static str]);

impl Check for OneOfOrHalo {
    fn check(&self, v: &Value) -> Result<(), String> {
        let Value::String(s) = v else { return Ok(()) };
        let raw = s.strip_prefix(HALO_PREFIX).map(str::trim);
        if self.0.contains(&s.as_str()) || raw.is_some_and(|r| !r.is_empty()) {
            Ok(())
        } else {
            Err(format!(
                "{s:?} is not one of {} (or \"{HALO_PREFIX}\" followed by Halo's own value)",
                quoted(self.0)
            ))
        }
    }
}

#[derive(Debug)]
struct HaloId;

impl Check for HaloId {
    fn check(&self, v: &Value) -> Result<(), String> {
        let Value::String(s) = v else { return Ok(()) };
        match s.parse::<i64>() {
            Ok(i) if i >= 1 => Ok(()),
            _ => Err(format!(
                "{s:?} is not a Halo id (a whole number of at least 1)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: &Validator, s: &str) -> Result<(), String> {
        let Validator::Custom(rule) = v else {
            panic!("{v:?} is not a provider rule")
        };
        rule.check(&Value::string(s))
    }

    #[test]
    fn halo_ids_and_words_or_halo_values() {
        assert!(check(&halo_id(), "0").is_err());
        assert!(check(&halo_id(), "0")
            .unwrap_err()
            .contains("is not a Halo id"));
        let level = one_of_or_halo(&["a"]);
        assert!(check(&level, "a").is_ok());
        assert!(check(&level, "halo:7").is_ok());
        assert!(check(&level, "halo:").is_err());
        assert!(check(&level, "b").unwrap_err().contains("halo:"));
        assert!(check(&halo_id(), "12").is_ok());
    }
}
