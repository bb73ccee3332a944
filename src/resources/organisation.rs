//! `halopsa_organisation`: an organisation of a multi-tenant Halo instance.

use async_trait::async_trait;

use super::object::{ObjectResource, Write};
use super::support::{non_empty, or_cleared, NameFilter, WriteField};
use crate::framework::{Diagnostics, Validator};
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
    fn from_halo(o: Organisation) -> Self {
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
impl ObjectResource for OrganisationResource {
    const TYPE_NAME: &'static str = "halopsa_organisation";
    const DESCRIPTION: &'static str =
        "An organisation in a multi-tenant Halo instance (Configuration > Advanced Settings > \
         Multi-tenancy). Departments belong to an organisation.";
    const DETAILS: bool = false;
    const WRITE_FIELDS: &'static [WriteField] = &[];
    type Model = OrganisationModel;
    type Filter = NameFilter;
    type Object = Organisation;

    fn from_halo(o: Organisation) -> OrganisationModel {
        OrganisationModel::from_halo(o)
    }

    /// A field left out of the configuration is cleared, since Halo keeps whatever
    /// a POST leaves out.
    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &OrganisationModel,
        write: &Write<'_, OrganisationModel, i64>,
    ) -> Result<Organisation, Diagnostics> {
        Ok(Organisation {
            id: write.id(),
            name: Some(plan.name.clone()),
            email: or_cleared(&plan.email),
            phone: or_cleared(&plan.phone),
            website: or_cleared(&plan.website),
            reply_address: or_cleared(&plan.reply_address),
        })
    }
}
