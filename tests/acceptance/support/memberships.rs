//! Department memberships as Halo holds them: a `departments` list of
//! `{department_id, membershiplevel}` entries on an agent or a role, which
//! `halopsa_agent_department` and `halopsa_role_department` manage one entry at
//! a time.

use serde_json::{json, Value};

use super::{Kind, TestEnv};

/// A new department in Halo (in the seeded organisation 1); answers its id.
pub fn insert_department(env: &TestEnv, name: &str) -> String {
    env.sim_insert(
        Kind::Department,
        json!({"name": name, "organisation_id": 1}),
    )
}

/// A `departments` list holding these (department id, level) entries.
pub fn departments_json(entries: &[(&str, i64)]) -> Value {
    entries
        .iter()
        .map(|(d, level)| json!({"department_id": int(d), "membershiplevel": level}))
        .collect()
}

/// An agent or a role made in Halo by hand (`object`), holding these (department
/// id, level) entries; answers its id.
pub fn insert_member(
    env: &TestEnv,
    kind: Kind,
    mut object: Value,
    entries: &[(&str, i64)],
) -> String {
    object["departments"] = departments_json(entries);
    env.sim_insert(kind, object)
}

/// The department list in Halo of the agent or role `id`, as (department id,
/// level), sorted.
pub fn halo_memberships(env: &TestEnv, kind: Kind, id: &str) -> Vec<(String, i64)> {
    let parent = env
        .sim_object(kind, id)
        .unwrap_or_else(|| panic!("{kind:?} {id} is not in Halo"));
    let mut list: Vec<(String, i64)> = parent["departments"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|m| {
                    let level = m["membershiplevel"].as_i64();
                    let level = level.unwrap_or_else(|| panic!("an entry without a level: {m}"));
                    (m["department_id"].to_string(), level)
                })
                .collect()
        })
        .unwrap_or_default();
    list.sort();
    list
}

/// (department id, level) entries, sorted, to compare with [`halo_memberships`].
pub fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = list.iter().map(|(d, l)| (d.to_string(), *l)).collect();
    v.sort();
    v
}

/// A membership resource `TYPE "m"` whose parent attribute (`role_id`,
/// `agent_id`) is `parent_id`.
pub fn membership_config(
    type_name: &str,
    parent_attr: &str,
    parent_id: &str,
    department_id: &str,
    level: &str,
) -> String {
    format!(
        "resource \"{type_name}\" \"m\" {{\n  {parent_attr:<16} = {}\n  department_id    = {}\n  membership_level = {}\n}}\n",
        json!(parent_id),
        json!(department_id),
        json!(level)
    )
}

/// A config of `type_name "all"`: one membership of `parent_id` for each of
/// `departments`, at `level`.
pub fn memberships_for_each(
    type_name: &str,
    parent_attr: &str,
    parent_id: &str,
    departments: &[String],
    level: &str,
) -> String {
    format!(
        "resource \"{type_name}\" \"all\" {{\n  for_each         = toset({})\n  {parent_attr:<16} = {}\n  department_id    = each.value\n  membership_level = {}\n}}\n",
        json!(departments),
        json!(parent_id),
        json!(level)
    )
}

fn int(id: &str) -> i64 {
    id.parse()
        .unwrap_or_else(|e| panic!("department id {id:?} is not a number: {e}"))
}
