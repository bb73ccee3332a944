//! `halopsa_team`: a team of agents inside a department.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{int_id, write_error_checking, Field, Reference};
use crate::framework::{ApplyError, Attribute, Diagnostics, Resource, Schema, Validator, Value};
use crate::halo::{Department, HaloClient, HaloError, HaloObject, Team};

pub struct TeamResource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamModel {
    pub id: Option<String>,
    pub name: String,
    pub department_id: Option<String>,
    pub inactive: Option<bool>,
}

impl TeamModel {
    pub fn from_halo(t: Team) -> Self {
        TeamModel {
            id: t.id.map(|i| i.to_string()),
            name: t.name.unwrap_or_default(),
            department_id: t.department_id.map(|i| i.to_string()),
            // Halo leaves the flag out (or null) for an active team.
            inactive: Some(t.inactive.unwrap_or(false)),
        }
    }
}

/// Halo fields a refused write may name, and the attributes they come from.
const WRITE_FIELDS: &[Field] = &[
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
impl Resource for TeamResource {
    const TYPE_NAME: &'static str = "halopsa_team";
    type Model = TeamModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "A team of agents (Configuration > Teams & Agents > Teams). Every team belongs \
             to a department; tickets are assigned to teams.",
        )
        .attribute(
            "id",
            Attribute::string()
                .computed()
                .use_state_for_unknown()
                .description("The team's Halo id."),
        )
        .attribute(
            "name",
            Attribute::string()
                .required()
                .validate(Validator::length(1, 255))
                .description(
                    "The team's name (1 to 255 characters). Agents refer to their default \
                     team by this name.",
                ),
        )
        .attribute(
            "department_id",
            Attribute::string()
                .required()
                .validate(Validator::PositiveIntString)
                .description(
                    "The id of the department the team belongs to (e.g. \
                     `halopsa_department.example.id`). A team can move to another \
                     department in place.",
                ),
        )
        .attribute(
            "inactive",
            Attribute::bool().default(Value::Bool(false)).description(
                "Whether the team is inactive (hidden from ticket assignment). Defaults to \
                 `false`.",
            ),
        )
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(super::name_filter_schema("teams").attribute(
            "department_id",
            super::id_filter(
                Validator::PositiveIntString,
                "Only the teams of the department with this Halo id.",
            ),
        ))
    }

    async fn list(
        &self,
        halo: &HaloClient,
        filter: &Value,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        // Halo narrows by department itself (`department_id` [spec]); the filter
        // is applied here all the same.
        let mut query: Vec<(&str, &str)> = Team::LIST_ALL_QUERY.to_vec();
        if let Some(department) = filter.attr("department_id").as_str() {
            query.push(("department_id", department));
        }
        Ok(halo
            .list::<Team>(&query)
            .await?
            .into_iter()
            .map(TeamModel::from_halo)
            .filter(|t| {
                super::name_matches(filter, Some(&t.name))
                    && super::id_matches(filter, "department_id", t.department_id.as_deref())
            })
            .collect())
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let department_id = int_id(plan.department_id.as_deref(), "department_id")?;
        let wanted = Team {
            id: None,
            name: Some(plan.name.clone()),
            department_id: Some(department_id),
            inactive: Some(plan.inactive.unwrap_or(false)),
        };
        let created = halo
            .create(&wanted, |t: &Team| {
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
        state: Self::Model,
    ) -> Result<Option<Self::Model>, Diagnostics> {
        let id = int_id(state.id.as_deref(), "id")?;
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
        let id = int_id(prior.id.as_deref(), "id")?;
        let department_id = int_id(plan.department_id.as_deref(), "department_id")?;
        // The department is sent only when it changes (a move), so that a team
        // whose department was deleted behind Terraform's back can still be edited.
        let moved = prior.department_id != plan.department_id;
        let changed = Team {
            id: Some(id),
            name: Some(plan.name.clone()),
            department_id: moved.then_some(department_id),
            inactive: Some(plan.inactive.unwrap_or(false)),
        };
        match halo.update(&changed).await {
            Ok(t) => Ok(TeamModel::from_halo(t)),
            Err(e) => Err(explain(halo, e, department_id).await.into()),
        }
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        let id = int_id(state.id.as_deref(), "id")?;
        halo.delete::<Team>(id).await?;
        Ok(())
    }
}
