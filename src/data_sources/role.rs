//! Data source `halopsa_role`: one role looked up by name or id.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{find_one, name_attribute, require_id_or_name};
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Validator, Value};
use crate::halo::{HaloClient, Role};
use crate::resources::role::RoleModel;

pub struct RoleDataSource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleDataModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
}

impl From<RoleModel> for RoleDataModel {
    fn from(m: RoleModel) -> Self {
        RoleDataModel {
            id: m.id,
            name: Some(m.name),
            description: m.description,
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
            name_attribute("The role's name, matched exactly. Give this or `id`."),
        )
        .attribute(
            "description",
            Attribute::string()
                .computed()
                .description("The role's description (Halo's notes)."),
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
        let found: Role = find_one(
            halo,
            Self::TYPE_NAME,
            config.id.as_deref(),
            config.name.as_deref(),
            &[],
            false,
        )
        .await?;
        Ok(RoleModel::from_halo(found).into())
    }
}
