//! Managed resource types, one file each, and the helpers they share (`support`).

mod agent;
mod agent_department;
mod api_application;
pub(crate) mod api_body;
pub(crate) mod api_object;
mod api_setting;
mod category;
mod client;
mod custom_field;
mod department;
mod field_group;
pub(crate) mod halo_values;
pub(crate) mod membership;
mod object;
mod organisation;
mod outcome;
mod role;
mod role_department;
mod sla;
mod status;
pub(crate) mod support;
mod team;
mod ticket_type;
mod webhook;

// The resources that are one Halo object answer their data sources too.
pub(crate) use agent::AgentResource;
pub(crate) use category::CategoryResource;
pub(crate) use client::{ClientResource, IN_DEPARTMENT as CLIENT_DEPARTMENT};
pub(crate) use custom_field::CustomFieldResource;
pub(crate) use department::{DepartmentResource, IN_ORGANISATION};
pub(crate) use field_group::FieldGroupResource;
pub(crate) use object::{IdOf, ObjectResource, ParentRef};
pub(crate) use organisation::OrganisationResource;
pub(crate) use outcome::OutcomeResource;
pub(crate) use role::{RawClaim, RoleResource};
pub(crate) use sla::SlaResource;
pub(crate) use status::StatusResource;
pub(crate) use team::{TeamResource, IN_DEPARTMENT as TEAM_DEPARTMENT};
pub(crate) use ticket_type::TicketTypeResource;
pub(crate) use webhook::WebhookResource;

// The tables of assumed Halo encodings (docs/halo-api.md), for `doctor` to check a
// live tenant against.
pub(crate) use api_application::{LOGIN_AS_AGENT, METHODS, SCOPES};
pub(crate) use category::{CATEGORY_FIELDS, PATH_SEPARATOR};
pub(crate) use custom_field::FIELD_TYPES;
pub(crate) use membership::{level_to_halo, LEVEL_NAMES};
pub(crate) use role::{OBSOLETE_CLAIMS, PERMISSIONS};
pub(crate) use sla::TIME_UNITS;
pub(crate) use status::{SLA_ACTIONS, STATUS_TYPES};
pub(crate) use webhook::{AUTHENTICATION_CODES, EVENT_NUMBER_FIELD, METHOD_CODES};

use crate::framework::AnyResource;
use crate::halo::HaloClient;
use object::Object;

/// Every managed resource type the provider serves.
pub fn all() -> Vec<Box<dyn AnyResource<HaloClient>>> {
    vec![
        Box::new(Object(organisation::OrganisationResource)),
        Box::new(Object(department::DepartmentResource)),
        Box::new(Object(team::TeamResource)),
        Box::new(Object(agent::AgentResource)),
        Box::new(Object(role::RoleResource)),
        Box::new(role_department::RoleDepartmentResource::new()),
        Box::new(agent_department::AgentDepartmentResource::new()),
        Box::new(Object(api_application::ApiApplicationResource)),
        Box::new(Object(client::ClientResource)),
        Box::new(Object(webhook::WebhookResource)),
        Box::new(Object(status::StatusResource)),
        Box::new(Object(outcome::OutcomeResource)),
        Box::new(Object(category::CategoryResource)),
        Box::new(api_object::ApiObjectResource),
        Box::new(api_setting::ApiSettingResource),
        Box::new(Object(sla::SlaResource)),
        Box::new(Object(ticket_type::TicketTypeResource)),
        Box::new(Object(field_group::FieldGroupResource)),
        Box::new(Object(custom_field::CustomFieldResource)),
    ]
}

#[cfg(test)]
mod tests {
    /// Every model can hold what its schema promises (see `check_model`).
    #[test]
    fn every_model_fits_its_schema() {
        for r in super::all() {
            assert_eq!(r.check_model(), Ok(()), "{}", r.type_name());
        }
    }
}
