//! Acceptance tests of `halopsa_agent_department`: real Terraform, the provider under
//! test and halo-sim. Arguments (docs/resources/agent_department.md): `agent_id` R F, `department_id` R F,
//! `membership_level` R (`modify_all`, `read_only`); import id
//! `AGENT_ID/DEPARTMENT_ID`. Agents are made out of band (`env.sim.insert`). The
//! machinery is shared with `halopsa_role_department` (role_department.rs
//! covers it in depth, including parallel applies on one parent).

use crate::support::memberships::{
    self, insert_department, insert_member, memberships_for_each, pairs,
};
use crate::support::{Action, Kind, TestEnv, Workdir};
use serde_json::json;

const TYPE: &str = "halopsa_agent_department";
const SIDE: memberships::Side = memberships::Side {
    type_name: TYPE,
    parent_attr: "agent_id",
    kind: Kind::Agent,
};
const ADDR: &str = "halopsa_agent_department.m";
const AGENTS_PATH: &str = "/api/Agent";

fn department(env: &TestEnv, name: &str) -> String {
    insert_department(env, name)
}

/// An agent made in Halo by hand, already holding `departments` (id, level) entries.
fn agent(env: &TestEnv, name: &str, departments: &[(&str, i64)]) -> String {
    insert_member(
        env,
        Kind::Agent,
        json!({"name": name, "isapiagent": false, "isdisabled": false, "roles": []}),
        departments,
    )
}

/// The agent's department list in Halo as (department id, level), sorted.
fn halo_memberships(env: &TestEnv, agent_id: &str) -> Vec<(String, i64)> {
    memberships::halo_memberships(env, Kind::Agent, agent_id)
}

fn membership_config(agent_id: &str, department_id: &str, level: &str) -> String {
    memberships::membership_config(TYPE, "agent_id", agent_id, department_id, level)
}

fn apply_membership(env: &TestEnv, agent_id: &str, department_id: &str, level: &str) -> Workdir {
    env.applied(&membership_config(agent_id, department_id, level))
}

#[test]
fn create_update_replace_import_and_destroy() {
    let env = TestEnv::new();
    let d0 = department(&env, "Kept");
    let d1 = department(&env, "Networks");
    let d2 = department(&env, "Projects");
    let agent_id = agent(&env, "jo", &[(&d0, 1)]);
    memberships::assert_lifecycle(
        &env,
        &SIDE,
        &agent_id,
        (&d0, 1),
        [&d1, &d2],
        ["modify_all", "read_only"],
    );
}

#[test]
fn several_memberships_of_one_agent_applied_in_parallel_all_land() {
    let env = TestEnv::new();
    let agent_id = agent(&env, "jo", &[]);
    let departments: Vec<String> = (1..=8)
        .map(|i| department(&env, &format!("Department {i}")))
        .collect();
    env.sim.set_latency(std::time::Duration::from_millis(20));
    let wd = env.workdir();
    wd.write_config(&memberships_for_each(
        TYPE,
        "agent_id",
        &agent_id,
        &departments,
        "read_only",
    ));
    wd.apply_with(&["-parallelism=10"]);
    let expected: Vec<(&str, i64)> = departments.iter().map(|d| (d.as_str(), 1)).collect();
    assert_eq!(halo_memberships(&env, &agent_id), pairs(&expected));
    wd.assert_plan_clean();
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let d1 = department(&env, "Networks");
    let agent_id = agent(&env, "jo", &[]);
    let wd = apply_membership(&env, &agent_id, &d1, "read_only");

    // Entry removed by hand: planned for re-creation.
    assert!(env
        .sim
        .patch(Kind::Agent, &agent_id, json!({"departments": []})));
    wd.plan_json().assert_only(ADDR, Action::Create);
    wd.apply();
    assert_eq!(halo_memberships(&env, &agent_id), pairs(&[(&d1, 1)]));
    wd.assert_plan_clean();

    // Agent deleted by hand: the membership is gone; destroying is fine.
    assert!(env.sim.remove(Kind::Agent, &agent_id));
    assert_eq!(wd.plan_exit_code(), 2);
    wd.destroy();
}

#[test]
fn bad_values_and_malformed_import_ids_are_rejected() {
    let env = TestEnv::new();
    let d1 = department(&env, "Networks");
    let agent_id = agent(&env, "jo", &[]);

    for (config, attr) in [
        (membership_config("abc", &d1, "read_only"), "agent_id"),
        (
            membership_config(&agent_id, "0", "read_only"),
            "department_id",
        ),
        (
            membership_config(&agent_id, &d1, "everything"),
            "membership_level",
        ),
    ] {
        let wd = env.workdir();
        wd.write_config(&config);
        let err = wd.plan_err();
        assert!(
            err.contains(&format!("Invalid value for {attr}")),
            "expected a plan error naming {attr}:\n{err}"
        );
    }

    // An agent that does not exist: named, nothing written.
    let wd = env.workdir();
    wd.write_config(&membership_config("987654", &d1, "read_only"));
    let err = wd.apply_err();
    assert!(
        err.contains("agent_id") && err.contains("does not exist"),
        "expected an error naming agent_id:\n{err}"
    );

    let wd = env.workdir();
    wd.write_config(&membership_config(&agent_id, &d1, "read_only"));
    wd.assert_import_ids_rejected(
        ADDR,
        &["7", "/3", "7/", "x/3", "7/y"],
        "AGENT_ID/DEPARTMENT_ID",
    );
    assert_eq!(env.request_count("POST", AGENTS_PATH), 0);
    assert!(halo_memberships(&env, &agent_id).is_empty());
}
