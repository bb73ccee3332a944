//! Data source `halopsa_role`: one role looked up by name or id.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::single_match::exactly_one;
use crate::framework::resource::attr_error;
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Validator, Value};
use crate::halo::{HaloClient, Role};
use crate::resources::non_empty;

pub struct RoleDataSource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleDataModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
}

impl RoleDataModel {
    fn from_halo(r: Role) -> Self {
        RoleDataModel {
            id: r.id,
            name: r.name,
            description: non_empty(r.notes),
        }
    }
}

#[async_trait]
impl DataSource for RoleDataSource {
    const TYPE_NAME: &'static str = "halopsa_role";
    type Model = RoleDataModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one agent role by `name` or `id`. No match, or more than one role with \
             the name, is an error.",
        )
        .attribute(
            "id",
            Attribute::string()
                .optional_computed()
                .validate(Validator::length(1, 255))
                .description("The role's Halo id (a GUID). Give this or `name`."),
        )
        .attribute(
            "name",
            Attribute::string()
                .optional_computed()
                .validate(Validator::length(1, 255))
                .description("The role's name, matched exactly. Give this or `id`."),
        )
        .attribute(
            "description",
            Attribute::string()
                .computed()
                .description("The role's description (Halo's notes)."),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if config.attr("id").is_null() && config.attr("name").is_null() {
            diags.push(attr_error(
                "name",
                "Missing role to look up",
                "Give the role's `name` or its `id`.",
            ));
        }
    }

    async fn read(
        &self,
        halo: &HaloClient,
        config: Self::Model,
    ) -> Result<Self::Model, Diagnostics> {
        let id = config
            .id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let found = match (id, config.name.as_deref()) {
            (Some(id), name) => {
                let role = halo
                    .get::<Role>(id.to_owned(), false)
                    .await?
                    .ok_or_else(|| {
                        attr_error("id", "No role found", format!("Halo has no role {id}."))
                    })?;
                if let Some(name) = name {
                    if role.name.as_deref() != Some(name) {
                        return Err(attr_error(
                            "name",
                            "Role name does not match",
                            format!(
                                "Role {id} is named {:?}, not {name:?}.",
                                role.name.unwrap_or_default()
                            ),
                        )
                        .into());
                    }
                }
                role
            }
            (None, Some(name)) => {
                let matches: Vec<Role> = halo
                    .list::<Role>(&[])
                    .await?
                    .into_iter()
                    .filter(|r| r.name.as_deref() == Some(name))
                    .collect();
                exactly_one("role", "name", name, matches, |r| {
                    r.id.clone().unwrap_or_default()
                })?
            }
            (None, None) => {
                return Err(attr_error(
                    "name",
                    "Missing role to look up",
                    "Give the role's `name` or its `id`.",
                )
                .into())
            }
        };
        Ok(RoleDataModel::from_halo(found))
    }
}
