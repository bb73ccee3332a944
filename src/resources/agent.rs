//! `halopsa_agent`: an agent (a Halo user who works tickets), including API-only
//! agents that applications log in as.
//!
//! The agent's department memberships belong to `halopsa_agent_department` and are
//! never sent from here. `role_ids` is the agent's whole role set when configured;
//! left out, roles are not managed (whatever Halo holds is read back).

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::halo_values::halo_id;
use super::object::{with_details, ObjectResource, Write};
use super::support::{int_id, non_empty, or_cleared, NameFilter, WriteField};
use crate::framework::{ApplyError, Diagnostic, Diagnostics, Semantic, Validator, Value};
use crate::halo::{Agent, HaloClient, RoleRef};

pub struct AgentResource;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct AgentModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The agent's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The agent's username (1 to 255 characters)."),
        email: Option<String> = optional().description("The agent's email address."),
        first_name: Option<String> = optional().description("The agent's first name."),
        surname: Option<String> = optional().description("The agent's surname."),
        is_api_agent: bool = optional_computed().default(Value::Bool(false)).description(
            "Whether this is an API-only agent (used by API applications, cannot log in \
             interactively). Default `false`.",
        ),
        default_team: Option<String> = optional()
            .references_attribute("halopsa_team", super::team::TeamModel::name)
            .validate(Validator::length(1, 255))
            .description("The **name** of the agent's default team (e.g. `halopsa_team.x.name`)."),
        workday_id: Option<String> = optional_computed()
            .references("halopsa_workday")
            .use_state_for_unknown()
            .validate(halo_id())
            .description(
                "The id of the agent's work hours (see the `halopsa_workday` data source). \
                 Left out, Halo's choice is kept and read back.",
            ),
        role_ids: Option<BTreeSet<String>> = optional_computed()
            .references("halopsa_role")
            .use_state_for_unknown()
            // Halo answers the GUIDs in its own letter case, and some answers
            // leave the role list out.
            .semantic_equality(Semantic::IgnoreCase)
            .keep_prior_when_absent()
            .description(
                "The ids of the roles the agent holds: the agent's whole role set (roles \
                 added in Halo by hand are removed on the next apply). An empty set \
                 removes every role. Left out, the agent's roles are not managed and \
                 Halo's are read back.",
            ),
        is_disabled: bool = optional_computed()
            .default(Value::Bool(false))
            .description("Whether the agent is disabled (cannot log in). Default `false`."),
    }
}

/// Halo fields named in Halo's refusals whose names are not their attribute's
/// (the others are derived: `object::write_fields`).
const WRITE_FIELDS: &[WriteField] = &[
    ("roles", AgentModel::role_ids),
    ("firstname", AgentModel::first_name),
    ("team", AgentModel::default_team),
];

impl AgentModel {
    /// The model for Halo's agent. A role list Halo left out is null here (the
    /// attribute keeps the known one); Halo's spelling of the role GUIDs stands
    /// (the attribute's semantic equality keeps the known one).
    fn from_halo(a: Agent) -> Self {
        let role_ids = a
            .roles
            .map(|roles| roles.into_iter().map(|r| r.id).collect());
        AgentModel {
            id: a.id.map(|i| i.to_string()),
            name: a.name.unwrap_or_default(),
            email: non_empty(a.email),
            first_name: non_empty(a.firstname),
            surname: non_empty(a.surname),
            is_api_agent: a.isapiagent.unwrap_or(false),
            default_team: non_empty(a.team),
            workday_id: a.workday_id.filter(|w| *w > 0).map(|w| w.to_string()),
            role_ids,
            is_disabled: a.isdisabled.unwrap_or(false),
        }
    }
}

/// Role ids as Halo's `roles` list.
fn role_refs(ids: &BTreeSet<String>) -> Vec<RoleRef> {
    ids.iter().map(|id| RoleRef { id: id.clone() }).collect()
}

