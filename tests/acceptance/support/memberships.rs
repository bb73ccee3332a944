//! Department memberships as Halo holds them: a `departments` list of
//! `{department_id, membershiplevel}` entries on an agent or a role, which
//! `halopsa_agent_department` and `halopsa_role_department` manage one entry at
//! a time.

use serde_json::{json, Value};

use super::{Action, Kind, TestEnv};

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

/// One kind of membership: its resource type, its parent attribute and the
/// parent's kind in Halo.
pub struct Side {
    pub type_name: &'static str,
    pub parent_attr: &'static str,
    pub kind: Kind,
}

/// Halo's number for a membership level word.
fn level_code(word: &str) -> i64 {
    match word {
        "modify_all" => 0,
        "read_only" => 1,
        other => panic!("no level {other:?} in these tests"),
    }
}

/// A membership's whole life through real Terraform on a parent (`parent_id`)
/// that holds the entry `kept` (department id, level) throughout: created for
/// department `first` at `levels[0]`, changed in place to `levels[1]`, replaced
/// by one for department `second`, imported by block and by command without a
/// write, and destroyed. After each step Halo's list is `kept` and this one
/// entry, the state says the same and a second plan is clean.
pub fn assert_lifecycle(
    env: &TestEnv,
    side: &Side,
    parent_id: &str,
    kept: (&str, i64),
    [first, second]: [&str; 2],
    [level, new_level]: [&str; 2],
) {
    let addr = format!("{}.m", side.type_name);
    let config = |department: &str, level: &str| {
        membership_config(
            side.type_name,
            side.parent_attr,
            parent_id,
            department,
            level,
        )
    };
    let held = |department: &str, level: &str| {
        halo_memberships(env, side.kind, parent_id)
            == pairs(&[kept, (department, level_code(level))])
    };

    let wd = env.applied(&config(first, level));
    assert!(held(first, level), "after the create");
    let state = wd.resource(&addr);
    assert_eq!(state["id"], format!("{parent_id}/{first}"));
    assert_eq!(state[side.parent_attr], parent_id);
    assert_eq!(state["department_id"], first);
    assert_eq!(state["membership_level"], level);
    wd.assert_plan_clean();

    // The level changes in place.
    wd.write_config(&config(first, new_level));
    wd.plan_json().assert_only(&addr, Action::Update);
    wd.apply();
    assert!(held(first, new_level), "after the update");
    wd.assert_plan_clean();

    // Another department replaces the membership.
    wd.write_config(&config(second, new_level));
    wd.plan_json().assert_only(&addr, Action::Replace);
    wd.apply();
    assert!(held(second, new_level), "after the replacement");
    assert_eq!(wd.resource(&addr)["id"], format!("{parent_id}/{second}"));
    wd.assert_plan_clean();

    // Imported into fresh states, by block and by command, without writing.
    let expected = wd.resource(&addr);
    let import_id = format!("{parent_id}/{second}");
    env.assert_imports(
        &config(second, new_level),
        &[(addr.as_str(), &import_id)],
        &addr,
        &expected,
    );

    // Destroy removes only this entry; the parent stays.
    wd.destroy();
    assert_eq!(halo_memberships(env, side.kind, parent_id), pairs(&[kept]));
    assert!(env.sim_object(side.kind, parent_id).is_some());
    assert!(wd.try_resource(&addr).is_none());
}

fn int(id: &str) -> i64 {
    id.parse()
        .unwrap_or_else(|e| panic!("department id {id:?} is not a number: {e}"))
}
