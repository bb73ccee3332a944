//! `halopsa_role_department`: one department membership of a role, an entry of the
//! role's `departments` list (see [`super::membership`]).

use super::membership::{
    department_filter_spec, department_spec, id_spec, level_spec, membership_models,
    parent_filter_spec, parent_spec, MembershipResource, Parent,
};
use crate::framework::Validator;
use crate::halo::Role;

/// The role side of a membership.
pub struct RoleParent;

crate::model! {
    /// The state of one `halopsa_role_department`.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct RoleDepartmentModel {
        id: Option<String> = id_spec::<RoleParent>(),
        role_id: String = parent_spec::<RoleParent>(),
        department_id: String = department_spec(),
        membership_level: String = level_spec(),
    }
}

crate::model! {
    /// The `list` block filters of `halopsa_role_department`.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct RoleDepartmentFilter {
        role_id: Option<String> = parent_filter_spec::<RoleParent>(),
        department_id: Option<String> = department_filter_spec(),
    }
}

membership_models!(RoleDepartmentModel, RoleDepartmentFilter, role_id);

/// The `halopsa_role_department` resource.
pub type RoleDepartmentResource = MembershipResource<RoleParent>;

impl Parent for RoleParent {
    type Model = RoleDepartmentModel;
    type Filter = RoleDepartmentFilter;
    type Object = Role;
    const TYPE_NAME: &'static str = "halopsa_role_department";
    const PARENT_TYPE: &'static str = "halopsa_role";
    const IMPORT_FORM: &'static str = "ROLE_ID/DEPARTMENT_ID";
    const IMPORT_EXAMPLE: &'static str = "1b4e28ba-2fa1-11d2-883f-0016d3cca427/12";
    const DESCRIPTION: &'static str =
        "One department membership of a role: agents holding the role see the department's \
         tickets at the given level. The resource owns only this entry of the role's \
         department list; other memberships of the role (set in Halo or by other resources) \
         are left alone. Creating it for a department the role already has adopts that entry \
         and sets its level to `membership_level`.";
    const PARENT_DESCRIPTION: &'static str =
        "The Halo id (a GUID) of the role (e.g. `halopsa_role.x.id`). Changing it replaces \
         the membership.";
    const ID_DESCRIPTION: &'static str =
        "The membership's id, `ROLE_ID/DEPARTMENT_ID` (also the import id).";

    const LIST_PARENT_DESCRIPTION: &'static str =
        "Only the memberships of the role with this Halo id (a GUID).";

    fn parent_validator() -> Validator {
        Validator::length(1, 255)
    }
}
