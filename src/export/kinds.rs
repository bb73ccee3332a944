//! Which resource types the export writes: every registered type whose `list`
//! block lists the whole kind (its filters are all optional), so a type that
//! lands later is exported with no code of its own. Types that list only what a
//! filter names (`halopsa_api_object`, `halopsa_api_setting`: a `path` is
//! required) are not one kind of object and are left out.

use std::collections::BTreeMap;

use crate::framework::{AnyResource, Presence, Value};
use crate::halo::HaloClient;

pub type AnyKind = Box<dyn AnyResource<HaloClient>>;

/// Whether `r`'s list block can list every object of the kind.
fn lists_whole_kind(r: &dyn AnyResource<HaloClient>) -> bool {
    r.list_schema()
        .attributes
        .iter()
        .all(|(_, a)| a.presence != Presence::Required)
}

/// The filter value that lists every object: each filter attribute null.
pub fn no_filter(r: &dyn AnyResource<HaloClient>) -> Value {
    Value::Object(
        r.list_schema()
            .attributes
            .iter()
            .map(|(n, _)| (n.to_string(), Value::Null))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// The exportable types of `all` (in registration order, the `types!` table's;
/// references are resolved over every kind read, so no order between parents
/// and the objects that refer to them is needed), or those `wanted` names (in
/// the same order, not the order asked for). An
/// unknown or unexportable name is an error saying which types there are.
pub fn select(all: Vec<AnyKind>, wanted: Option<&[String]>) -> Result<Vec<AnyKind>, String> {
    let (exportable, other): (Vec<AnyKind>, Vec<AnyKind>) =
        all.into_iter().partition(|r| lists_whole_kind(r.as_ref()));
    let Some(wanted) = wanted else {
        return Ok(exportable);
    };
    let names: Vec<&str> = exportable.iter().map(|r| r.type_name()).collect();
    for w in wanted {
        if names.contains(&w.as_str()) {
            continue;
        }
        let why = if other.iter().any(|r| r.type_name() == w) {
            format!("{w} lists only what a filter names, so it cannot be exported whole")
        } else {
            format!("unknown kind {w:?}")
        };
        return Err(format!(
            "--kinds: {why}; the kinds are {}",
            names.join(", ")
        ));
    }
    Ok(exportable
        .into_iter()
        .filter(|r| wanted.iter().any(|w| w == r.type_name()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kinds: &[AnyKind]) -> Vec<&'static str> {
        kinds.iter().map(|k| k.type_name()).collect()
    }

    #[test]
    fn every_listable_type_is_exported_in_registration_order() {
        let all = select(crate::resources::all(), None).expect("kinds");
        let names = names(&all);
        assert!(names.contains(&"halopsa_team") && names.contains(&"halopsa_role_department"));
        assert!(!names.contains(&"halopsa_api_object") && !names.contains(&"halopsa_api_setting"));
        let pos = |n: &str| names.iter().position(|x| *x == n);
        assert!(pos("halopsa_department") < pos("halopsa_team"));
    }

    #[test]
    fn kinds_restrict_and_unknown_ones_are_refused() {
        let wanted = vec!["halopsa_agent".to_string(), "halopsa_team".to_string()];
        let some = select(crate::resources::all(), Some(&wanted)).expect("kinds");
        let registered: Vec<&str> = crate::resources::all()
            .iter()
            .map(|r| r.type_name())
            .filter(|n| wanted.iter().any(|w| w == n))
            .collect();
        assert_eq!(names(&some), registered);
        assert_eq!(names(&some).len(), 2);
        let err = select(crate::resources::all(), Some(&["halopsa_tem".to_string()]))
            .err()
            .expect("refused");
        assert!(err.contains("unknown kind \"halopsa_tem\"") && err.contains("halopsa_team"));
        let err = select(
            crate::resources::all(),
            Some(&["halopsa_api_object".to_string()]),
        )
        .err()
        .expect("refused");
        assert!(err.contains("filter"), "{err}");
    }
}
