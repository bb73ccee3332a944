//! `halopsa_role`: an agent role and its permissions.
//!
//! Permissions travel to Halo as role claims `{"type", "value"}`. How each
//! permission is encoded is an assumption (docs/halo-api.md, "Assumed encodings") that a
//! live tenant may correct, so it lives in one place: [`PERMISSIONS`] and
//! [`ACCESS_LEVELS`]. The role's department list belongs to
//! `halopsa_role_department` and is never sent from here.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;

use super::halo_values::{one_of_or_halo, HALO_PREFIX};
use super::object::{with_details, ObjectResource, Write};
use super::support::{non_empty, or_cleared, NameFilter, WriteField};
use crate::framework::model::{mismatch, object_attrs};
use crate::framework::{
    default_object, ApplyError, AttrPath, Attribute, AttributeKind, Diagnostic, Diagnostics, Field,
    Type, Validator, Value,
};
use crate::halo::{Claim, HaloClient, Role};

pub struct RoleResource;

/// How a permission's value is written as a claim value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// An access level: `none`, `read_only`, `read_modify` (see [`ACCESS_LEVELS`]).
    Access,
    /// A yes/no permission: claim value `true` or `false`.
    Flag,
}

/// The one table of permission encodings \[assumed\]: attribute of `permissions`,
/// Halo claim type, kind of value, and the attribute's description.
pub const PERMISSIONS: &[(&str, &str, ClaimKind, &str)] = &[
    (
        "tickets_access",
        "access:tickets",
        ClaimKind::Access,
        "Access to tickets: `none` (default), `read_only` or `read_modify` (`halo:VALUE` keeps a claim value Halo holds that has no such word).",
    ),
    (
        "clients_access",
        "access:clients",
        ClaimKind::Access,
        "Access to clients (customers): `none` (default), `read_only` or `read_modify` (`halo:VALUE` keeps a claim value Halo holds that has no such word).",
    ),
    (
        "users_access",
        "access:users",
        ClaimKind::Access,
        "Access to users (end users): `none` (default), `read_only` or `read_modify` (`halo:VALUE` keeps a claim value Halo holds that has no such word).",
    ),
    (
        "can_add_tickets",
        "tickets:add",
        ClaimKind::Flag,
        "Whether agents with this role can log new tickets. Default `false`.",
    ),
    (
        "can_edit_closed_tickets",
        "tickets:editclosed",
        ClaimKind::Flag,
        "Whether agents with this role can edit closed tickets. Default `false`.",
    ),
    (
        "can_view_unassigned_tickets",
        "tickets:viewunassigned",
        ClaimKind::Flag,
        "Whether agents with this role can see unassigned tickets. Default `false`.",
    ),
    (
        "can_view_other_agents_tickets",
        "tickets:viewothers",
        ClaimKind::Flag,
        "Whether agents with this role can see tickets assigned to other agents. Default `false`.",
    ),
    (
        "can_delete_tickets",
        "tickets:delete",
        ClaimKind::Flag,
        "Whether agents with this role can delete tickets. Default `false`.",
    ),
    (
        "can_edit_unassigned_tickets",
        "tickets:editunassigned",
        ClaimKind::Flag,
        "Whether agents with this role can edit unassigned tickets. Default `false`.",
    ),
];

/// Access levels \[assumed\]: the provider's word (Halo's screen) and the claim value.
/// An absent claim is the first row.
pub const ACCESS_LEVELS: &[(&str, &str)] = &[
    ("none", "none"),
    ("read_only", "read"),
    ("read_modify", "modify"),
];

/// The provider's access words, for the validator (the first column of
/// [`ACCESS_LEVELS`]; a unit test keeps the two in step).
const ACCESS_WORDS: &[&str] = &["none", "read_only", "read_modify"];

/// The `permissions` object: attribute name (a row of [`PERMISSIONS`]) to a string
/// (access) or bool (flag). Its shape is the table's, so it is a [`Field`] by hand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Permissions(pub BTreeMap<String, Value>);

