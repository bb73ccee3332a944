//! `halopsa_department`: a department (Halo's "top level" of the team tree), which
//! belongs to one organisation and holds teams.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{int_id, non_empty, or_cleared, write_error, write_error_checking, Field, Reference};
use crate::framework::{ApplyError, Attribute, Diagnostics, Resource, Schema, Validator, Value};
use crate::halo::{Department, HaloClient, HaloError, HaloObject, Organisation};

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

/// Halo fields a refused write may name, and the attributes they come from.
const WRITE_FIELDS: &[Field] = &[("organisation_id", "organisation_id"), ("name", "name")];

/// The error for a refused create: on `organisation_id` when that is what Halo
/// refused (or the organisation does not exist), else Halo's own message.
async fn explain(halo: &HaloClient, err: HaloError, organisation_id: i64) -> Diagnostics {
    let reference = Reference::<Organisation> {
        attribute: "organisation_id",
        id: organisation_id,
    };
    write_error_checking(halo, &err, WRITE_FIELDS, reference)
        .await
        .into()
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

    fn list_schema(&self) -> Option<Schema> {
        Some(super::name_filter_schema("departments").attribute(
            "organisation_id",
            super::id_filter(
                Validator::PositiveIntString,
                "Only the departments of the organisation with this Halo id.",
            ),
        ))
    }

    async fn list(
        &self,
        halo: &HaloClient,
        filter: &Value,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        // Halo narrows by organisation itself (`org_id` [spec]); the filter is
        // applied here all the same.
        let mut query: Vec<(&str, &str)> = Department::LIST_ALL_QUERY.to_vec();
        if let Some(org) = filter.attr("organisation_id").as_str() {
            query.push(("org_id", org));
        }
        Ok(halo
            .list::<Department>(&query)
            .await?
            .into_iter()
            .map(DepartmentModel::from_halo)
            .filter(|d| {
                super::name_matches(filter, Some(&d.name))
                    && super::id_matches(filter, "organisation_id", d.organisation_id.as_deref())
            })
            .collect())
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
        let saved = halo
            .update(&changed)
            .await
            .map_err(|e| write_error(&e, WRITE_FIELDS))?;
        Ok(DepartmentModel::from_halo(saved))
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        let id = int_id(state.id.as_deref(), "id")?;
        halo.delete::<Department>(id).await?;
        Ok(())
    }
}
