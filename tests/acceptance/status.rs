//! Acceptance tests of `halopsa_status`: real Terraform, the provider under test
//! and halo-sim. Arguments (docs/resources/status.md): `name` required;
//! `short_name`, `status_type`, `sequence`, `colour`, `sla_action` optional (left
//! out, Halo's value is kept); `id` computed.

use crate::support::{id_of, Action, Fixture, TestEnv};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_status.waiting";

const SUBJECT: Fixture = Fixture {
    prelude: "",
    type_name: "halopsa_status",
    name: "waiting",
};

const BASIC: &[(&str, &str)] = &[
    ("name", "\"Waiting on Customer\""),
    ("colour", "\"#f9a825\""),
    ("sequence", "3"),
    ("sla_action", "\"hold\""),
];

/// The status with this id as halo-sim holds it.
fn halo(env: &TestEnv, id: &str) -> Value {
    env.sim
        .generic_objects("Status")
        .into_iter()
        .find(|o| id_of(o) == id)
        .unwrap_or_else(|| panic!("no status {id} in halo-sim"))
}

#[test]
fn create_update_in_place_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let obj = halo(&env, &id);
    assert_eq!(obj["name"], "Waiting on Customer");
    assert_eq!(obj["colour"], "#f9a825");
    assert_eq!(obj["sequence"], 3);
    assert_eq!(obj["slaaction"], "hold", "the SLA action's Halo text");
    assert!(
        obj.get("type").is_none(),
        "an unset type is not sent: {obj}"
    );
    let state = wd.resource(ADDR);
    assert_eq!(state["sla_action"], "hold");
    assert_eq!(state["status_type"], Value::Null);
    wd.assert_plan_clean();

    // Renamed, released and typed in Halo's own int: in place, same id.
    wd.write_config(&SUBJECT.config(&[
        ("name", "\"Awaiting Customer\""),
        ("short_name", "\"Awaiting\""),
        ("colour", "\"#f9a825\""),
        ("sequence", "3"),
        ("sla_action", "\"remove_hold\""),
        ("status_type", "\"halo:1\""),
    ]));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    let obj = halo(&env, &id);
    assert_eq!(obj["name"], "Awaiting Customer");
    assert_eq!(obj["shortname"], "Awaiting");
    assert_eq!(obj["slaaction"], "removehold");
    assert_eq!(obj["type"], 1);
    assert_eq!(wd.resource(ADDR)["id"], id.as_str());
    wd.assert_plan_clean();

    // Left out of the configuration, Halo's values are kept.
    wd.write_config(&SUBJECT.config(&[("name", "\"Awaiting Customer\"")]));
    wd.assert_plan_clean();

    wd.destroy();
    assert!(env
        .sim
        .generic_objects("Status")
        .iter()
        .all(|o| id_of(o) != id));
    assert!(
        env.sim
            .generic_objects("Status")
            .iter()
            .any(|o| o["name"] == "Closed"),
        "the built-in statuses stay"
    );
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    let expected = created.resource(ADDR);
    let alone = SUBJECT.config(BASIC);
    env.assert_imports(&alone, &[(ADDR, &id)], ADDR, &expected);
    env.assert_import_fails(&alone, ADDR, "987654");
}

#[test]
fn a_status_made_in_halo_with_other_encodings_imports_as_halo_values() {
    let env = TestEnv::new();
    let made = env.sim.insert_generic(
        "Status",
        json!({"name": "Odd", "type": 5, "slaaction": "X", "sequence": 7}),
    );
    let id = id_of(&made);
    let wd = env.workdir();
    wd.write_config(&format!(
        "import {{\n  to = {ADDR}\n  id = \"{id}\"\n}}\n{}",
        SUBJECT.config(&[("name", "\"Odd\"")])
    ));
    wd.apply();
    let state = wd.resource(ADDR);
    assert_eq!(state["status_type"], "halo:5");
    assert_eq!(state["sla_action"], "halo:X");
    // A rename leaves Halo's own encodings as they are.
    wd.write_config(&SUBJECT.config(&[("name", "\"Odder\"")]));
    wd.apply();
    let obj = halo(&env, &id);
    assert_eq!(
        (obj["type"].clone(), obj["slaaction"].clone()),
        (json!(5), json!("X"))
    );
    wd.assert_plan_clean();
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);

    assert!(env.sim.patch_generic(
        "Status",
        &id,
        json!({"colour": "#000000", "slaaction": "none"})
    ));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(plan.changed_attributes(ADDR), ["colour", "sla_action"]);
    assert_eq!(
        plan.before_after(ADDR, "sla_action"),
        (&json!("none"), &json!("hold"))
    );
    wd.apply();
    let obj = halo(&env, &id);
    assert_eq!(
        (obj["colour"].clone(), obj["slaaction"].clone()),
        (json!("#f9a825"), json!("hold"))
    );
    wd.assert_plan_clean();
}

#[test]
fn bad_values_are_rejected_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    let cases = [
        ("name", "name = \"\"".to_string()),
        ("colour", "name = \"S\"\n  colour = \"orange\"".to_string()),
        (
            "sla_action",
            "name = \"S\"\n  sla_action = \"pause\"".to_string(),
        ),
        (
            "status_type",
            "name = \"S\"\n  status_type = \"closed\"".to_string(),
        ),
        (
            "status_type",
            "name = \"S\"\n  status_type = \"halo:\"".to_string(),
        ),
    ];
    env.assert_refused_at_plan("halopsa_status", "waiting", &cases);
}

#[test]
fn the_data_source_finds_a_built_in_status_by_name() {
    let env = TestEnv::new();
    let wd = env.applied(
        "data \"halopsa_status\" \"closed\" {\n  name = \"Closed\"\n}\n\
         output \"closed\" {\n  value = data.halopsa_status.closed\n}\n",
    );
    let closed = wd.output("closed");
    assert_eq!(closed["id"], "9", "Closed is status 9: {closed}");
    assert_eq!(closed["name"], "Closed");

    let wd = env.workdir();
    wd.write_config("data \"halopsa_status\" \"x\" {\n  name = \"No Such Status\"\n}\n");
    let err = wd.plan_err();
    assert!(err.contains("No status found"), "{err}");
}