impl Field for Permissions {
    fn kind() -> AttributeKind {
        AttributeKind::Nested(permission_attributes())
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        let names: Vec<&str> = PERMISSIONS.iter().map(|(n, ..)| *n).collect();
        let attrs = object_attrs(value, path, &names)?;
        let mut perms = BTreeMap::new();
        for (name, _, kind, _) in PERMISSIONS {
            let v = attrs.get(*name).cloned().unwrap_or_default();
            let fits = matches!(
                (kind, &v),
                (_, Value::Null | Value::Unknown)
                    | (ClaimKind::Access, Value::String(_))
                    | (ClaimKind::Flag, Value::Bool(_))
            );
            if !fits {
                return Err(mismatch(&path.attr(name), format!("unexpected {v:?}")));
            }
            if !v.is_null() && !v.is_unknown() {
                perms.insert(name.to_string(), v);
            }
        }
        Ok(Permissions(perms))
    }
    fn encode(&self) -> Value {
        Value::Object(
            PERMISSIONS
                .iter()
                .map(|(name, ..)| {
                    let v = self.0.get(*name).cloned().unwrap_or_default();
                    (name.to_string(), v)
                })
                .collect(),
        )
    }
}

/// One claim of a role as Halo holds it, `{type, value}`: the elements of
/// `extra_claims` (claims the permissions table does not own) and of the data
/// source's raw `claims`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawClaim {
    pub kind: String,
    pub value: String,
}

impl Field for RawClaim {
    fn kind() -> AttributeKind {
        AttributeKind::Value(Type::Object(
            [("type", Type::String), ("value", Type::String)]
                .into_iter()
                .map(|(n, t)| (n.to_string(), t))
                .collect(),
        ))
    }
    fn decode(value: &Value, path: &AttrPath) -> Result<Self, Diagnostic> {
        let attrs = object_attrs(value, path, &["type", "value"])?;
        let text =
            |name: &str| String::decode(attrs.get(name).unwrap_or(&Value::Null), &path.attr(name));
        Ok(RawClaim {
            kind: text("type")?,
            value: text("value")?,
        })
    }
    fn encode(&self) -> Value {
        Value::Object(
            [("type", &self.kind), ("value", &self.value)]
                .into_iter()
                .map(|(n, v)| (n.to_string(), Value::string(v.clone())))
                .collect(),
        )
    }
}

impl From<&Claim> for RawClaim {
    fn from(c: &Claim) -> Self {
        RawClaim {
            kind: c.kind.clone(),
            value: c.value.clone(),
        }
    }
}

/// Whether the permissions table owns claims of this type.
pub fn owned_claim(kind: &str) -> bool {
    PERMISSIONS
        .iter()
        .any(|(_, claim_type, ..)| claim_type.eq_ignore_ascii_case(kind))
}

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct RoleModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .semantic_equality(crate::framework::Semantic::IgnoreCase)
            .description("The role's Halo id (a GUID)."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The role's name (1 to 255 characters)."),
        description: Option<String> = optional()
            .description("A description of the role (Halo's notes)."),
        permissions: Permissions = optional_computed()
            .default(default_object(&permission_attributes()))
            .description(
                "What agents holding this role may do. Every permission left out is at \
                 its default (`none` or `false`); leaving the whole object out gives the \
                 role no permissions. The role's whole permission set is managed: \
                 permissions granted in Halo by hand are removed on the next apply.",
            ),
        extra_claims: Option<BTreeSet<RawClaim>> = optional_computed()
            .use_state_for_unknown()
            .description(
                "Every claim of the role whose type `permissions` does not own, as \
                 `{type, value}` objects exactly as Halo holds them. Left out, the role \
                 keeps the ones it has (an imported role keeps all its claims); set, it is \
                 the whole list of such claims.",
            ),
    }
}

impl RoleModel {
    fn from_halo(r: Role) -> Self {
        let claims = r.claims.as_deref().unwrap_or_default();
        RoleModel {
            id: r.id,
            name: r.name.unwrap_or_default(),
            description: non_empty(r.notes),
            permissions: permissions_from_claims(claims),
            extra_claims: Some(
                claims
                    .iter()
                    .filter(|c| !owned_claim(&c.kind))
                    .map(RawClaim::from)
                    .collect(),
            ),
        }
    }

