//! Acceptance tests of `halopsa_status`: real Terraform, the provider under test
//! and halo-sim. Arguments (docs/resources/status.md): `name` required;
//! `short_name`, `status_type`, `sequence`, `colour`, `sla_action` optional (left
//! out, Halo's value is kept); `id` computed.

use crate::support::{id_of, Fixture, Lifecycle, Store, TestEnv};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_status.waiting";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: "",
        type_name: "halopsa_status",
        name: "waiting",
    },
    store: Store::Family("Status"),
};

const BASIC: &[(&str, &str)] = &[
    ("name", "\"Waiting on Customer\""),
    ("colour", "\"#f9a825\""),
    ("sequence", "3"),
    ("sla_action", "\"hold\""),
];

#[test]
fn create_update_in_place_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let obj = SUBJECT.halo(&env, &id);
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
    let obj = SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Awaiting Customer\""),
            ("short_name", "\"Awaiting\""),
            ("colour", "\"#f9a825\""),
            ("sequence", "3"),
            ("sla_action", "\"remove_hold\""),
            ("status_type", "\"halo:1\""),
        ],
    );
    assert_eq!(obj["name"], "Awaiting Customer");
    assert_eq!(obj["shortname"], "Awaiting");
    assert_eq!(obj["slaaction"], "removehold");
    assert_eq!(obj["type"], 1);

    // Left out of the configuration, Halo's values are kept.
    SUBJECT.assert_no_change(&wd, &[("name", "\"Awaiting Customer\"")]);

    let left = SUBJECT.assert_destroyed(&env, &wd, &id);
    assert!(
        left.iter().any(|o| o["name"] == "Closed"),
        "the built-in statuses stay"
    );
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    SUBJECT.assert_imports(&env, &created, &SUBJECT.config(BASIC), &[], &id);
}

#[test]
fn a_status_made_in_halo_with_other_encodings_imports_as_halo_values() {
    let env = TestEnv::new();
    let made = SUBJECT.insert(
        &env,
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
    let obj = SUBJECT.halo(&env, &id);
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
    let obj = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"colour": "#000000", "slaaction": "none"}),
        &["colour", "sla_action"],
        |plan| {
            assert_eq!(
                plan.before_after(ADDR, "sla_action"),
                (&json!("none"), &json!("hold"))
            );
        },
    );
    assert_eq!(
        (obj["colour"].clone(), obj["slaaction"].clone()),
        (json!("#f9a825"), json!("hold"))
    );
}

#[test]
fn bad_values_are_rejected_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    SUBJECT.assert_refused_at_plan(
        &env,
        &[
            ("name", "name = \"\""),
            ("colour", "name = \"S\"\n  colour = \"orange\""),
            ("sla_action", "name = \"S\"\n  sla_action = \"pause\""),
            ("status_type", "name = \"S\"\n  status_type = \"closed\""),
            ("status_type", "name = \"S\"\n  status_type = \"halo:\""),
        ],
    );
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
