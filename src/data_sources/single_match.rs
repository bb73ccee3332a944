//! "Exactly one match" for look-ups by name. Private to the agent and role data
//! sources for now; meant to be replaced by the shared helper in `mod.rs` once it
//! exists (same inputs: the kind, what was looked for, the matches).

use crate::framework::resource::attr_error;
use crate::framework::Diagnostic;

/// The one object in `matches`, or an error on attribute `attr` that says what was
/// looked for and, when several match, lists their ids.
pub(super) fn exactly_one<T>(
    kind: &str,
    attr: &str,
    wanted: &str,
    matches: Vec<T>,
    id_of: impl Fn(&T) -> String,
) -> Result<T, Diagnostic> {
    let count = matches.len();
    let mut iter = matches.into_iter();
    match (iter.next(), count) {
        (Some(one), 1) => Ok(one),
        (None, _) => Err(attr_error(
            attr,
            format!("No {kind} found"),
            format!("Halo has no {kind} with {attr} {wanted:?}."),
        )),
        (Some(first), _) => {
            let ids: Vec<String> = std::iter::once(first)
                .chain(iter)
                .map(|m| id_of(&m))
                .collect();
            Err(attr_error(
                attr,
                format!("Several {kind}s found"),
                format!(
                    "Halo has {count} {kind}s with {attr} {wanted:?} (ids {}); look it up \
                     by id instead.",
                    ids.join(", ")
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_one_and_several() {
        let id = |n: &i32| n.to_string();
        assert_eq!(exactly_one("agent", "name", "x", vec![7], id).ok(), Some(7));
        let none = exactly_one("agent", "name", "x", Vec::<i32>::new(), id).unwrap_err();
        assert!(none.detail.contains("no agent with name \"x\""));
        let many = exactly_one("agent", "name", "x", vec![3, 9], id).unwrap_err();
        assert!(many.detail.contains("ids 3, 9"), "{}", many.detail);
    }
}