    /// The Halo role for a create (`id: None`) or an update: the whole claims list,
    /// the permissions' claims followed by the extra claims.
    fn to_halo(&self, id: Option<String>) -> Result<Role, Diagnostic> {
        let mut claims = claims_from_permissions(Some(&self.permissions))?;
        claims.extend(self.extra_claims.iter().flatten().map(|c| Claim {
            kind: c.kind.clone(),
            value: c.value.clone(),
        }));
        Ok(Role {
            id,
            name: Some(self.name.clone()),
            notes: or_cleared(&self.description),
            claims: Some(claims),
            ..Role::default()
        })
    }
}

/// The nested attributes of `permissions`, built from [`PERMISSIONS`].
fn permission_attributes() -> Vec<(&'static str, Attribute)> {
    PERMISSIONS
        .iter()
        .map(|(name, _, kind, description)| {
            let attr = match kind {
                ClaimKind::Access => Attribute::string()
                    .default(Value::string(ACCESS_LEVELS[0].0))
                    .validate(one_of_or_halo(ACCESS_WORDS)),
                ClaimKind::Flag => Attribute::bool().default(Value::Bool(false)),
            };
            (*name, attr.description(*description))
        })
        .collect()
}

/// Reads permissions from Halo's claims. An absent claim is `none` / `false`; an
/// access value this provider does not know is kept as Halo sent it, so the plan
/// shows it instead of hiding it.
pub fn permissions_from_claims(claims: &[Claim]) -> Permissions {
    let perms = PERMISSIONS
        .iter()
        .map(|(name, claim_type, kind, _)| {
            let value = claims
                .iter()
                .find(|c| c.kind.eq_ignore_ascii_case(claim_type))
                .map(|c| c.value.trim());
            let value = match kind {
                ClaimKind::Access => {
                    let word = match value {
                        None | Some("") => ACCESS_LEVELS[0].0.to_string(),
                        Some(v) => ACCESS_LEVELS
                            .iter()
                            .find(|(_, halo)| halo.eq_ignore_ascii_case(v))
                            .map_or_else(
                                || format!("{HALO_PREFIX}{v}"),
                                |(word, _)| (*word).to_string(),
                            ),
                    };
                    Value::String(word)
                }
                ClaimKind::Flag => Value::Bool(value.is_some_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
                })),
            };
            (name.to_string(), value)
        })
        .collect();
    Permissions(perms)
}

/// The whole claims list for a role's permissions: one claim per permission, with
/// explicit `none` / `false` values for those left at their default.
pub fn claims_from_permissions(perms: Option<&Permissions>) -> Result<Vec<Claim>, Diagnostic> {
    let get = |name: &str| perms.and_then(|p| p.0.get(name)).filter(|v| !v.is_null());
    PERMISSIONS
        .iter()
        .map(|(name, claim_type, kind, _)| {
            let value = match (kind, get(name)) {
                (ClaimKind::Access, None) => ACCESS_LEVELS[0].1.to_string(),
                (ClaimKind::Access, Some(Value::String(word))) => {
                    match word.strip_prefix(HALO_PREFIX) {
                        // Halo's own value, kept as it is.
                        Some(raw) => raw.trim().to_string(),
                        None => ACCESS_LEVELS
                            .iter()
                            .find(|(w, _)| w == word)
                            .map(|(_, halo)| (*halo).to_string())
                            .ok_or_else(|| bad_permission(name, *kind, &format!("{word:?}")))?,
                    }
                }
                (ClaimKind::Flag, None) => "false".to_string(),
                (ClaimKind::Flag, Some(Value::Bool(b))) => b.to_string(),
                (_, Some(other)) => return Err(bad_permission(name, *kind, &format!("{other:?}"))),
            };
            Ok(Claim {
                kind: (*claim_type).to_string(),
                value,
            })
        })
        .collect()
}

fn bad_permission(name: &str, kind: ClaimKind, got: &str) -> Diagnostic {
    let path = AttrPath::root("permissions").attr(name);
    let expected = match kind {
        ClaimKind::Access => ACCESS_WORDS
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(", "),
        ClaimKind::Flag => "true, false".to_string(),
    };
    Diagnostic::attribute_error(
        path.clone(),
        format!("Invalid value for {path}"),
        format!("{path} {got} is not one of {expected}."),
    )
}

