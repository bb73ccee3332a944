//! Acceptance tests of `halopsa_role_department`: real Terraform, the provider under
//! test and halo-sim. Arguments (docs/resources/role_department.md): `role_id` R F, `department_id` R F,
//! `membership_level` R (`modify_all`, `read_only`); import id
//! `ROLE_ID/DEPARTMENT_ID`. Roles are made out of band (`env.sim.insert`).

use crate::support::memberships::{
    self, departments_json, insert_department, insert_member, pairs,
};
use crate::support::{Action, Kind, TestEnv, Workdir};
use serde_json::json;

const TYPE: &str = "halopsa_role_department";
const SIDE: memberships::Side = memberships::Side {
    type_name: TYPE,
    parent_attr: "role_id",
    kind: Kind::Role,
};
const ADDR: &str = "halopsa_role_department.m";
const ROLES_PATH: &str = "/api/Roles";

fn department(env: &TestEnv, name: &str) -> String {
    insert_department(env, name)
}

/// The seeded "Service Desk" department's id.
fn service_desk(env: &TestEnv) -> String {
    env.sim_id_named(Kind::Department, "Service Desk")
}

/// A role made in Halo by hand, already holding `departments` (id, level) entries.
fn role(env: &TestEnv, name: &str, departments: &[(&str, i64)]) -> String {
    insert_member(
        env,
        Kind::Role,
        json!({"name": name, "claims": []}),
        departments,
    )
}

/// The role's department list in Halo as (department id, level), sorted.
fn halo_memberships(env: &TestEnv, role_id: &str) -> Vec<(String, i64)> {
    memberships::halo_memberships(env, Kind::Role, role_id)
}

fn membership_config(role_id: &str, department_id: &str, level: &str) -> String {
    memberships::membership_config(TYPE, "role_id", role_id, department_id, level)
}

fn apply_membership(env: &TestEnv, role_id: &str, department_id: &str, level: &str) -> Workdir {
    env.applied(&membership_config(role_id, department_id, level))
}

#[test]
fn create_update_replace_and_destroy_leave_other_entries_alone() {
    let env = TestEnv::new();
    let desk = service_desk(&env);
    let d1 = department(&env, "Networks");
    let d2 = department(&env, "Projects");
    let role_id = role(&env, "Engineers", &[(&desk, 0)]);
    memberships::assert_lifecycle(
        &env,
        &SIDE,
        &role_id,
        (&desk, 0),
        [&d1, &d2],
        ["read_only", "modify_all"],
    );
}

#[test]
fn twenty_memberships_on_one_role_applied_in_parallel_all_land() {
    let env = TestEnv::new();
    let desk = service_desk(&env);
    let role_id = role(&env, "Everything", &[(&desk, 1)]);
    let departments: Vec<String> = (1..=20)
        .map(|i| department(&env, &format!("Department {i}")))
        .collect();
    // Slow answers widen the window in which unserialised writes would collide.
    env.sim.set_latency(std::time::Duration::from_millis(20));

    let wd = env.workdir();
    wd.write_config(&memberships::memberships_for_each(
        TYPE,
        "role_id",
        &role_id,
        &departments,
        "modify_all",
    ));
    wd.apply_with(&["-parallelism=10"]);

    let mut expected: Vec<(&str, i64)> = departments.iter().map(|d| (d.as_str(), 0)).collect();
    expected.push((&desk, 1));
    assert_eq!(halo_memberships(&env, &role_id), pairs(&expected));
    wd.assert_plan_clean();

    wd.destroy_with(&["-parallelism=10"]);
    assert_eq!(halo_memberships(&env, &role_id), pairs(&[(&desk, 1)]));
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let d1 = department(&env, "Networks");
    let role_id = role(&env, "Engineers", &[]);
    let created = apply_membership(&env, &role_id, &d1, "read_only");
    let expected = created.resource(ADDR);
    let import_id = format!("{role_id}/{d1}");
    let config = membership_config(&role_id, &d1, "read_only");
    env.assert_imports(&config, &[(ADDR, &import_id)], ADDR, &expected);

    // A membership that does not exist cannot be imported.
    let d2 = department(&env, "Projects");
    env.assert_import_fails(
        &membership_config(&role_id, &d2, "read_only"),
        ADDR,
        &format!("{role_id}/{d2}"),
    );
}

