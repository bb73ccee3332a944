//! `halopsa_agent_department`: one department membership of an agent, an entry of
//! the agent's `departments` list (see [`super::membership`]).

use super::halo_values::halo_id;
use super::membership::{
    department_filter_spec, department_spec, id_spec, level_spec, membership_models,
    parent_filter_spec, parent_spec, MembershipResource, Parent,
};
use crate::framework::Validator;
use crate::halo::Agent;

/// The agent side of a membership.
pub struct AgentParent;

crate::model! {
    /// The state of one `halopsa_agent_department`.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct AgentDepartmentModel {
        id: Option<String> = id_spec::<AgentParent>(),
        agent_id: String = parent_spec::<AgentParent>(),
        department_id: String = department_spec(),
        membership_level: String = level_spec(),
    }
}

crate::model! {
    /// The `list` block filters of `halopsa_agent_department`.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct AgentDepartmentFilter {
        agent_id: Option<String> = parent_filter_spec::<AgentParent>(),
        department_id: Option<String> = department_filter_spec(),
    }
}

membership_models!(AgentDepartmentModel, AgentDepartmentFilter, agent_id);

/// The `halopsa_agent_department` resource.
pub type AgentDepartmentResource = MembershipResource<AgentParent>;

impl Parent for AgentParent {
    type Model = AgentDepartmentModel;
    type Filter = AgentDepartmentFilter;
    type Object = Agent;
    const TYPE_NAME: &'static str = "halopsa_agent_department";
    const PARENT_TYPE: &'static str = "halopsa_agent";
    const IMPORT_FORM: &'static str = "AGENT_ID/DEPARTMENT_ID";
    const IMPORT_EXAMPLE: &'static str = "7/12";
    const DESCRIPTION: &'static str =
        "One department membership of an agent: the agent sees the department's tickets at \
         the given level. The resource owns only this entry of the agent's department list; \
         other memberships of the agent (set in Halo or by other resources) are left alone. \
         Creating it for a department the agent already has adopts that entry and sets its \
         level to `membership_level`.";
    const PARENT_DESCRIPTION: &'static str =
        "The Halo id of the agent (e.g. `halopsa_agent.x.id`). Changing it replaces the \
         membership.";
    const ID_DESCRIPTION: &'static str =
        "The membership's id, `AGENT_ID/DEPARTMENT_ID` (also the import id).";

    const LIST_PARENT_DESCRIPTION: &'static str =
        "Only the memberships of the agent with this Halo id.";

    fn parent_validator() -> Validator {
        halo_id()
    }
}