#[async_trait]
impl ObjectResource for RoleResource {
    const TYPE_NAME: &'static str = "halopsa_role";
    const DESCRIPTION: &'static str =
        "An agent role (Configuration > Teams & Agents > Roles) with its permissions. \
         Agents get roles through `halopsa_agent.role_ids`; a role's departments are \
         managed with `halopsa_role_department`.";
    /// Every role, with its permissions.
    const DETAILS: bool = true;
    /// Halo fields named in Halo's refusals, and the attribute to point at.
    const WRITE_FIELDS: &'static [WriteField] = &[
        ("claims", "permissions"),
        ("notes", "description"),
        ("name", "name"),
    ];
    type Model = RoleModel;
    type Filter = NameFilter;
    type Object = Role;

    fn from_halo(r: Role, _known: Option<&RoleModel>) -> RoleModel {
        RoleModel::from_halo(r)
    }

    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &RoleModel,
        write: &Write<'_, RoleModel, String>,
    ) -> Result<Role, Diagnostics> {
        Ok(plan.to_halo(write.id())?)
    }

    /// The answer to a write may leave the claims out; then they are read back.
    async fn saved(
        &self,
        halo: &HaloClient,
        saved: Role,
        plan: &RoleModel,
        _write: &Write<'_, RoleModel, String>,
    ) -> Result<RoleModel, ApplyError<RoleModel>> {
        with_details::<Self>(halo, saved, plan, |r| r.claims.is_some()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(kind: &str, value: &str) -> Claim {
        Claim {
            kind: kind.into(),
            value: value.into(),
        }
    }

    #[test]
    fn access_words_match_the_table() {
        let words: Vec<&str> = ACCESS_LEVELS.iter().map(|(w, _)| *w).collect();
        assert_eq!(words, ACCESS_WORDS);
    }

    #[test]
    fn no_claims_means_no_permissions() {
        let perms = permissions_from_claims(&[]);
        assert_eq!(perms.0["tickets_access"], Value::string("none"));
        assert_eq!(perms.0["can_delete_tickets"], Value::Bool(false));
        assert_eq!(perms.0.len(), PERMISSIONS.len());
    }

    #[test]
    fn permissions_round_trip_through_claims() {
        let mut perms = permissions_from_claims(&[]);
        perms
            .0
            .insert("tickets_access".into(), Value::string("read_modify"));
        perms
            .0
            .insert("users_access".into(), Value::string("read_only"));
        perms.0.insert("can_add_tickets".into(), Value::Bool(true));
        let claims = claims_from_permissions(Some(&perms)).unwrap();
        assert!(claims.contains(&claim("access:tickets", "modify")));
        assert!(claims.contains(&claim("access:users", "read")));
        assert!(claims.contains(&claim("access:clients", "none")));
        assert!(claims.contains(&claim("tickets:add", "true")));
        assert!(claims.contains(&claim("tickets:delete", "false")));
        assert_eq!(permissions_from_claims(&claims), perms);
    }

    #[test]
    fn unknown_access_word_names_the_attribute() {
        let mut perms = Permissions::default();
        perms
            .0
            .insert("clients_access".into(), Value::string("everything"));
        let err = claims_from_permissions(Some(&perms)).unwrap_err();
        assert_eq!(
            err.path.map(|p| p.to_string()).as_deref(),
            Some("permissions.clients_access")
        );
    }

    #[test]
    fn claims_outside_the_table_are_kept_as_extra_claims() {
        let role = Role {
            id: Some("g".into()),
            name: Some("r".into()),
            claims: Some(vec![
                claim("access:tickets", "read"),
                claim("Custom:X", "7"),
            ]),
            ..Role::default()
        };
        let model = RoleModel::from_halo(role);
        let extra: Vec<_> = model.extra_claims.iter().flatten().cloned().collect();
        assert_eq!(extra, [RawClaim::from(&claim("Custom:X", "7"))]);
        let back = model.to_halo(Some("g".into())).unwrap().claims.unwrap();
        assert!(back.contains(&claim("Custom:X", "7")));
        assert!(back.contains(&claim("access:tickets", "read")));
        assert_eq!(back.len(), PERMISSIONS.len() + 1);
    }

    #[test]
    fn unknown_halo_access_value_is_kept() {
        let perms = permissions_from_claims(&[claim("access:tickets", "admin")]);
        assert_eq!(perms.0["tickets_access"], Value::string("halo:admin"));
        let back = claims_from_permissions(Some(&perms)).unwrap();
        assert!(back.contains(&claim("access:tickets", "admin")));
    }
}
