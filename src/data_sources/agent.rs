//! Data source `halopsa_agent`: one agent looked up by username or id. API-only
//! agents are found too.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{find_one, id_attribute, name_attribute, require_id_or_name};
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Value};
use crate::halo::{Agent, HaloClient};
use crate::resources::agent::AgentModel;

pub struct AgentDataSource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentDataModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub surname: Option<String>,
    pub is_api_agent: Option<bool>,
    pub default_team: Option<String>,
    pub workday_id: Option<String>,
    pub is_disabled: Option<bool>,
}

impl From<AgentModel> for AgentDataModel {
    fn from(m: AgentModel) -> Self {
        AgentDataModel {
            id: m.id,
            name: Some(m.name),
            email: m.email,
            first_name: m.first_name,
            surname: m.surname,
            is_api_agent: m.is_api_agent,
            default_team: m.default_team,
            workday_id: m.workday_id,
            is_disabled: m.is_disabled,
        }
    }
}

#[async_trait]
impl DataSource for AgentDataSource {
    const TYPE_NAME: &'static str = "halopsa_agent";
    type Model = AgentDataModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one agent by username (`name`) or `id`; API-only agents are found too. \
             No match, or more than one agent with the name, is an error.",
        )
        .attribute(
            "id",
            id_attribute("The agent's Halo id. Give this or `name`."),
        )
        .attribute(
            "name",
            name_attribute("The agent's username, matched exactly. Give this or `id`."),
        )
        .attribute(
            "email",
            Attribute::string()
                .computed()
                .description("The agent's email address."),
        )
        .attribute(
            "first_name",
            Attribute::string()
                .computed()
                .description("The agent's first name."),
        )
        .attribute(
            "surname",
            Attribute::string()
                .computed()
                .description("The agent's surname."),
        )
        .attribute(
            "is_api_agent",
            Attribute::bool()
                .computed()
                .description("Whether this is an API-only agent."),
        )
        .attribute(
            "default_team",
            Attribute::string()
                .computed()
                .description("The name of the agent's default team."),
        )
        .attribute(
            "workday_id",
            Attribute::string()
                .computed()
                .description("The id of the agent's work hours."),
        )
        .attribute(
            "is_disabled",
            Attribute::bool()
                .computed()
                .description("Whether the agent is disabled."),
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
        let found: Agent = find_one(
            halo,
            Self::TYPE_NAME,
            config.id.as_deref(),
            config.name.as_deref(),
            &[],
            false,
        )
        .await?;
        Ok(AgentModel::from_halo(found, &AgentModel::default()).into())
    }
}
