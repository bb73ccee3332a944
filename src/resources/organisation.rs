//! `halopsa_organisation`: an organisation of a multi-tenant Halo instance.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{int_id, non_empty, or_cleared};
use crate::framework::{ApplyError, Attribute, Diagnostics, Resource, Schema, Validator, Value};
use crate::halo::{HaloClient, Organisation};

pub struct OrganisationResource;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganisationModel {
    pub id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub reply_address: Option<String>,
}

impl OrganisationModel {
    pub fn from_halo(o: Organisation) -> Self {
        OrganisationModel {
            id: o.id.map(|i| i.to_string()),
            name: o.name.unwrap_or_default(),
            email: non_empty(o.email),
            phone: non_empty(o.phone),
            website: non_empty(o.website),
            reply_address: non_empty(o.reply_address),
        }
    }
}

#[async_trait]
impl Resource for OrganisationResource {
    const TYPE_NAME: &'static str = "halopsa_organisation";
    type Model = OrganisationModel;

    fn schema(&self) -> Schema {
        Schema::new(
            "An organisation in a multi-tenant Halo instance (Configuration > Advanced Settings > \
             Multi-tenancy). Departments belong to an organisation.",
        )
        .attribute(
            "id",
            Attribute::string()
                .computed()
                .use_state_for_unknown()
                .description("The organisation's Halo id."),
        )
        .attribute(
            "name",
            Attribute::string()
                .required()
                .validate(Validator::length(1, 255))
                .description("The organisation's name (1 to 255 characters)."),
        )
        .attribute(
            "email",
            Attribute::string().description("The organisation's email address."),
        )
        .attribute(
            "phone",
            Attribute::string().description("The organisation's phone number."),
        )
        .attribute(
            "website",
            Attribute::string().description("The organisation's website."),
        )
        .attribute(
            "reply_address",
            Attribute::string()
                .description("The address replies to this organisation's emails go to."),
        )
    }

    fn list_schema(&self) -> Option<Schema> {
        Some(super::name_filter_schema("organisations"))
    }

    async fn list(
        &self,
        halo: &HaloClient,
        filter: &Value,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        Ok(super::list_named::<Organisation>(halo, filter, false)
            .await?
            .into_iter()
            .map(OrganisationModel::from_halo)
            .collect())
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let wanted = Organisation {
            id: None,
            name: Some(plan.name.clone()),
            email: plan.email,
            phone: plan.phone,
            website: plan.website,
            reply_address: plan.reply_address,
        };
        let created = halo
            .create(&wanted, |o: &Organisation| {
                o.name.as_deref() == Some(plan.name.as_str())
            })
            .await?;
        Ok(OrganisationModel::from_halo(created))
    }

    async fn read(
        &self,
        halo: &HaloClient,
        state: Self::Model,
    ) -> Result<Option<Self::Model>, Diagnostics> {
        let id = int_id(state.id.as_deref(), "id")?;
        Ok(halo
            .read::<Organisation>(id, false)
            .await?
            .map(OrganisationModel::from_halo))
    }

    async fn update(
        &self,
        halo: &HaloClient,
        prior: Self::Model,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let id = int_id(prior.id.as_deref(), "id")?;
        let changed = Organisation {
            id: Some(id),
            name: Some(plan.name.clone()),
            email: or_cleared(&plan.email),
            phone: or_cleared(&plan.phone),
            website: or_cleared(&plan.website),
            reply_address: or_cleared(&plan.reply_address),
        };
        Ok(OrganisationModel::from_halo(halo.update(&changed).await?))
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        let id = int_id(state.id.as_deref(), "id")?;
        halo.delete::<Organisation>(id).await?;
        Ok(())
    }
}
