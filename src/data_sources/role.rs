//! Data source `halopsa_role`: one role, by name or id, with its permissions and
//! every raw claim.

use std::collections::BTreeSet;

use super::Lookup;
use crate::halo::Role;
use crate::resources::{RawClaim, RoleResource};

pub struct RoleLookup;

crate::model! {
    /// What the role data source shows beyond the resource's attributes.
    #[derive(Debug, Clone, Default)]
    pub struct RoleClaims {
        claims: Option<BTreeSet<RawClaim>> = computed().description(
            "Every claim of the role exactly as Halo holds it (`{type, value}`), those \
             `permissions` reads included.",
        ),
    }
}

impl Lookup for RoleLookup {
    const TYPE_NAME: &'static str = "halopsa_role";
    const DESCRIPTION: &'static str =
        "Looks up one agent role by `name` or `id`, with its permissions and raw claims. \
         No match, or more than one role with the name, is an error.";
    type Source = RoleResource;
    type Extra = RoleClaims;

    fn extra(obj: &Role) -> RoleClaims {
        RoleClaims {
            claims: Some(obj.claims.iter().flatten().map(RawClaim::from).collect()),
        }
    }
}
