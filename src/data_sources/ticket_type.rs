//! Data source `halopsa_ticket_type`: one ticket type, by name or id.

use super::{Lookup, NoExtra};
use crate::resources::TicketTypeResource;

pub struct TicketTypeLookup;

impl Lookup for TicketTypeLookup {
    const TYPE_NAME: &'static str = "halopsa_ticket_type";
    const DESCRIPTION: &'static str =
        "Looks up one ticket type by `name` (exact, case-sensitive) or `id`; with both, \
         both must match. Finding none or several is an error.";
    type Source = TicketTypeResource;
    type Extra = NoExtra;
}
