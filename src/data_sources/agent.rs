//! Data source `halopsa_agent`: one agent, by username or id. API-only and disabled
//! agents are found too.

use super::{Lookup, NoExtra};
use crate::resources::AgentResource;

pub struct AgentLookup;

impl Lookup for AgentLookup {
    const TYPE_NAME: &'static str = "halopsa_agent";
    const DESCRIPTION: &'static str =
        "Looks up one agent by username (`name`) or `id`; API-only agents are found too. \
         No match, or more than one agent with the name, is an error.";
    type Source = AgentResource;
    type Extra = NoExtra;
}