/// Whether two role sets differ (GUIDs compare without regard to case).
fn roles_differ(a: Option<&BTreeSet<String>>, b: Option<&BTreeSet<String>>) -> bool {
    let norm = |v: Option<&BTreeSet<String>>| {
        let mut ids: Vec<String> = v
            .into_iter()
            .flatten()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    a.is_some() != b.is_some() || norm(a) != norm(b)
}

/// The optional work hours id as Halo's integer.
fn workday(plan: &AgentModel) -> Result<Option<i64>, Diagnostic> {
    plan.workday_id
        .as_deref()
        .map(|w| int_id(Some(w), AgentModel::workday_id))
        .transpose()
}

#[async_trait]
impl ObjectResource for AgentResource {
    const TYPE_NAME: &'static str = "halopsa_agent";
    const DESCRIPTION: &'static str =
        "An agent: a Halo user who works tickets (Configuration > Teams & Agents > Agents), \
         or an API-only agent that API applications log in as. Department memberships \
         are managed with `halopsa_agent_department`.";
    /// Every agent, API-only and disabled ones included, with its roles.
    const DETAILS: bool = true;
    const WRITE_FIELDS: &'static [WriteField] = WRITE_FIELDS;
    type Model = AgentModel;
    type Filter = NameFilter;
    type Object = Agent;

    fn from_halo(a: Agent) -> AgentModel {
        AgentModel::from_halo(a)
    }

    /// A text field left out of the configuration is cleared (Halo keeps what a
    /// POST leaves out). Roles are sent by a create, and by an update only when
    /// they change, so an unmanaged role set (left out of the configuration,
    /// planned as the prior value) is never written. The agent's departments
    /// belong to `halopsa_agent_department` and are never sent.
    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &AgentModel,
        write: &Write<'_, AgentModel, i64>,
    ) -> Result<Agent, Diagnostics> {
        let roles = plan.role_ids.as_ref().filter(|_| {
            write
                .prior()
                .is_none_or(|prior| roles_differ(plan.role_ids.as_ref(), prior.role_ids.as_ref()))
        });
        Ok(Agent {
            id: write.id(),
            name: Some(plan.name.clone()),
            email: or_cleared(&plan.email),
            firstname: or_cleared(&plan.first_name),
            surname: or_cleared(&plan.surname),
            isapiagent: Some(plan.is_api_agent),
            team: or_cleared(&plan.default_team),
            workday_id: workday(plan)?,
            isdisabled: Some(plan.is_disabled),
            roles: roles.map(role_refs),
            departments: None,
        })
    }

    /// When the answer to the write leaves out the role list, the agent is read
    /// back with its details (a role set left to Halo must be known after apply).
    async fn saved(
        &self,
        halo: &HaloClient,
        saved: Agent,
        _plan: &AgentModel,
        _write: &Write<'_, AgentModel, i64>,
    ) -> Result<AgentModel, ApplyError<AgentModel>> {
        with_details::<Self>(halo, saved, |a| a.roles.is_some()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_sets_compare_without_order_or_case() {
        let set = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let (a, b) = (set(&["AB", "cd"]), set(&["CD", "ab"]));
        assert!(!roles_differ(Some(&a), Some(&b)));
        assert!(roles_differ(Some(&a), Some(&set(&[]))));
        assert!(roles_differ(None, Some(&set(&[]))));
        assert!(!roles_differ(None, None));
    }

    #[test]
    fn halo_role_ids_read_as_halo_spells_them() {
        let agent = Agent {
            id: Some(4),
            name: Some("jo".into()),
            roles: Some(vec![RoleRef {
                id: "ABC-DEF".into(),
            }]),
            ..Agent::default()
        };
        let m = AgentModel::from_halo(agent);
        assert_eq!(m.role_ids, Some(["ABC-DEF".to_string()].into()));
        assert!(!m.is_api_agent);
        assert_eq!(m.id.as_deref(), Some("4"));
        assert_eq!(AgentModel::from_halo(Agent::default()).role_ids, None);
    }
}
