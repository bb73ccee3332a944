//! The objects every tenant already comes with. They cannot be created on
//! another tenant (it has its own), so the export writes each as a `data` look-up
//! by name, and references to it point at the look-up: the same files then work
//! on the tenant they came from and on a new one.
//!
//! Which objects those are is a table ([`BUILTIN`]): halo-sim's seed
//! (`halo-sim/src/seed.rs`), which stands for a new Halo tenant's defaults
//! (docs/halo-api.md, "Built-in objects", **[assumed]**). An object
//! without a name of its own (a membership) whose every reference points at
//! built-in objects comes with the tenant too, and is left out
//! ([`comes_with_parents`]).

/// `(resource type, name)` of every object a new tenant comes with.
pub const BUILTIN: &[(&str, &str)] = &[
    ("halopsa_organisation", "Main Organisation"),
    ("halopsa_department", "Service Desk"),
    ("halopsa_team", "1st Line Support"),
    ("halopsa_team", "2nd Line Support"),
    ("halopsa_agent", "admin"),
    ("halopsa_workday", "Standard Hours"),
    ("halopsa_workday", "24/7 Support"),
    ("halopsa_status", "New"),
    ("halopsa_status", "In Progress"),
    ("halopsa_status", "Pending Closure"),
    ("halopsa_status", "Closed"),
];

/// Whether the object of `type_name` named `name` comes with every tenant.
pub fn is_builtin(type_name: &str, name: &str) -> bool {
    BUILTIN.iter().any(|(t, n)| *t == type_name && *n == name)
}

/// Whether an object without a name comes with its tenant: it refers to other
/// objects (`referenced`: for each reference, whether its object is built-in)
/// and every one of them is built-in.
pub fn comes_with_parents(referenced: &[bool]) -> bool {
    !referenced.is_empty() && referenced.iter().all(|b| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_objects_by_type_and_exact_name() {
        assert!(is_builtin("halopsa_team", "1st Line Support"));
        assert!(!is_builtin("halopsa_team", "1st line support"));
        assert!(!is_builtin("halopsa_department", "1st Line Support"));
        assert!(
            is_builtin("halopsa_status", "Closed") && is_builtin("halopsa_workday", "24/7 Support")
        );
        assert!(!is_builtin("halopsa_status", "Waiting on Customer"));
        assert!(comes_with_parents(&[true, true]));
        assert!(!comes_with_parents(&[true, false]));
        assert!(!comes_with_parents(&[]));
    }
}
