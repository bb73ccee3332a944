//! `halopsa_role`: an agent role and its permissions.
//!
//! Permissions travel to Halo as role claims `{"type", "value"}`. How each
//! permission is encoded is an assumption (CONTRACT.md, "Assumed encodings") that a
//! live tenant may correct, so it lives in one place: [`PERMISSIONS`] and
//! [`ACCESS_LEVELS`]. The role's department list belongs to
//! `halopsa_role_department` and is never sent from here.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{guid_id, non_empty, or_cleared, write_error, Field};
use crate::framework::plan::default_object;
use crate::framework::{
    ApplyError, AttrPath, Attribute, Diagnostic, Diagnostics, Resource, Schema, Validator, Value,
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

/// The one table of permission encodings [assumed]: attribute of `permissions`,
/// Halo claim type, kind of value, and the attribute's description.
pub const PERMISSIONS: &[(&str, &str, ClaimKind, &str)] = &[
    (
        "tickets_access",
        "access:tickets",
        ClaimKind::Access,
        "Access to tickets: `none` (default), `read_only` or `read_modify`.",
    ),
    (
        "clients_access",
        "access:clients",
        ClaimKind::Access,
        "Access to clients (customers): `none` (default), `read_only` or `read_modify`.",
    ),
    (
        "users_access",
        "access:users",
        ClaimKind::Access,
        "Access to users (end users): `none` (default), `read_only` or `read_modify`.",
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

/// Access levels [assumed]: the provider's word (Halo's screen) and the claim value.
/// An absent claim is the first row.
pub const ACCESS_LEVELS: &[(&str, &str)] = &[
    ("none", "none"),
    ("read_only", "read"),
    ("read_modify", "modify"),
];

/// The provider's access words, for the validator (the first column of
/// [`ACCESS_LEVELS`]; a unit test keeps the two in step).
const ACCESS_WORDS: &[&str] = &["none", "read_only", "read_modify"];

/// The `permissions` object: attribute name to a string (access) or bool (flag).
pub type Permissions = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleModel {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Option<Permissions>,
}

impl RoleModel {
    pub fn from_halo(r: Role) -> Self {
        RoleModel {
            id: r.id,
            name: r.name.unwrap_or_default(),
            description: non_empty(r.notes),
            permissions: Some(permissions_from_claims(
                r.claims.as_deref().unwrap_or_default(),
            )),
        }
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
                    .validate(Validator::OneOf(ACCESS_WORDS)),
                ClaimKind::Flag => Attribute::bool().default(Value::Bool(false)),
            };
            (*name, attr.description(description))
        })
        .collect()
}

/// Reads permissions from Halo's claims. An absent claim is `none` / `false`; an
/// access value this provider does not know is kept as Halo sent it, so the plan
/// shows it instead of hiding it.
pub fn permissions_from_claims(claims: &[Claim]) -> Permissions {
    PERMISSIONS
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
                            .map_or_else(|| v.to_string(), |(word, _)| (*word).to_string()),
                    };
                    serde_json::Value::String(word)
                }
                ClaimKind::Flag => serde_json::Value::Bool(value.is_some_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
                })),
            };
            (name.to_string(), value)
        })
        .collect()
}

