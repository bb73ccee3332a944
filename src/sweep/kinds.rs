//! The kinds `sweep` lists and deletes: one per registry row that is one Halo
//! object (`resources::swept`, the rows doctor scans), each listed and deleted
//! the same way through its model ([`Of`]). What is particular stays here and
//! explicit: the order of deletion ([`ORDER`]) and the department memberships
//! agents and roles carry ([`Carried`]).

use std::marker::PhantomData;
use std::str::FromStr;

use async_trait::async_trait;

use crate::halo::{
    Agent, Application, Category, Client, CustomField, Department, FieldGroup, HaloClient,
    HaloError, Organisation, Outcome, Role, Sla, Status, Team, TicketType, Webhook, Workday,
};
use crate::resources::support::Named;

use super::Found;

/// The order of deletion, children before parents: an object goes before what
/// it refers to, so that Halo never holds a reference to a deleted object.
/// Every kind of the registry has its place here (a unit test says so); one that
/// has none is swept first, as a kind added later can refer to those listed, not
/// they to it.
pub const ORDER: &[&str] = &[
    // Logs in as an agent.
    "api_application",
    "webhook",
    // Allows statuses, SLAs and teams.
    "ticket_type",
    // Holds custom fields.
    "field_group",
    "custom_field",
    // Works to work hours.
    "sla",
    // Moves tickets to a status.
    "outcome",
    "status",
    "category",
    "workday",
    // In a department.
    "client",
    "team",
    // Agents and roles take their department memberships with them.
    "agent",
    "role",
    // In an organisation.
    "department",
    "organisation",
];

/// What a Halo object carries that goes with it when it is deleted, for the
/// report: its department memberships (agents and roles), none for the rest.
pub trait Carried: Named {
    fn memberships(&self) -> usize {
        0
    }
}

impl Carried for Application {}
impl Carried for Webhook {}
impl Carried for TicketType {}
impl Carried for FieldGroup {}
impl Carried for CustomField {}
impl Carried for Sla {}
impl Carried for Outcome {}
impl Carried for Status {}
impl Carried for Category {}
impl Carried for Workday {}
impl Carried for Client {}
impl Carried for Team {}
impl Carried for Department {}
impl Carried for Organisation {}

/// An agent's own memberships: those the list shows without a role (the ones
/// with a role come from the role's and go with it).
impl Carried for Agent {
    fn memberships(&self) -> usize {
        self.departments
            .iter()
            .flatten()
            .filter(|m| m.role_id.as_deref().is_none_or(|r| r.trim().is_empty()))
            .count()
    }
}

impl Carried for Role {
    fn memberships(&self) -> usize {
        self.departments.as_ref().map_or(0, Vec::len)
    }
}

/// One kind the sweep handles.
#[async_trait]
pub trait SweptKind: Send + Sync {
    /// The registry's name of it: the resource type without `halopsa_`.
    fn kind(&self) -> &'static str;

    /// Its path below `/api`.
    fn path(&self) -> &'static str;

    /// The objects whose name starts with `prefix` (every page, hidden ones
    /// included: `list_all`). Objects without an id or a name are left out.
    async fn found(&self, client: &HaloClient, prefix: &str) -> Result<Vec<Found>, HaloError>;

    /// Deletes the object with this id (one `found` answered).
    async fn delete(&self, client: &HaloClient, id: &str) -> Result<(), HaloError>;
}

/// The kind of the Halo object `T`, named `kind` in the registry.
pub struct Of<T> {
    kind: &'static str,
    object: PhantomData<fn() -> T>,
}

impl<T> Of<T> {
    pub fn boxed(kind: &'static str) -> Box<dyn SweptKind>
    where
        Of<T>: SweptKind + 'static,
    {
        Box::new(Of::<T> {
            kind,
            object: PhantomData,
        })
    }
}

#[async_trait]
impl<T> SweptKind for Of<T>
where
    T: Carried,
    T::Id: FromStr,
{
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn path(&self) -> &'static str {
        T::PATH
    }

    async fn found(&self, client: &HaloClient, prefix: &str) -> Result<Vec<Found>, HaloError> {
        let all = client.list_all::<T>(false).await?;
        Ok(all
            .iter()
            .filter_map(|object| {
                let id = object.id()?.to_string();
                let name = object.name()?;
                name.starts_with(prefix).then(|| Found {
                    kind: self.kind,
                    id,
                    name: name.to_owned(),
                    memberships: object.memberships(),
                    deleted: false,
                    error: None,
                })
            })
            .collect())
    }

    async fn delete(&self, client: &HaloClient, id: &str) -> Result<(), HaloError> {
        let parsed = id.parse::<T::Id>().map_err(|_| {
            HaloError::InvalidArgument(format!(
                "{} id {id:?} is not an id of /api/{}",
                self.kind,
                self.path()
            ))
        })?;
        client.delete::<T>(parsed).await
    }
}

/// The registry's kinds in the order of deletion ([`ORDER`]; a kind it does not
/// name first).
pub fn ordered(mut kinds: Vec<Box<dyn SweptKind>>) -> Vec<Box<dyn SweptKind>> {
    kinds.sort_by_key(|k| {
        ORDER
            .iter()
            .position(|o| *o == k.kind())
            .map_or(0, |p| p + 1)
    });
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_kind_has_one_place_in_the_order() {
        let mut registered: Vec<&str> =
            crate::resources::swept().iter().map(|k| k.kind()).collect();
        registered.sort_unstable();
        let mut order = ORDER.to_vec();
        order.sort_unstable();
        assert_eq!(registered, order);
    }

    #[test]
    fn the_kinds_are_deleted_in_the_order_of_the_table() {
        let kinds: Vec<&str> = ordered(crate::resources::swept())
            .iter()
            .map(|k| k.kind())
            .collect();
        assert_eq!(kinds, ORDER);
    }
}
