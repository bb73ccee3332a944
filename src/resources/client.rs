//! `halopsa_client`: a customer (Halo's "client", `/api/Client`), which sits in one
//! department ("top level"): that is how a customer becomes part of an
//! organisation (guide "API Applications with Organisation access").

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::halo_values::{each_halo_id, halo_id};
use super::object::{write_fields, ListFilter, ListQuery, ObjectResource, ParentRef, Write};
use super::support::{int_id, non_empty, or_cleared, write_error_on, WriteField};
use crate::framework::{Diagnostic, Diagnostics, Validator, Value};
use crate::halo::{Client, Department, HaloClient, HaloError, OrganisationRef};

pub struct ClientResource;

crate::model! {
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ClientModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The client's Halo id."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The client's (customer's) name (1 to 255 characters)."),
        department_id: Option<String> = optional_computed()
            .references("halopsa_department")
            .use_state_for_unknown()
            .validate(halo_id())
            .description(
                "The id of the department (Halo's \"top level\") the client sits in (e.g. \
                 `halopsa_department.example.id`): this makes the customer part of that \
                 department's organisation. A client can move to another department in \
                 place. Left out, Halo's choice is kept and read back.",
            ),
        inactive: bool = optional_computed().default(Value::Bool(false)).description(
            "Whether the client is inactive (hidden from Halo's lists of customers). \
             Defaults to `false`.",
        ),
        notes: Option<String> = optional().description("Free-text notes about the client."),
        organisation_ids: Option<BTreeSet<String>> = optional_computed()
            .references("halopsa_organisation")
            .use_state_for_unknown()
            .validate(each_halo_id())
            .description(
                "The ids of the organisations the customer is configured for (Halo's \
                 `allowed_organisations`, e.g. `[halopsa_organisation.example.id]`): the \
                 explicit link of a customer to the organisations that may see it, which \
                 Halo's guide \"API Applications with Organisation access\" asks to \
                 configure. Set, it is the whole list (an empty set removes every one); \
                 left out, Halo's list is kept and read back.",
            ),
        all_organisations: Option<bool> = optional_computed()
            .use_state_for_unknown()
            .description(
                "Whether every organisation may see the customer (Halo's \
                 `all_organisations_allowed`). Left out, Halo's value is kept and read back.",
            ),
    }
}

crate::model! {
    /// The `list` block filters of `halopsa_client`.
    #[derive(Debug, Clone, Default)]
    pub struct ClientFilter {
        name: Option<String> = optional()
            .description("Only clients whose name contains this text (ignoring case)."),
        department_id: Option<String> = optional()
            .validate(halo_id())
            .description("Only the clients of the department with this Halo id."),
    }
}

impl ClientModel {
    fn from_halo(c: Client) -> Self {
        ClientModel {
            id: c.id.map(|i| i.to_string()),
            name: c.name.unwrap_or_default(),
            department_id: c.toplevel_id.filter(|i| *i > 0).map(|i| i.to_string()),
            // Halo leaves the flag out (or null) for an active client.
            inactive: c.inactive.unwrap_or(false),
            notes: non_empty(c.notes),
            organisation_ids: c
                .allowed_organisations
                .map(|orgs| orgs.iter().map(|o| o.id.to_string()).collect()),
            all_organisations: c.all_organisations_allowed,
        }
    }