/// The whole claims list for a role's permissions: one claim per permission, with
/// explicit `none` / `false` values for those left at their default.
pub fn claims_from_permissions(perms: Option<&Permissions>) -> Result<Vec<Claim>, Diagnostic> {
    let get = |name: &str| perms.and_then(|p| p.get(name)).filter(|v| !v.is_null());
    PERMISSIONS
        .iter()
        .map(|(name, claim_type, kind, _)| {
            let value = match (kind, get(name)) {
                (ClaimKind::Access, None) => ACCESS_LEVELS[0].1.to_string(),
                (ClaimKind::Access, Some(serde_json::Value::String(word))) => ACCESS_LEVELS
                    .iter()
                    .find(|(w, _)| w == word)
                    .map(|(_, halo)| (*halo).to_string())
                    .ok_or_else(|| bad_permission(name, *kind, &format!("{word:?}")))?,
                (ClaimKind::Flag, None) => "false".to_string(),
                (ClaimKind::Flag, Some(serde_json::Value::Bool(b))) => b.to_string(),
                (_, Some(other)) => return Err(bad_permission(name, *kind, &other.to_string())),
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

/// Halo fields named in Halo's refusals, and the attribute to point at.
const WRITE_FIELDS: &[Field] = &[
    ("claims", "permissions"),
    ("notes", "description"),
    ("name", "name"),
];

#[async_trait]
impl Resource for RoleResource {
    const TYPE_NAME: &'static str = "halopsa_role";
    type Model = RoleModel;

    fn schema(&self) -> Schema {
        let permissions = permission_attributes();
        let defaults = default_object(&permissions);
        Schema::new(
            "An agent role (Configuration > Teams & Agents > Roles) with its permissions. \
             Agents get roles through `halopsa_agent.role_ids`; a role's departments are \
             managed with `halopsa_role_department`.",
        )
        .attribute(
            "id",
            Attribute::string()
                .computed()
                .use_state_for_unknown()
                .description("The role's Halo id (a GUID)."),
        )
        .attribute(
            "name",
            Attribute::string()
                .required()
                .validate(Validator::length(1, 255))
                .description("The role's name (1 to 255 characters)."),
        )
        .attribute(
            "description",
            Attribute::string().description("A description of the role (Halo's notes)."),
        )
        .attribute(
            "permissions",
            Attribute::nested(permissions)
                .default(defaults)
                .description(
                    "What agents holding this role may do. Every permission left out is at \
                     its default (`none` or `false`); leaving the whole object out gives the \
                     role no permissions. The role's whole permission set is managed: \
                     permissions granted in Halo by hand are removed on the next apply.",
                ),
        )
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(super::name_filter_schema("roles"))
    }

    /// Every role, with its permissions.
    async fn list(
        &self,
        halo: &HaloClient,
        filter: &Value,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        Ok(super::list_named::<Role>(halo, filter, true)
            .await?
            .into_iter()
            .map(RoleModel::from_halo)
            .collect())
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let wanted = Role {
            name: Some(plan.name.clone()),
            notes: plan.description,
            claims: Some(claims_from_permissions(plan.permissions.as_ref())?),
            ..Role::default()
        };
        let created = halo
            .create(&wanted, |r: &Role| {
                r.name.as_deref() == Some(plan.name.as_str())
            })
            .await
            .map_err(|e| write_error(&e, WRITE_FIELDS))?;
        let created = with_claims(halo, created).await?;
        Ok(RoleModel::from_halo(created))
    }

    async fn read(
        &self,
        halo: &HaloClient,
        state: Self::Model,
    ) -> Result<Option<Self::Model>, Diagnostics> {
        let id = guid_id(state.id.as_deref(), "id")?;
        Ok(halo.read::<Role>(id, true).await?.map(RoleModel::from_halo))
    }

    async fn update(
        &self,
        halo: &HaloClient,
        prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let id = guid_id(prior.id.as_deref(), "id")?;
        let changed = Role {
            id: Some(id),
            name: Some(plan.name.clone()),
            notes: or_cleared(&plan.description),
            claims: Some(claims_from_permissions(plan.permissions.as_ref())?),
            ..Role::default()
        };
        let saved = halo
            .update(&changed)
            .await
            .map_err(|e| write_error(&e, WRITE_FIELDS))?;
        let saved = with_claims(halo, saved).await?;
        Ok(RoleModel::from_halo(saved))
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        let id = guid_id(state.id.as_deref(), "id")?;
        halo.delete::<Role>(id).await?;
        Ok(())
    }
}

/// A saved role with its claims: the answer to a write may leave them out, and
/// then they are read back.
async fn with_claims(halo: &HaloClient, saved: Role) -> Result<Role, ApplyError<RoleModel>> {
    if saved.claims.is_some() {
        return Ok(saved);
    }
    let Some(id) = saved.id.clone() else {
        return Ok(saved);
    };
    match halo.get::<Role>(id, true).await {
        Ok(Some(full)) => Ok(full),
        Ok(None) => Ok(saved),
        Err(e) => Err(ApplyError::with_state(
            RoleModel::from_halo(saved),
            crate::framework::resource::halo_diagnostic(&e),
        )),
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
        assert_eq!(perms["tickets_access"], "none");
        assert_eq!(perms["can_delete_tickets"], false);
        assert_eq!(perms.len(), PERMISSIONS.len());
    }

    #[test]
    fn permissions_round_trip_through_claims() {
        let mut perms = permissions_from_claims(&[]);
        perms.insert("tickets_access".into(), "read_modify".into());
        perms.insert("users_access".into(), "read_only".into());
        perms.insert("can_add_tickets".into(), true.into());
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
        let mut perms = Permissions::new();
        perms.insert("clients_access".into(), "everything".into());
        let err = claims_from_permissions(Some(&perms)).unwrap_err();
        assert_eq!(
            err.path.map(|p| p.to_string()).as_deref(),
            Some("permissions.clients_access")
        );
    }

    #[test]
    fn unknown_halo_access_value_is_kept() {
        let perms = permissions_from_claims(&[claim("access:tickets", "admin")]);
        assert_eq!(perms["tickets_access"], "admin");
    }
}
