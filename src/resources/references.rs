//! Plan-time reference checks: an attribute that declares what it references
//! ([`Attribute::references`]) and whose planned value is known must name an
//! object Halo holds, so that `sla_id = "999"` fails `terraform plan` naming
//! `sla_id` rather than the apply. Look-ups go through the run's snapshots
//! ([`HaloClient::read`], [`HaloClient::listed`]): a plan of many resources
//! costs one list per referenced kind, plus a `GET` for an id the list lacks.
//! A look-up that fails (network, rate limit) is a warning: the check must
//! never be what stops a plan Halo would accept. So is a missing object the
//! state already held (deleted in Halo since): an error there would block
//! `terraform destroy`, whose first step is a normal plan ([`HeldReferences`]).

use futures::future::BoxFuture;

use super::halo_values::HALO_PREFIX;
use super::object::{ParseId, ID};
use super::support::Named;
use crate::data_sources::NAME;
use crate::framework::{self, AttrPath, Attribute, Diagnostic, Diagnostics, HeldReferences, Value};
use crate::halo::{HaloClient, HaloError};

/// Whether an object of a kind has `attribute` equal to a value.
type Exists = for<'a> fn(&'a HaloClient, &'static str, String) -> BoxFuture<'a, Lookup>;

/// What a look-up found: `None` when the attribute is not one it can check.
type Lookup = Result<Option<bool>, HaloError>;

/// The Halo kind behind a referenced resource type (see `referenced` in the
/// registry, `super::referenced`).
#[derive(Clone, Copy)]
pub(crate) struct Kind {
    exists: Exists,
}

impl Kind {
    pub(crate) fn of<T: Named<Id: ParseId>>() -> Kind {
        Kind {
            exists: exists::<T>,
        }
    }
}

fn exists<'a, T: Named<Id: ParseId>>(
    halo: &'a HaloClient,
    attribute: &'static str,
    value: String,
) -> BoxFuture<'a, Lookup> {
    Box::pin(async move {
        match attribute {
            ID => match T::Id::parse(Some(&value), attribute) {
                // A malformed id is the validators' to report.
                Err(_) => Ok(None),
                Ok(id) => Ok(Some(halo.read::<T>(id, false).await?.is_some())),
            },
            NAME => {
                let wanted = value.trim();
                let all = halo.listed::<T>().await?;
                Ok(Some(all.iter().any(|o| {
                    o.name()
                        .is_some_and(|n| n.trim().eq_ignore_ascii_case(wanted))
                })))
            }
            _ => Ok(None),
        }
    })
}

/// The values of a referencing attribute worth looking up: known, non-empty
/// strings (one, or each of a set or list) that are not a `halo:` escape.
fn referenced_values(value: &Value) -> Vec<&str> {
    framework::referenced_values(value)
        .into_iter()
        .filter(|s| !s.starts_with(HALO_PREFIX))
        .collect()
}

/// Checks every top-level referencing attribute of `attrs` in `planned`. A
/// missing object is an error when the reference is new to the state and a
/// warning when `held` says the state already held it (deleted in Halo since:
/// see [`HeldReferences`]), so that a destroy is never blocked.
pub(crate) async fn check(
    halo: &HaloClient,
    attrs: &[(&'static str, Attribute)],
    planned: &Value,
    held: &HeldReferences,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for (name, attr) in attrs {
        let Some(reference) = attr.references else {
            continue;
        };
        let Some(kind) = super::referenced(reference.type_name) else {
            continue;
        };
        for value in referenced_values(planned.attr(name)) {
            // Named by a value known at plan, created by this same apply
            // (`default_team = halopsa_team.x.name`): nothing to look up.
            if held.is_planned(reference, value) {
                continue;
            }
            match (kind.exists)(halo, reference.attribute, value.to_string()).await {
                Ok(Some(false)) => diags.push(held.missing(name, reference, value, "Halo")),
                Ok(_) => {}
                Err(e) => {
                    // One warning per resource: a failing Halo is not asked again.
                    diags.push(
                        Diagnostic::warning(
                            "Reference not checked",
                            format!(
                                "Could not check that {} {value:?} exists ({e}); the apply will \
                                 tell.",
                                reference.type_name
                            ),
                        )
                        .at(AttrPath::root(name)),
                    );
                    return diags;
                }
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_plain_values_are_looked_up() {
        assert_eq!(referenced_values(&Value::string(" 12 ")), vec!["12"]);
        assert!(referenced_values(&Value::Unknown).is_empty());
        assert!(referenced_values(&Value::Null).is_empty());
        assert!(referenced_values(&Value::string("halo:3")).is_empty());
        assert!(referenced_values(&Value::string("")).is_empty());
        let set = Value::Set(vec![Value::string("1"), Value::Unknown, Value::string("2")]);
        assert_eq!(referenced_values(&set), vec!["1", "2"]);
    }

    /// A reference the registry cannot resolve would go unchecked silently.
    #[test]
    fn every_declared_reference_has_a_kind() {
        let mut seen = 0;
        for r in super::super::all() {
            for (name, attr) in r.schema().attributes {
                if let Some(reference) = attr.references {
                    seen += 1;
                    assert!(
                        super::super::referenced(reference.type_name).is_some(),
                        "{}.{name} references {}, which has no Halo kind",
                        r.type_name(),
                        reference.type_name
                    );
                }
            }
        }
        assert!(seen > 10, "only {seen} references declared");
    }
}
