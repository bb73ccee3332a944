//! Data source `halopsa_agent`: one agent looked up by username or id. API-only
//! agents are found too.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::single_match::exactly_one;
use crate::framework::resource::attr_error;
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Validator, Value};
use crate::halo::{Agent, HaloClient, HaloObject};
use crate::resources::{int_id, non_empty};

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

impl AgentDataModel {
    fn from_halo(a: Agent) -> Self {
        AgentDataModel {
            id: a.id.map(|i| i.to_string()),
            name: a.name,
            email: non_empty(a.email),
            first_name: non_empty(a.firstname),
            surname: non_empty(a.surname),
            is_api_agent: Some(a.isapiagent.unwrap_or(false)),
            default_team: non_empty(a.team),
            workday_id: a.workday_id.filter(|w| *w > 0).map(|w| w.to_string()),
            is_disabled: Some(a.isdisabled.unwrap_or(false)),
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
            Attribute::string()
                .optional_computed()
                .validate(Validator::PositiveIntString)
                .description("The agent's Halo id. Give this or `name`."),
        )
        .attribute(
            "name",
            Attribute::string()
                .optional_computed()
                .validate(Validator::length(1, 255))
                .description("The agent's username, matched exactly. Give this or `id`."),
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
        if config.attr("id").is_null() && config.attr("name").is_null() {
            diags.push(attr_error(
                "name",
                "Missing agent to look up",
                "Give the agent's username (`name`) or its `id`.",
            ));
        }
    }

    async fn read(
        &self,
        halo: &HaloClient,
        config: Self::Model,
    ) -> Result<Self::Model, Diagnostics> {
        let found = match (config.id.as_deref(), config.name.as_deref()) {
            (Some(raw), name) => {
                let id = int_id(Some(raw), "id")?;
                let agent = halo.get::<Agent>(id, false).await?.ok_or_else(|| {
                    attr_error("id", "No agent found", format!("Halo has no agent {id}."))
                })?;
                if let Some(name) = name {
                    if agent.name.as_deref() != Some(name) {
                        return Err(attr_error(
                            "name",
                            "Agent name does not match",
                            format!(
                                "Agent {id} is named {:?}, not {name:?}.",
                                agent.name.unwrap_or_default()
                            ),
                        )
                        .into());
                    }
                }
                agent
            }
            (None, Some(name)) => {
                let matches: Vec<Agent> = halo
                    .list::<Agent>(Agent::LIST_ALL_QUERY)
                    .await?
                    .into_iter()
                    .filter(|a| a.name.as_deref() == Some(name))
                    .collect();
                exactly_one("agent", "name", name, matches, |a| {
                    a.id.map(|i| i.to_string()).unwrap_or_default()
                })?
            }
            (None, None) => {
                return Err(attr_error(
                    "name",
                    "Missing agent to look up",
                    "Give the agent's username (`name`) or its `id`.",
                )
                .into())
            }
        };
        Ok(AgentDataModel::from_halo(found))
    }
}
