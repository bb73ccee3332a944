//! `halopsa_organisation` data source: one existing organisation, by name or id.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{find_one, id_attribute, name_attribute, require_id_or_name};
use crate::framework::{Attribute, DataSource, Diagnostics, Schema, Value};
use crate::halo::{HaloClient, Organisation};
use crate::resources::organisation::OrganisationModel;

pub struct OrganisationDataSource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganisationDataModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub reply_address: Option<String>,
}

impl From<OrganisationModel> for OrganisationDataModel {
    fn from(m: OrganisationModel) -> Self {
        OrganisationDataModel {
            id: m.id,
            name: Some(m.name),
            email: m.email,
            phone: m.phone,
            website: m.website,
            reply_address: m.reply_address,
        }
    }
}

#[async_trait]
impl DataSource for OrganisationDataSource {
    const TYPE_NAME: &'static str = "halopsa_organisation";
    type Model = OrganisationDataModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "Looks up one existing organisation by `name` (exact, case-sensitive) or `id`; \
             with both, both must match. Finding none or several is an error.",
        )
        .attribute(
            "id",
            id_attribute("The organisation's Halo id: set it to look the organisation up by id."),
        )
        .attribute(
            "name",
            name_attribute(
                "The organisation's name: set it to look the organisation up by name (an \
                 exact, case-sensitive match).",
            ),
        )
        .attribute(
            "email",
            Attribute::string()
                .computed()
                .description("The organisation's email address."),
        )
        .attribute(
            "phone",
            Attribute::string()
                .computed()
                .description("The organisation's phone number."),
        )
        .attribute(
            "website",
            Attribute::string()
                .computed()
                .description("The organisation's website."),
        )
        .attribute(
            "reply_address",
            Attribute::string()
                .computed()
                .description("The address replies to this organisation's emails go to."),
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
        let found: Organisation = find_one(
            halo,
            Self::TYPE_NAME,
            config.id.as_deref(),
            config.name.as_deref(),
            &[],
            false,
        )
        .await?;
        Ok(OrganisationModel::from_halo(found).into())
    }
}
