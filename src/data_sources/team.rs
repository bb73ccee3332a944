//! `halopsa_team` data source: one existing team, by name or id.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{find_one, id_attribute, name_attribute, require_id_or_name, Filter};
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Validator, Value};
use crate::halo::{HaloClient, Team};
use crate::resources::team::TeamModel;

pub struct TeamDataSource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamDataModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub department_id: Option<String>,
    pub inactive: Option<bool>,
}

impl From<TeamModel> for TeamDataModel {
    fn from(m: TeamModel) -> Self {
        TeamDataModel {
            id: m.id,
            name: Some(m.name),
            department_id: m.department_id,
            inactive: m.inactive,
        }
    }
}

#[async_trait]
impl DataSource for TeamDataSource {
    const TYPE_NAME: &'static str = "halopsa_team";
    type Model = TeamDataModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one existing team (active or not) by `name` (exact, case-sensitive) or \
             `id`; with both, both must match. `department_id` narrows the search to one \
             department. Finding none or several is an error.",
        )
        .attribute(
            "id",
            id_attribute("The team's Halo id: set it to look the team up by id."),
        )
        .attribute(
            "name",
            name_attribute(
                "The team's name: set it to look the team up by name (an exact, \
                 case-sensitive match).",
            ),
        )
        .attribute(
            "department_id",
            Attribute::string()
                .optional_computed()
                .validate(Validator::PositiveIntString)
                .description(
                    "The id of the department the team belongs to. When set, only that \
                     department's teams match (to tell apart teams of the same name).",
                ),
        )
        .attribute(
            "inactive",
            Attribute::bool()
                .computed()
                .description("Whether the team is inactive."),
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
        // `department_id` is /api/Team's filter [spec].
        let filters: Vec<_> = Filter::optional_int_id(
            "department_id",
            config.department_id.as_deref(),
            Some("department_id"),
            |t: &Team| t.department_id,
        )?
        .into_iter()
        .collect();
        let found: Team = find_one(
            halo,
            Self::TYPE_NAME,
            config.id.as_deref(),
            config.name.as_deref(),
            &filters,
            false,
        )
        .await?;
        Ok(TeamModel::from_halo(found).into())
    }
}
