//! Acceptance tests of `halopsa_outcome` (a ticket action): real Terraform, the
//! provider under test and halo-sim. Arguments (docs/resources/outcome.md): `name`
//! required; `button_name`, `colour`, `sequence` optional (left out, Halo's value
//! is kept); `hidden`, `sla_hold`, `sla_release` default false; `status_id`
//! optional (a `halopsa_status`); `id` computed.

use crate::support::{id_of, Fixture, Lifecycle, Store, TestEnv};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_outcome.ask";

const STATUSES: &str = r#"resource "halopsa_status" "waiting" {
  name       = "Waiting on Customer"
  sla_action = "hold"
}

resource "halopsa_status" "replied" {
  name = "Customer Replied"
}
"#;

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: STATUSES,
        type_name: "halopsa_outcome",
        name: "ask",
    },
    store: Store::Family("Outcome"),
};

const BASIC: &[(&str, &str)] = &[
    ("name", "\"Ask Customer\""),
    ("button_name", "\"Ask\""),
    ("colour", "\"#1565c0\""),
    ("status_id", "halopsa_status.waiting.id"),
    ("sla_hold", "true"),
];

fn status_id(env: &TestEnv, name: &str) -> String {
    env.sim
        .generic_objects("Status")
        .iter()
        .find(|o| o["name"] == name)
        .map(id_of)
        .unwrap_or_else(|| panic!("no status {name}"))
}

#[test]
fn create_update_in_place_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let waiting = status_id(&env, "Waiting on Customer");
    let obj = SUBJECT.halo(&env, &id);
    assert_eq!(obj["outcome"], "Ask Customer");
    assert_eq!(obj["buttonname"], "Ask");
    assert_eq!(obj["newstatus"].to_string(), waiting);
    assert_eq!(obj["slaholdischecked"], true);
    assert_eq!(obj["slareleaseischecked"], false);
    assert_eq!(obj["hidden"], false);
    let state = wd.resource(ADDR);
    assert_eq!(state["status_id"], waiting.as_str());
    assert_eq!(state["sla_release"], false);
    wd.assert_plan_clean();

    // Another status, hidden, releasing the hold: in place, same id. Hidden
    // actions are still read (the list asks for them): the plan after is clean.
    let obj = SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Ask Customer\""),
            ("button_name", "\"Ask\""),
            ("colour", "\"#1565c0\""),
            ("status_id", "halopsa_status.replied.id"),
            ("hidden", "true"),
            ("sla_release", "true"),
        ],
    );
    let replied = status_id(&env, "Customer Replied");
    assert_eq!(obj["newstatus"].to_string(), replied);
    assert_eq!(obj["hidden"], true);
    assert_eq!(obj["slaholdischecked"], false);
    assert_eq!(obj["slareleaseischecked"], true);

    // No status any more: the action leaves the ticket's status alone.
    let obj = SUBJECT.assert_reapplied(
        &env,
        &wd,
        &id,
        &[("name", "\"Ask Customer\""), ("hidden", "true")],
    );
    assert_eq!(obj["newstatus"], 0);
    assert_eq!(wd.resource(ADDR)["status_id"], Value::Null);

    assert!(SUBJECT.assert_destroyed(&env, &wd, &id).is_empty());
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    let waiting = status_id(&env, "Waiting on Customer");
    let alone = format!(
        "resource \"halopsa_outcome\" \"ask\" {{\n  name = \"Ask Customer\"\n  \
         button_name = \"Ask\"\n  colour = \"#1565c0\"\n  status_id = \"{waiting}\"\n  \
         sla_hold = true\n}}\n"
    );
    SUBJECT.assert_imports(&env, &created, &alone, &[], &id);
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let closed = status_id(&env, "Closed");
    let obj = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"newstatus": closed.parse::<i64>().unwrap_or_default(), "slaholdischecked": false}),
        &["sla_hold", "status_id"],
        |_| {},
    );
    assert_eq!(
        obj["newstatus"].to_string(),
        status_id(&env, "Waiting on Customer")
    );
    assert_eq!(obj["slaholdischecked"], true);
}

#[test]
fn bad_values_are_rejected_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    SUBJECT.assert_refused_at_plan(
        &env,
        &[
            ("name", "name = \"\""),
            ("colour", "name = \"A\"\n  colour = \"blue\""),
            ("status_id", "name = \"A\"\n  status_id = \"waiting\""),
            ("status_id", "name = \"A\"\n  status_id = \"0\""),
        ],
    );
}

#[test]
fn a_status_that_does_not_exist_is_kept_as_sent() {
    // Whether Halo refuses an action moving tickets to a missing status is not
    // known (docs/halo-api.md), so halo-sim keeps it and so does the state: the
    // next plan is clean, and `doctor` reports such actions on a real tenant.
    // A status id written anew must name a status (the plan-time reference
    // check), so the action is made with one that Halo then loses.
    let env = TestEnv::new();
    Store::Family("Status").insert(&env.sim, json!({"id": 987654, "name": "Short Lived"}));
    let wd = env.applied(
        "resource \"halopsa_outcome\" \"ask\" {\n  name = \"A\"\n  status_id = \"987654\"\n}\n",
    );
    assert!(env.sim.remove_generic("Status", "987654"));
    assert_eq!(wd.resource(ADDR)["status_id"], "987654");
    assert_eq!(
        SUBJECT.halo_all(&env)[0]["newstatus"],
        987654,
        "sent as configured"
    );
    wd.assert_plan_clean();
}

#[test]
fn the_data_source_finds_a_hidden_action_by_name() {
    let env = TestEnv::new();
    let made = SUBJECT.insert(
        &env,
        json!({"outcome": "Private Note", "hidden": true, "newstatus": 2}),
    );
    let wd = env.applied(
        "data \"halopsa_outcome\" \"note\" {\n  name = \"Private Note\"\n}\n\
         output \"note\" {\n  value = data.halopsa_outcome.note\n}\n",
    );
    let note = wd.output("note");
    assert_eq!(note["id"], id_of(&made).as_str(), "{note}");
    assert_eq!(note["hidden"], true);
    assert_eq!(note["status_id"], "2");
}
