//! Resource labels from names: what a person would write (`first_line_support`
//! for "1st Line Support"), the same on every tenant that holds the same names,
//! and unique within a type.

use std::collections::BTreeMap;

/// The label a name gives: lower case ASCII letters, digits and `_`, starting
/// with a letter or `_` (a Terraform identifier); `unnamed` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    match out.chars().next() {
        None => "unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        Some(_) => out,
    }
}

/// Unique labels for `bases` (one per object, in the order given, which decides
/// who keeps the plain label when several share one: the first; the others get
/// `_2`, `_3`, ... in order).
pub fn unique(bases: &[String]) -> Vec<String> {
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    for b in bases {
        taken.entry(b.clone()).or_insert(0);
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(bases.len());
    for b in bases {
        let n = seen.entry(b.as_str()).or_insert(0);
        *n += 1;
        if *n == 1 {
            out.push(b.clone());
            continue;
        }
        // A suffixed label must not collide with another object's plain one.
        let mut k = *n;
        let mut label = format!("{b}_{k}");
        while taken.contains_key(&label) {
            k += 1;
            label = format!("{b}_{k}");
        }
        taken.insert(label.clone(), 0);
        out.push(label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_identifiers() {
        assert_eq!(slug("1st Line Support"), "_1st_line_support");
        assert_eq!(slug("Acme Ltd."), "acme_ltd");
        assert_eq!(slug("  Café / Bar  "), "caf_bar");
        assert_eq!(slug("***"), "unnamed");
        assert_eq!(slug("api-sync-03"), "api_sync_03");
    }

    #[test]
    fn duplicates_get_suffixes_that_collide_with_nothing() {
        let bases: Vec<String> = ["a", "a_2", "a", "b", "a"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(unique(&bases), vec!["a", "a_2", "a_3", "b", "a_4"]);
    }
}
