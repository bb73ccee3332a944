//! `halopsa_department`: a department (Halo's "top level" of the team tree), which
//! belongs to one organisation and holds teams.

use async_trait::async_trait;

use super::support::{
    int_id, list_children, non_empty, or_cleared, write_error, write_error_checking, Reference,
    WriteField,
};
use crate::framework::{ApplyError, Diagnostics, Resource, Validator};
use crate::halo::{Department, HaloClient, HaloError, Organisation};

pub struct DepartmentResource;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct DepartmentModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The department's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The department's name (1 to 255 characters)."),
        organisation_id: String = required()
            .requires_replace()
            .validate(Validator::PositiveIntString)
            .description(
                "The id of the organisation the department belongs to (e.g. \
                 `halopsa_organisation.example.id`). Changing it replaces the department.",
            ),
        notes: Option<String> = optional().description("Free-text notes about the department."),
    }
}

crate::model! {
    /// The `list` block filters of `halopsa_department`.
    #[derive(Debug, Clone, Default)]
    pub struct DepartmentFilter {
        name: Option<String> = optional()
            .description("Only departments whose name contains this text (ignoring case)."),
        organisation_id: Option<String> = optional()
            .validate(Validator::PositiveIntString)
            .description("Only the departments of the organisation with this Halo id."),
    }
}

impl DepartmentModel {
    pub fn from_halo(d: Department) -> Self {
        DepartmentModel {
            id: d.id.map(|i| i.to_string()),
            name: d.name.unwrap_or_default(),
            organisation_id: d.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
            notes: non_empty(d.notes),
        }
    }

    /// The Halo object for a create (`id: None`, with the organisation) or an
    /// update (the organisation left out: a new one replaces the department, so an
    /// update never moves it and Halo keeps it).
    fn to_halo(&self, id: Option<i64>, organisation_id: i64) -> Department {
        Department {
            id,
            name: Some(self.name.clone()),
            organisation_id: id.is_none().then_some(organisation_id),
            notes: or_cleared(&self.notes),
        }
    }
}

/// Halo fields a refused write may name, and the attributes they come from.
const WRITE_FIELDS: &[WriteField] = &[("organisation_id", "organisation_id"), ("name", "name")];

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
impl Resource<HaloClient> for DepartmentResource {
    const TYPE_NAME: &'static str = "halopsa_department";
    const DESCRIPTION: &'static str =
        "A department: the top level of Halo's team structure (Configuration > Teams & \
         Agents > Departments). Every department belongs to one organisation; teams \
         belong to a department.";
    type Model = DepartmentModel;
    type Filter = DepartmentFilter;
    type Key = i64;

    super::support::keyed_by_id!(i64, super::support::int_id);

    async fn list(
        &self,
        halo: &HaloClient,
        filter: DepartmentFilter,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        // Halo narrows by the parent itself (`org_id` [spec]); the filter
        // is applied here all the same.
        Ok(list_children::<Department>(
            halo,
            "org_id",
            filter.organisation_id.as_deref(),
            |o| o.organisation_id,
            filter.name.as_deref(),
        )
        .await?
        .into_iter()
        .map(DepartmentModel::from_halo)
        .collect())
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let organisation_id = int_id(Some(&plan.organisation_id), "organisation_id")?;
        let created = halo
            .create(&plan.to_halo(None, organisation_id), |d: &Department| {
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
        id: i64,
        _prior: Option<&Self::Model>,
    ) -> Result<Option<Self::Model>, Diagnostics> {
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
        let id = Self::key(&prior)?;
        let organisation_id = int_id(Some(&prior.organisation_id), "organisation_id")?;
        let saved = halo
            .update(&plan.to_halo(Some(id), organisation_id))
            .await
            .map_err(|e| write_error(&e, WRITE_FIELDS))?;
        Ok(DepartmentModel::from_halo(saved))
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        halo.delete::<Department>(Self::key(&state)?).await?;
        Ok(())
    }
}
