//! Managed resource types, one file each, the helpers they share (`support`), and
//! the registry: the one table (`types!`) that lists every type once.

pub(crate) mod api_body;
pub(crate) mod halo_values;
pub(crate) mod membership;
mod object;
pub(crate) mod references;
pub(crate) mod support;

// The resources that are one Halo object answer their data sources too.
pub(crate) use agent::AgentResource;
pub(crate) use category::CategoryResource;
pub(crate) use client::{ClientResource, IN_DEPARTMENT as CLIENT_DEPARTMENT};
pub(crate) use custom_field::CustomFieldResource;
pub(crate) use department::{DepartmentResource, IN_ORGANISATION};
pub(crate) use field_group::FieldGroupResource;
pub(crate) use object::{IdOf, ObjectResource, ParentRef, ID};
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
pub(crate) use role::PERMISSIONS;
pub(crate) use sla::TIME_UNITS;
pub(crate) use status::{SLA_ACTIONS, STATUS_TYPES};
pub(crate) use webhook::{AUTHENTICATION_CODES, EVENT_NUMBER_FIELD, METHOD_CODES};

use crate::framework::{AnyDataSource, AnyResource};
use crate::halo::HaloClient;
use object::Object;

/// The registry: each row is one type, written once, and everything the provider
/// serves follows from it. A row names the type's module (a file of this
/// directory, declared here), its resource, and optionally its data source
/// (`lookup` for a [`Lookup`](crate::data_sources::Lookup) of `data_sources`,
/// `data` for another data source) and the Halo object it is, which `doctor`
/// scans and `sweep` deletes (`scan`).
/// From the table come [`all`] (the resources, each offered to `list` blocks too),
/// [`data_sources`], [`scanned`] (doctor's kinds, in table order: when its
/// request budget runs short the last rows are cut, so the most telling come
/// first) and [`swept`] (the same objects, for `sweep`). Counts in tests are
/// those of the table.
macro_rules! types {
    ($(
        $module:ident: $resource:expr
            $(, lookup $lookup:path)?
            $(, data $data:expr)?
            $(, scan $object:ty)?
        ;
    )*) => {
        $( pub(crate) mod $module; )*

        /// Every managed resource type the provider serves.
        pub fn all() -> Vec<Box<dyn AnyResource<HaloClient>>> {
            vec![$( Box::new({ use $module::*; $resource }) ),*]
        }

        /// Every data source type the provider serves.
        #[allow(clippy::vec_init_then_push)]
        pub fn data_sources() -> Vec<Box<dyn AnyDataSource<HaloClient>>> {
            // Generated pushes, one per row that has one: no `vec!` can skip rows.
            #[allow(unused_mut)]
            let mut all: Vec<Box<dyn AnyDataSource<HaloClient>>> = Vec::new();
            $(
                $( all.push(crate::data_sources::LookupDataSource::<$lookup>::boxed()); )?
                $( all.push(Box::new($data)); )?
            )*
            all
        }

        /// The Halo kind behind a resource type (its row's `scan` object), for
        /// checking at plan time that a reference to it names an object Halo has
        /// (see `references`).
        pub(crate) fn referenced(type_name: &str) -> Option<references::Kind> {
            $( $(
                if AnyResource::<HaloClient>::type_name(&{ use $module::*; $resource })
                    == type_name
                {
                    return Some(references::Kind::of::<$object>());
                }
            )? )*
            None
        }

        /// The Halo objects `doctor` lists and reads, most telling first.
        #[allow(clippy::vec_init_then_push)]
        pub fn scanned() -> Vec<crate::doctor::KindSpec> {
            // Generated pushes, one per row that has one: no `vec!` can skip rows.
            #[allow(unused_mut)]
            let mut all = Vec::new();
            $( $( all.push(crate::doctor::KindSpec::of::<$object>()); )? )*
            all
        }

        /// The Halo objects `sweep` lists and deletes: the same rows' objects,
        /// each named by its row (the resource type without `halopsa_`), in
        /// table order (the sweep puts them in its order of deletion).
        #[allow(clippy::vec_init_then_push)]
        pub fn swept() -> Vec<Box<dyn crate::sweep::SweptKind>> {
            // Generated pushes, one per row that has one: no `vec!` can skip rows.
            #[allow(unused_mut)]
            let mut all = Vec::new();
            $( $( all.push(crate::sweep::Of::<$object>::boxed(stringify!($module))); )? )*
            all
        }
    };
}

use crate::data_sources as ds;
use crate::halo;

types! {
    role: Object(RoleResource), lookup ds::role::RoleLookup, scan halo::Role;
    api_application: Object(ApiApplicationResource), scan halo::Application;
    agent: Object(AgentResource), lookup ds::agent::AgentLookup, scan halo::Agent;
    department: Object(DepartmentResource), lookup ds::department::DepartmentLookup,
        scan halo::Department;
    team: Object(TeamResource), lookup ds::team::TeamLookup, scan halo::Team;
    workday: Object(WorkdayResource), lookup ds::workday::WorkdayLookup, scan halo::Workday;
    organisation: Object(OrganisationResource), lookup ds::organisation::OrganisationLookup,
        scan halo::Organisation;
    webhook: Object(WebhookResource), lookup ds::webhook::WebhookLookup, scan halo::Webhook;
    client: Object(ClientResource), lookup ds::client::ClientLookup, scan halo::Client;
    role_department: RoleDepartmentResource::new();
    agent_department: AgentDepartmentResource::new();
    api_object: ApiObjectResource, data ds::api_object::ApiObjectDataSource;
    api_setting: ApiSettingResource;
    status: Object(StatusResource), lookup ds::status::StatusLookup, scan halo::Status;
    outcome: Object(OutcomeResource), lookup ds::outcome::OutcomeLookup, scan halo::Outcome;
    category: Object(CategoryResource), lookup ds::category::CategoryLookup, scan halo::Category;
    sla: Object(SlaResource), lookup ds::sla::SlaLookup, scan halo::Sla;
    custom_field: Object(CustomFieldResource), lookup ds::custom_field::CustomFieldLookup,
        scan halo::CustomField;
    ticket_type: Object(TicketTypeResource), lookup ds::ticket_type::TicketTypeLookup,
        scan halo::TicketType;
    field_group: Object(FieldGroupResource), lookup ds::field_group::FieldGroupLookup,
        scan halo::FieldGroup;
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

    /// A type has one name: a data source or a scanned kind is registered at
    /// most once, and a data source answers with its resource's name.
    #[test]
    fn the_registry_names_each_type_once() {
        let mut names: Vec<_> = super::all().iter().map(|r| r.type_name()).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
        let mut sources: Vec<_> = super::data_sources()
            .iter()
            .map(|d| d.type_name())
            .collect();
        let count = sources.len();
        sources.sort();
        sources.dedup();
        assert_eq!(sources.len(), count);
        for s in &sources {
            assert!(
                names.contains(s),
                "data source {s} has a resource of its name"
            );
        }
        let mut paths: Vec<_> = super::scanned().iter().map(|k| k.path).collect();
        let count = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), count);
    }
}
