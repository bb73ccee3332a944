//! `halopsa_team`: a team of agents inside a department.

use async_trait::async_trait;

use super::support::{int_id, list_children, write_error_checking, Reference, WriteField};
use crate::framework::{ApplyError, Diagnostics, Resource, Validator, Value};
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
            .validate(Validator::PositiveIntString)
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
            .validate(Validator::PositiveIntString)
            .description("Only the teams of the department with this Halo id."),
    }
}

impl TeamModel {
    pub fn from_halo(t: Team) -> Self {
        TeamModel {
            id: t.id.map(|i| i.to_string()),
            name: t.name.unwrap_or_default(),
            department_id: t.department_id.map(|i| i.to_string()).unwrap_or_default(),
            // Halo leaves the flag out (or null) for an active team.
            inactive: t.inactive.unwrap_or(false),
        }
    }

    /// The Halo object for a create (`id: None`) or an update; `department_id` is
    /// `None` when it is to be left as Halo has it.
    fn to_halo(&self, id: Option<i64>, department_id: Option<i64>) -> Team {
        Team {
            id,
            name: Some(self.name.clone()),
            department_id,
            inactive: Some(self.inactive),
        }
    }
}

/// Halo fields a refused write may name, and the attributes they come from.
const WRITE_FIELDS: &[WriteField] = &[
    ("department_id", "department_id"),
    ("inactive", "inactive"),
    ("name", "name"),
];

/// The error for a refused create or update: on `department_id` when that is what
/// Halo refused (or the department does not exist), else Halo's own message.
async fn explain(halo: &HaloClient, err: HaloError, department_id: i64) -> Diagnostics {
    let reference = Reference::<Department> {
        attribute: "department_id",
        id: department_id,
    };
    write_error_checking(halo, &err, WRITE_FIELDS, reference)
        .await
        .into()
}

#[async_trait]
impl Resource<HaloClient> for TeamResource {
    const TYPE_NAME: &'static str = "halopsa_team";
    const DESCRIPTION: &'static str =
        "A team of agents (Configuration > Teams & Agents > Teams). Every team belongs \
         to a department; tickets are assigned to teams.";
    type Model = TeamModel;
    type Filter = TeamFilter;
    type Key = i64;

    super::support::keyed_by_id!(i64, super::support::int_id);

    async fn list(
        &self,
        halo: &HaloClient,
        filter: TeamFilter,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        // Halo narrows by the parent itself (`department_id` [spec]); the filter
        // is applied here all the same.
        Ok(list_children::<Team>(
            halo,
            "department_id",
            filter.department_id.as_deref(),
            |o| o.department_id,
            filter.name.as_deref(),
        )
        .await?
        .into_iter()
        .map(TeamModel::from_halo)
        .collect())
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let department_id = int_id(Some(&plan.department_id), "department_id")?;
        let created = halo
            .create(&plan.to_halo(None, Some(department_id)), |t: &Team| {
                t.name.as_deref() == Some(plan.name.as_str())
                    && t.department_id == Some(department_id)
            })
            .await;
        match created {
            Ok(t) => Ok(TeamModel::from_halo(t)),
            Err(e) => Err(explain(halo, e, department_id).await.into()),
        }
    }

    async fn read(
        &self,
        halo: &HaloClient,
        id: i64,
        _prior: Option<&Self::Model>,
    ) -> Result<Option<Self::Model>, Diagnostics> {
        Ok(halo
            .read::<Team>(id, false)
            .await?
            .map(TeamModel::from_halo))
    }

    async fn update(
        &self,
        halo: &HaloClient,
        prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let id = Self::key(&prior)?;
        let department_id = int_id(Some(&plan.department_id), "department_id")?;
        // The department is sent only when it changes (a move), so that a team
        // whose department was deleted behind Terraform's back can still be edited.
        let moved = prior.department_id != plan.department_id;
        match halo
            .update(&plan.to_halo(Some(id), moved.then_some(department_id)))
            .await
        {
            Ok(t) => Ok(TeamModel::from_halo(t)),
            Err(e) => Err(explain(halo, e, department_id).await.into()),
        }
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        halo.delete::<Team>(Self::key(&state)?).await?;
        Ok(())
    }
}
