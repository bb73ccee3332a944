//! `halopsa_department`: a department (Halo's "top level" of the team tree), which
//! belongs to one organisation and holds teams.

use async_trait::async_trait;

use super::halo_values::halo_id;
use super::object::{write_fields, ListFilter, ListQuery, ObjectResource, ParentRef, Write};
use super::support::{int_id, non_empty, or_cleared, write_error_on, WriteField};
use crate::framework::{Diagnostic, Diagnostics, Validator};
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
            .references("halopsa_organisation")
            .requires_replace()
            .validate(halo_id())
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
            .validate(halo_id())
            .description("Only the departments of the organisation with this Halo id."),
    }
}

impl DepartmentModel {
    fn from_halo(d: Department) -> Self {
        DepartmentModel {
            id: d.id.map(|i| i.to_string()),
            name: d.name.unwrap_or_default(),
            organisation_id: d.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
            notes: non_empty(d.notes),
        }
    }
}

/// The parent of a department: its organisation. `/api/TopLevel` filters by it
/// with `org_id` \[spec\].
pub const IN_ORGANISATION: ParentRef<Department> = ParentRef {
    attribute: DepartmentModel::organisation_id,
    param: "org_id",
    of: |d| d.organisation_id,
};

impl ListFilter<Department> for DepartmentFilter {
    fn query(&self) -> ListQuery<'_, Department> {
        ListQuery::children(&self.name, &IN_ORGANISATION, &self.organisation_id)
    }
}

#[async_trait]
impl ObjectResource for DepartmentResource {
    const TYPE_NAME: &'static str = "halopsa_department";
    const DESCRIPTION: &'static str =
        "A department: the top level of Halo's team structure (Configuration > Teams & \
         Agents > Departments). Every department belongs to one organisation; teams \
         belong to a department.";
    const DETAILS: bool = false;
    /// Every Halo field a refusal may name is called like its attribute.
    const WRITE_FIELDS: &'static [WriteField] = &[];
    type Model = DepartmentModel;
    type Filter = DepartmentFilter;
    type Object = Department;

    fn from_halo(d: Department) -> DepartmentModel {
        DepartmentModel::from_halo(d)
    }

    /// A create sends the organisation; an update leaves it out (a new one
    /// replaces the department, so an update never moves it and Halo keeps it).
    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &DepartmentModel,
        write: &Write<'_, DepartmentModel, i64>,
    ) -> Result<Department, Diagnostics> {
        let organisation_id = match write {
            Write::Create => Some(int_id(Some(&plan.organisation_id), DepartmentModel::organisation_id)?),
            Write::Update { .. } => None,
        };
        Ok(Department {
            id: write.id(),
            name: Some(plan.name.clone()),
            organisation_id,
            notes: or_cleared(&plan.notes),
        })
    }

    fn same(sent: &Department, found: &Department) -> bool {
        sent.name == found.name && sent.organisation_id == found.organisation_id
    }

    /// On `organisation_id` when that is what Halo refused (or the organisation
    /// does not exist), else Halo's own message.
    async fn refused(&self, halo: &HaloClient, err: &HaloError, sent: &Department) -> Diagnostic {
        let id = sent.organisation_id;
        write_error_on::<Organisation>(halo, err, &write_fields::<Self>(), DepartmentModel::organisation_id, id).await
    }
}