#[test]
fn malformed_import_ids_show_the_expected_form() {
    let env = TestEnv::new();
    let role_id = role(&env, "Engineers", &[]);
    let wd = env.workdir();
    wd.write_config(&membership_config(&role_id, "1", "read_only"));
    let bad = [
        "no-slash".to_string(),
        "/1".to_string(),
        format!("{role_id}/"),
        format!("{role_id}/abc"),
        format!("{role_id}/0"),
    ];
    wd.assert_import_ids_rejected(ADDR, &bad, "ROLE_ID/DEPARTMENT_ID");
    assert_eq!(env.request_count("POST", ROLES_PATH), 0);
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let desk = service_desk(&env);
    let d1 = department(&env, "Networks");
    let role_id = role(&env, "Engineers", &[(&desk, 0)]);
    let wd = apply_membership(&env, &role_id, &d1, "read_only");

    // The level changed by hand: set back in place.
    assert!(env.sim.patch(
        Kind::Role,
        &role_id,
        json!({"departments": departments_json(&[(&desk, 0), (&d1, 0)])})
    ));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(
        plan.before_after(ADDR, "membership_level"),
        (&json!("modify_all"), &json!("read_only")),
        "expected the level to be set back"
    );
    wd.apply();
    assert_eq!(
        halo_memberships(&env, &role_id),
        pairs(&[(&desk, 0), (&d1, 1)])
    );
    wd.assert_plan_clean();

    // The entry removed by hand: planned for re-creation.
    assert!(env.sim.patch(
        Kind::Role,
        &role_id,
        json!({"departments": departments_json(&[(&desk, 0)])})
    ));
    wd.plan_json().assert_only(ADDR, Action::Create);
    wd.apply();
    assert_eq!(
        halo_memberships(&env, &role_id),
        pairs(&[(&desk, 0), (&d1, 1)])
    );
    wd.assert_plan_clean();

    // The role deleted by hand: the membership is gone too, and re-creating it
    // fails with an error naming role_id.
    assert!(env.sim.remove(Kind::Role, &role_id));
    wd.plan_json().assert_only(ADDR, Action::Create);
    let err = wd.apply_err();
    assert!(
        err.contains("role_id") && err.contains("does not exist"),
        "expected an error naming role_id:\n{err}"
    );
}

#[test]
fn an_existing_entry_is_adopted_or_set_to_the_configured_level() {
    let env = TestEnv::new();
    let d1 = department(&env, "Networks");
    let d2 = department(&env, "Projects");
    let role_id = role(&env, "Engineers", &[(&d1, 1), (&d2, 1)]);

    // Same level: adopted without a write.
    let posts = env.request_count("POST", ROLES_PATH);
    let wd = apply_membership(&env, &role_id, &d1, "read_only");
    assert_eq!(env.request_count("POST", ROLES_PATH), posts);
    wd.assert_plan_clean();

    // Another level: set to the configured one.
    let other = apply_membership(&env, &role_id, &d2, "modify_all");
    assert_eq!(
        halo_memberships(&env, &role_id),
        pairs(&[(&d1, 1), (&d2, 0)])
    );
    other.assert_plan_clean();
}

#[test]
fn bad_values_are_rejected_naming_the_attribute_and_nothing_is_written() {
    let env = TestEnv::new();
    let d1 = department(&env, "Networks");
    let role_id = role(&env, "Engineers", &[]);

    // Rejected at plan.
    for (config, attr) in [
        (
            membership_config(&role_id, &d1, "admin"),
            "membership_level",
        ),
        (
            membership_config(&role_id, "abc", "read_only"),
            "department_id",
        ),
        (membership_config("", &d1, "read_only"), "role_id"),
    ] {
        let wd = env.workdir();
        wd.write_config(&config);
        let err = wd.plan_err();
        assert!(
            err.contains(&format!("Invalid value for {attr}")),
            "expected a plan error naming {attr}:\n{err}"
        );
    }

    // Rejected at plan (the reference check): a department or a role that does not exist.
    for (config, attr) in [
        (
            membership_config(&role_id, "987654", "read_only"),
            "department_id",
        ),
        (
            membership_config("00000000-1111-2222-3333-444444444444", &d1, "read_only"),
            "role_id",
        ),
    ] {
        let wd = env.workdir();
        wd.write_config(&config);
        let err = wd.apply_err();
        assert!(
            err.contains(&format!("with {ADDR}")) && err.contains(attr),
            "expected an apply error naming {attr}:\n{err}"
        );
        assert!(wd.try_resource(ADDR).is_none());
    }
    assert!(halo_memberships(&env, &role_id).is_empty());
    assert_eq!(
        env.request_count("POST", ROLES_PATH),
        0,
        "the missing department and role fail at plan: no write reaches Halo:\n{}",
        env.journal_summary()
    );
}
