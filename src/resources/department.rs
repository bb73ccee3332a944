//! `halopsa_department`: a department (Halo's "top level" of the team tree), which
//! belongs to one organisation and holds teams.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{int_id, non_empty, or_cleared, rejected_reference};
use crate::framework::{ApplyError, Attribute, Diagnostics, Resource, Schema, Validator};
use crate::halo::{Department, HaloClient, HaloError, Organisation};

pub struct DepartmentResource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DepartmentModel {
    pub id: Option<String>,
    pub name: String,
    pub organisation_id: Option<String>,
    pub notes: Option<String>,
}

impl DepartmentModel {
    pub fn from_halo(d: Department) -> Self {
        DepartmentModel {
            id: d.id.map(|i| i.to_string()),
            name: d.name.unwrap_or_default(),
            organisation_id: d.organisation_id.map(|i| i.to_string()),
            notes: non_empty(d.notes),
        }
    }
}

/// The error for a refused create or update: on `organisation_id` when that is
/// what Halo refused, else Halo's own message.
async fn explain(halo: &HaloClient, err: HaloError, organisation_id: i64) -> Diagnostics {
    match rejected_reference::<Organisation>(
        halo,
        &err,
        "organisation_id",
        "organisation_id",
        organisation_id,
    )
    .await
    {
        Some(d) => d.into(),
        None => err.into(),
    }
}

#[async_trait]
impl Resource for DepartmentResource {
    const TYPE_NAME: &'static str = "halopsa_department";
    type Model = DepartmentModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "A department: the top level of Halo's team structure (Configuration > Teams & \
             Agents > Departments). Every department belongs to one organisation; teams \
             belong to a department.",
        )
        .attribute(
            "id",
            Attribute::string()
                .computed()
                .use_state_for_unknown()
                .description("The department's Halo id."),
        )
        .attribute(
            "name",
            Attribute::string()
                .required()
                .validate(Validator::length(1, 255))
                .description("The department's name (1 to 255 characters)."),
        )
        .attribute(
            "organisation_id",
            Attribute::string()
                .required()
                .requires_replace()
                .validate(Validator::PositiveIntString)
                .description(
                    "The id of the organisation the department belongs to (e.g. \
                     `halopsa_organisation.example.id`). Changing it replaces the department.",
                ),
        )
        .attribute(
            "notes",
            Attribute::string().description("Free-text notes about the department."),
        )
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let organisation_id = int_id(plan.organisation_id.as_deref(), "organisation_id")?;
        let wanted = Department {
            id: None,
            name: Some(plan.name.clone()),
            organisation_id: Some(organisation_id),
            notes: plan.notes,
        };
        let created = halo
            .create(&wanted, |d: &Department| {
                d.name.as_deref() == Some(plan.name.as_str())
                    && d.organisation_id == Some(organisation_id)
            })
            .await;
        match created {
            Ok(d) => Ok(DepartmentModel::from_halo(d)),
            Err(e) => Err(explain(halo, e, organisation_id).await.into()),
        }
    }

    async fn read(
        &self,
        halo: &HaloClient,
        state: Self::Model,
    ) -> Result<Option<Self::Model>, Diagnostics> {
        let id = int_id(state.id.as_deref(), "id")?;
        Ok(halo
            .read::<Department>(id, false)
            .await?
            .map(DepartmentModel::from_halo))
    }

    async fn update(
        &self,
        halo: &HaloClient,
        prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let id = int_id(prior.id.as_deref(), "id")?;
        // A new organisation_id replaces the department, so an update never moves
        // it: the field is left out and Halo keeps it.
        let changed = Department {
            id: Some(id),
            name: Some(plan.name.clone()),
            organisation_id: None,
            notes: or_cleared(&plan.notes),
        };
        Ok(DepartmentModel::from_halo(halo.update(&changed).await?))
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        let id = int_id(state.id.as_deref(), "id")?;
        halo.delete::<Department>(id).await?;
        Ok(())
    }
}
