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

/// The provider's word for Halo's value `raw` in `table`, or `halo:RAW` when
/// the table lacks it.
pub fn word_for<T: PartialEq + std::fmt::Display>(table: &[(&str, T)], raw: &T) -> String {
    table
        .iter()
        .find(|(_, r)| r == raw)
        .map_or_else(|| format!("{HALO_PREFIX}{raw}"), |(w, _)| (*w).to_string())
}

/// Halo's value for a word of `table`, or the value a `halo:` escape holds;
/// `None` for anything else (a validator of the attribute refuses that first).
pub fn raw_for<T: Clone + std::str::FromStr>(table: &[(&str, T)], word: &str) -> Option<T> {
    if let Some((_, raw)) = table.iter().find(|(w, _)| *w == word) {
        return Some(raw.clone());
    }
    word.strip_prefix(HALO_PREFIX)
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .and_then(|r| r.parse().ok())
}

/// A string holding a Halo id: a whole number of at least 1.
pub fn halo_id() -> Validator {
    Validator::Custom(Arc::new(HaloId))
}

/// Every element of a set or list of strings is a Halo id (see [`halo_id`]).
pub fn each_halo_id() -> Validator {
    Validator::Custom(Arc::new(EachHaloId))
}

/// A colour as Halo's colour pickers write it: `#` and six (or three) hex digits.
pub fn hex_colour() -> Validator {
    Validator::Custom(Arc::new(HexColour))
}

/// A whole number from `min` to `max`.
pub fn whole_between(min: i64, max: i64) -> Validator {
    Validator::Custom(Arc::new(WholeBetween(min, max)))
}

#[derive(Debug)]
struct HexColour;

impl Check for HexColour {
    fn check(&self, v: &Value) -> Result<(), String> {
        let Value::String(s) = v else { return Ok(()) };
        let digits = s.strip_prefix('#').unwrap_or_default();
        if matches!(digits.len(), 3 | 6) && digits.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(())
        } else {
            Err(format!(
                "{s:?} is not a colour: write `#` and six hex digits, e.g. \"#2e7d32\""
            ))
        }
    }
}

#[derive(Debug)]
struct WholeBetween(i64, i64);

impl Check for WholeBetween {
    fn check(&self, v: &Value) -> Result<(), String> {
        let Value::Number(n) = v else { return Ok(()) };
        match n.as_i64() {
            Some(i) if (self.0..=self.1).contains(&i) => Ok(()),
            _ => Err(format!(
                "must be a whole number from {} to {}, got {n}",
                self.0, self.1
            )),
        }
    }
}

#[derive(Debug)]
struct EachHaloId;

impl Check for EachHaloId {
    fn check(&self, v: &Value) -> Result<(), String> {
        match v {
            Value::Set(items) | Value::List(items) => {
                items.iter().try_for_each(|item| HaloId.check(item))
            }
            _ => Ok(()),
        }
    }
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
            Err(if self.0.is_empty() {
                format!("{s:?} is not \"{HALO_PREFIX}\" followed by Halo's own value")
            } else {
                format!(
                    "{s:?} is not one of {} (or \"{HALO_PREFIX}\" followed by Halo's own value)",
                    quoted(self.0)
                )
            })
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
        assert!(check(&hex_colour(), "#2e7d32").is_ok());
        assert!(check(&hex_colour(), "#FFF").is_ok());
        for bad in ["red", "2e7d32", "#12345", "#gggggg"] {
            assert!(check(&hex_colour(), bad).is_err(), "{bad}");
        }
        let Validator::Custom(level) = whole_between(1, 4) else {
            panic!("whole_between is not a provider rule")
        };
        assert!(level
            .check(&Value::Number(crate::framework::Number::Int(4)))
            .is_ok());
        assert!(level
            .check(&Value::Number(crate::framework::Number::Int(5)))
            .is_err());
        let Validator::Custom(each) = each_halo_id() else {
            panic!("each_halo_id is not a provider rule")
        };
        let ids = |xs: &[&str]| Value::Set(xs.iter().map(|x| Value::string(*x)).collect());
        assert!(each.check(&ids(&["1", "7"])).is_ok());
        assert!(each
            .check(&ids(&["1", "x"]))
            .unwrap_err()
            .contains("\"x\" is not a Halo id"));
    }
}
