//! `halopsa_team`: a team of agents inside a department.

use async_trait::async_trait;

use super::halo_values::halo_id;
use super::object::{write_fields, ListFilter, ListQuery, ObjectResource, ParentRef, Write};
use super::support::{int_id, write_error_on, WriteField};
use crate::framework::{Diagnostic, Diagnostics, Validator, Value};
use crate::halo::{Department, HaloClient, HaloError, Team};

pub struct TeamResource;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct TeamModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The team's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description(
                "The team's name (1 to 255 characters). Agents refer to their default \
                 team by this name.",
            ),
        department_id: String = required()
            .references("halopsa_department")
            .validate(halo_id())
            .description(
                "The id of the department the team belongs to (e.g. \
                 `halopsa_department.example.id`). A team can move to another \
                 department in place.",
            ),
        inactive: bool = optional_computed().default(Value::Bool(false)).description(
            "Whether the team is inactive (hidden from ticket assignment). Defaults to \
             `false`.",
        ),
    }
}

crate::model! {
    /// The `list` block filters of `halopsa_team`.
    #[derive(Debug, Clone, Default)]
    pub struct TeamFilter {
        name: Option<String> = optional()
            .description("Only teams whose name contains this text (ignoring case)."),
        department_id: Option<String> = optional()
            .validate(halo_id())
            .description("Only the teams of the department with this Halo id."),
    }
}

impl TeamModel {
    fn from_halo(t: Team) -> Self {
        TeamModel {
            id: t.id.map(|i| i.to_string()),
            name: t.name.unwrap_or_default(),
            department_id: t.department_id.map(|i| i.to_string()).unwrap_or_default(),
            // Halo leaves the flag out (or null) for an active team.
            inactive: t.inactive.unwrap_or(false),
        }
    }
}

/// The parent of a team: its department. `/api/Team` filters by it with
/// `department_id` \[spec\].
pub const IN_DEPARTMENT: ParentRef<Team> = ParentRef {
    attribute: TeamModel::department_id,
    param: "department_id",
    of: |t| t.department_id,
};

impl ListFilter<Team> for TeamFilter {
    fn query(&self) -> ListQuery<'_, Team> {
        ListQuery::children(&self.name, &IN_DEPARTMENT, &self.department_id)
    }
}

#[async_trait]
impl ObjectResource for TeamResource {
    const TYPE_NAME: &'static str = "halopsa_team";
    const DESCRIPTION: &'static str =
        "A team of agents (Configuration > Teams & Agents > Teams). Every team belongs \
         to a department; tickets are assigned to teams.";
    const DETAILS: bool = false;
    const WRITE_FIELDS: &'static [WriteField] = &[
    ];
    type Model = TeamModel;
    type Filter = TeamFilter;
    type Object = Team;

    fn from_halo(t: Team) -> TeamModel {
        TeamModel::from_halo(t)
    }

    /// The department is sent by a create, and by an update only when it changes
    /// (a move), so that a team whose department was deleted behind Terraform's
    /// back can still be edited.
    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &TeamModel,
        write: &Write<'_, TeamModel, i64>,
    ) -> Result<Team, Diagnostics> {
        let department_id = int_id(Some(&plan.department_id), TeamModel::department_id)?;
        let moved = write
            .prior()
            .is_none_or(|prior| prior.department_id != plan.department_id);
        Ok(Team {
            id: write.id(),
            name: Some(plan.name.clone()),
            department_id: moved.then_some(department_id),
            inactive: Some(plan.inactive),
        })
    }

    fn same(sent: &Team, found: &Team) -> bool {
        sent.name == found.name && sent.department_id == found.department_id
    }

    /// On `department_id` when that is what Halo refused (or the department does
    /// not exist), else Halo's own message.
    async fn refused(&self, halo: &HaloClient, err: &HaloError, sent: &Team) -> Diagnostic {
        let id = sent.department_id;
        write_error_on::<Department>(halo, err, &write_fields::<Self>(), TeamModel::department_id, id).await
    }
}
