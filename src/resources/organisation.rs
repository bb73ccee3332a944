//! `halopsa_organisation`: an organisation of a multi-tenant Halo instance.

use async_trait::async_trait;

use super::support::{list_named, non_empty, or_cleared, NameFilter};
use crate::framework::{ApplyError, Diagnostics, Resource, Validator};
use crate::halo::{HaloClient, Organisation};

pub struct OrganisationResource;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct OrganisationModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The organisation's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The organisation's name (1 to 255 characters)."),
        email: Option<String> = optional().description("The organisation's email address."),
        phone: Option<String> = optional().description("The organisation's phone number."),
        website: Option<String> = optional().description("The organisation's website."),
        reply_address: Option<String> = optional()
            .description("The address replies to this organisation's emails go to."),
    }
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

    /// The Halo object for a create (`id: None`) or an update: a field left out of
    /// the configuration is cleared, since Halo keeps whatever a POST leaves out.
    fn to_halo(&self, id: Option<i64>) -> Organisation {
        Organisation {
            id,
            name: Some(self.name.clone()),
            email: or_cleared(&self.email),
            phone: or_cleared(&self.phone),
            website: or_cleared(&self.website),
            reply_address: or_cleared(&self.reply_address),
        }
    }
}

#[async_trait]
impl Resource<HaloClient> for OrganisationResource {
    const TYPE_NAME: &'static str = "halopsa_organisation";
    const DESCRIPTION: &'static str =
        "An organisation in a multi-tenant Halo instance (Configuration > Advanced Settings > \
         Multi-tenancy). Departments belong to an organisation.";
    type Model = OrganisationModel;
    type Filter = NameFilter;
    type Key = i64;

    super::support::keyed_by_id!(i64, super::support::int_id);

    async fn list(
        &self,
        halo: &HaloClient,
        filter: NameFilter,
    ) -> Result<Vec<Self::Model>, Diagnostics> {
        Ok(
            list_named::<Organisation>(halo, filter.name.as_deref(), false)
                .await?
                .into_iter()
                .map(OrganisationModel::from_halo)
                .collect(),
        )
    }

    async fn create(
        &self,
        halo: &HaloClient,
        plan: Self::Model,
    ) -> Result<Self::Model, ApplyError<Self::Model>> {
        let created = halo
            .create(&plan.to_halo(None), |o: &Organisation| {
                o.name.as_deref() == Some(plan.name.as_str())
            })
            .await?;
        Ok(OrganisationModel::from_halo(created))
    }

    async fn read(
        &self,
        halo: &HaloClient,
        id: i64,
        _prior: Option<&Self::Model>,
    ) -> Result<Option<Self::Model>, Diagnostics> {
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
        let id = Self::key(&prior)?;
        let updated = halo.update(&plan.to_halo(Some(id))).await?;
        Ok(OrganisationModel::from_halo(updated))
    }

    async fn delete(&self, halo: &HaloClient, state: Self::Model) -> Result<(), Diagnostics> {
        halo.delete::<Organisation>(Self::key(&state)?).await?;
        Ok(())
    }
}
