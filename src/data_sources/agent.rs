//! Data source `halopsa_agent`: one agent, by username or id. API-only and disabled
//! agents are found too.

use super::{Lookup, NoExtra};
use crate::halo::Agent;
use crate::resources::AgentModel;

pub struct AgentLookup;

impl Lookup for AgentLookup {
    const TYPE_NAME: &'static str = "halopsa_agent";
    const DESCRIPTION: &'static str =
        "Looks up one agent by username (`name`) or `id`; API-only agents are found too. \
         No match, or more than one agent with the name, is an error.";
    /// The role set is a detail list.
    const DETAILS: bool = true;
    type Object = Agent;
    type Model = AgentModel;
    type Extra = NoExtra;

    fn model(obj: &Agent) -> AgentModel {
        AgentModel::from_halo(obj.clone(), &AgentModel::default())
    }
}