    /// The Halo object for a create (`id: None`) or an update; `department_id` is
    /// `None` when it is to be left as Halo has it.
    fn to_halo(&self, id: Option<i64>, department_id: Option<i64>) -> Result<Client, Diagnostic> {
        let allowed_organisations = self
            .organisation_ids
            .as_ref()
            .map(|ids| {
                ids.iter()
                    .map(|o| int_id(Some(o), ClientModel::organisation_ids).map(|id| OrganisationRef { id }))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        Ok(Client {
            id,
            name: Some(self.name.clone()),
            toplevel_id: department_id,
            inactive: Some(self.inactive),
            // A create leaves unset notes out; an update clears them.
            notes: if id.is_some() {
                or_cleared(&self.notes)
            } else {
                self.notes.clone()
            },
            allowed_organisations,
            all_organisations_allowed: self.all_organisations,
        })
    }

    /// The configured department, parsed.
    fn department(&self) -> Result<Option<i64>, Diagnostic> {
        self.department_id
            .as_deref()
            .map(|d| int_id(Some(d), ClientModel::department_id))
            .transpose()
    }
}

/// The parent of a client: its department ("top level"). `/api/Client` filters
/// by it with `toplevel_id` \[spec\].
pub const IN_DEPARTMENT: ParentRef<Client> = ParentRef {
    attribute: ClientModel::department_id,
    param: "toplevel_id",
    of: |c| c.toplevel_id,
};

impl ListFilter<Client> for ClientFilter {
    fn query(&self) -> ListQuery<'_, Client> {
        ListQuery::children(&self.name, &IN_DEPARTMENT, &self.department_id)
    }
}

#[async_trait]
impl ObjectResource for ClientResource {
    const TYPE_NAME: &'static str = "halopsa_client";
    const DESCRIPTION: &'static str =
        "A client: one of the MSP's customers (Customers > Clients). A client sits in a \
         department (Halo's \"top level\"), which ties it to that department's \
         organisation; an API application restricted to an organisation sees its \
         customers.";
    const DETAILS: bool = false;
    const WRITE_FIELDS: &'static [WriteField] = &[
        ("toplevel_id", ClientModel::department_id),
        ("allowed_organisations", ClientModel::organisation_ids),
        ("all_organisations_allowed", ClientModel::all_organisations),
    ];
    type Model = ClientModel;
    type Filter = ClientFilter;
    type Object = Client;

    fn from_halo(c: Client) -> ClientModel {
        ClientModel::from_halo(c)
    }

    /// The department is sent by a create that configures one, and by an update
    /// only when it changes (a move), so that a client whose department was
    /// deleted behind Terraform's back can still be edited.
    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &ClientModel,
        write: &Write<'_, ClientModel, i64>,
    ) -> Result<Client, Diagnostics> {
        let department_id = plan.department()?;
        let moved = write
            .prior()
            .is_none_or(|prior| prior.department_id != plan.department_id);
        Ok(plan.to_halo(write.id(), department_id.filter(|_| moved))?)
    }

    fn same(sent: &Client, found: &Client) -> bool {
        sent.name == found.name
            && sent
                .toplevel_id
                .is_none_or(|d| found.toplevel_id == Some(d))
    }

    /// On `department_id` when that is what Halo refused (or the department does
    /// not exist), else Halo's own message.
    async fn refused(&self, halo: &HaloClient, err: &HaloError, sent: &Client) -> Diagnostic {
        let id = sent.toplevel_id;
        write_error_on::<Department>(halo, err, &write_fields::<Self>(), ClientModel::department_id, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_department_is_halos_top_level_and_notes_clear_on_update() {
        let model = ClientModel {
            id: Some("7".into()),
            name: "Globex".into(),
            department_id: Some("3".into()),
            inactive: true,
            notes: None,
            organisation_ids: Some(["4".to_string()].into()),
            all_organisations: None,
        };
        let created = model.to_halo(None, Some(3)).unwrap();
        assert_eq!(
            created.allowed_organisations,
            Some(vec![OrganisationRef { id: 4 }])
        );
        assert_eq!(
            created.all_organisations_allowed, None,
            "left as Halo has it"
        );
        assert_eq!(created.toplevel_id, Some(3));
        assert_eq!(created.notes, None, "a create leaves unset notes out");
        let updated = model.to_halo(Some(7), None).unwrap();
        assert_eq!(
            updated.toplevel_id, None,
            "no move: the department is left out"
        );
        assert_eq!(updated.notes.as_deref(), Some(""), "an update clears notes");

        let read = ClientModel::from_halo(Client {
            id: Some(7),
            name: Some("Globex".into()),
            toplevel_id: Some(3),
            inactive: None,
            notes: Some(String::new()),
            allowed_organisations: Some(vec![OrganisationRef { id: 2 }]),
            all_organisations_allowed: Some(false),
        });
        assert_eq!(read.organisation_ids, Some(["2".to_string()].into()));
        assert_eq!(read.all_organisations, Some(false));
        assert_eq!(read.department_id.as_deref(), Some("3"));
        assert!(!read.inactive, "an absent flag is an active client");
        assert_eq!(read.notes, None, "empty notes are null");
    }
}
