//! `halopsa_department` data source: one existing department, by name or id.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{find_one, id_attribute, name_attribute, require_id_or_name, Filter};
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Validator, Value};
use crate::halo::{Department, HaloClient};
use crate::resources::department::DepartmentModel;

pub struct DepartmentDataSource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DepartmentDataModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub organisation_id: Option<String>,
    pub notes: Option<String>,
}

impl From<DepartmentModel> for DepartmentDataModel {
    fn from(m: DepartmentModel) -> Self {
        DepartmentDataModel {
            id: m.id,
            name: Some(m.name),
            organisation_id: m.organisation_id,
            notes: m.notes,
        }
    }
}

#[async_trait]
impl DataSource for DepartmentDataSource {
    const TYPE_NAME: &'static str = "halopsa_department";
    type Model = DepartmentDataModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one existing department by `name` (exact, case-sensitive) or `id`; with \
             both, both must match. `organisation_id` narrows the search to one \
             organisation. Finding none or several is an error.",
        )
        .attribute(
            "id",
            id_attribute("The department's Halo id: set it to look the department up by id."),
        )
        .attribute(
            "name",
            name_attribute(
                "The department's name: set it to look the department up by name (an exact, \
                 case-sensitive match).",
            ),
        )
        .attribute(
            "organisation_id",
            Attribute::string()
                .optional_computed()
                .validate(Validator::PositiveIntString)
                .description(
                    "The id of the organisation the department belongs to. When set, only \
                     that organisation's departments match (to tell apart departments of \
                     the same name).",
                ),
        )
        .attribute(
            "notes",
            Attribute::string()
                .computed()
                .description("Free-text notes about the department."),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        require_id_or_name(Self::TYPE_NAME, config, diags);
    }

    async fn read(
        &self,
        halo: &HaloClient,
        config: Self::Model,
    ) -> Result<Self::Model, Diagnostics> {
        // `org_id` is /api/TopLevel's filter [spec].
        let filters: Vec<_> = Filter::optional_int_id(
            "organisation_id",
            config.organisation_id.as_deref(),
            Some("org_id"),
            |d: &Department| d.organisation_id,
        )?
        .into_iter()
        .collect();
        let found: Department = find_one(
            halo,
            Self::TYPE_NAME,
            config.id.as_deref(),
            config.name.as_deref(),
            &filters,
            false,
        )
        .await?;
        Ok(DepartmentModel::from_halo(found).into())
    }
}
