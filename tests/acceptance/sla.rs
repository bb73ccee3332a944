//! Acceptance tests of `halopsa_sla`: real Terraform, the provider under test and
//! halo-sim. Arguments (docs/resources/sla.md): `name` and `workday_id`
//! required; `priorities` a set of objects keyed by `priority_id`, default empty;
//! `id` computed. halo-sim keeps the priorities as rows under the SLA and answers
//! them only with `includedetails=true` (docs/halo-api.md, "SLA").

use serde_json::{json, Value};

use crate::support::{Fixture, Kind, Lifecycle, Store, TestEnv};

const ADDR: &str = "halopsa_sla.gold";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: "data \"halopsa_workday\" \"std\" {\n  name = \"Standard Hours\"\n}\n",
        type_name: "halopsa_sla",
        name: "gold",
    },
    store: Store::Family("SLA"),
};

const TWO_PRIORITIES: &str = r##"[
    { priority_id = 1, name = "Critical", response_time = 0.5, response_units = "hours", fix_time = 4, fix_units = "hours", colour = "#ff0000" },
    { priority_id = 2, name = "High", response_time = 2, response_units = "hours", fix_time = 1, fix_units = "days", colour = null },
  ]"##;

fn basic(priorities: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "\"Gold\"".to_string()),
        ("workday_id", "data.halopsa_workday.std.id".to_string()),
        ("priorities", priorities.to_string()),
    ]
}

/// The stored row of priority `n`.
fn row(sla: &Value, n: i64) -> Value {
    sla["priorities"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["priorityid"] == n)
        .cloned()
        .unwrap_or_else(|| panic!("no priority {n} in {sla}"))
}

#[test]
fn create_change_priorities_in_place_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, &basic(TWO_PRIORITIES));
    let std = env.sim_id_named(Kind::Workday, "Standard Hours");

    // Stored under the SLA, in Halo's units.
    let sla = SUBJECT.halo(&env, &id);
    assert_eq!(sla["name"], "Gold");
    assert_eq!(sla["workday_id"].to_string(), std);
    let critical = row(&sla, 1);
    assert_eq!(critical["responsetime"], 0.5);
    assert_eq!(critical["responseunits"], "H");
    assert_eq!(critical["colour"], "#ff0000");
    assert_eq!(row(&sla, 2)["fixunits"], "D");
    let guid = critical["id"].as_str().expect("a GUID").to_string();
    let state = wd.resource(ADDR);
    assert_eq!(state["workday_id"], std.as_str());
    assert_eq!(state["priorities"].as_array().map(Vec::len), Some(2));
    wd.assert_plan_clean();

    // A new target, a priority dropped and one added: one in-place update, the
    // kept row keeping its GUID.
    let sla = SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &basic(
            r##"[
    { priority_id = 1, name = "Critical", response_time = 1, response_units = "hours", fix_time = 4, fix_units = "hours", colour = "#ff0000" },
    { priority_id = 3, name = "Low", response_time = 1, response_units = "days", fix_time = 5, fix_units = "days", colour = null },
  ]"##,
        ),
    );
    let ids: Vec<i64> = sla["priorities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["priorityid"].as_i64())
        .collect();
    assert_eq!(ids, [1, 3]);
    assert_eq!(
        row(&sla, 1)["id"],
        guid.as_str(),
        "the kept row was replaced"
    );
    assert_eq!(row(&sla, 1)["responsetime"], 1.0);

    // No priorities at all.
    let sla = SUBJECT.assert_reapplied(&env, &wd, &id, &basic("[]"));
    assert_eq!(sla["priorities"], json!([]));

    assert!(SUBJECT.assert_destroyed(&env, &wd, &id).is_empty());
}

#[test]
fn import_by_id() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, &basic(TWO_PRIORITIES));
    let config = SUBJECT.config(&basic(TWO_PRIORITIES));
    SUBJECT.assert_imports(&env, &created, &config, &[], &id);
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, &basic(TWO_PRIORITIES));

    // Renamed, and a target changed to a unit the provider has no word for.
    let mut rows = SUBJECT.halo(&env, &id)["priorities"].clone();
    rows[0]["fixtime"] = json!(9);
    rows[0]["fixunits"] = json!("M");
    let sla = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"name": "Bronze", "priorities": rows}),
        &["name", "priorities"],
        |plan| {
            let (before, _) = plan.before_after(ADDR, "priorities");
            assert!(
                before.to_string().contains("\"halo:M\""),
                "Halo's unit reads as halo:M: {before}"
            );
        },
    );
    assert_eq!(sla["name"], "Gold");
    assert_eq!(row(&sla, 1)["fixunits"], "H");
    assert_eq!(row(&sla, 1)["fixtime"], 4.0);

    // Deleted by hand: planned for re-creation.
    SUBJECT.assert_recreated(&env, &wd, &id);
}

#[test]
fn bad_values_are_refused_at_plan() {
    let env = TestEnv::new();
    let one = |fields: &str| {
        format!("name = \"Gold\"\n  workday_id = \"1\"\n  priorities = [{{ {fields} }}]")
    };
    let ok = "priority_id = 1, name = \"P1\", response_time = 1, fix_time = 2, colour = null";
    let cases = [
        ("name", "name = \"\"\n  workday_id = \"1\"".to_string()),
        ("workday_id", "name = \"Gold\"\n  workday_id = \"std\"".to_string()),
        (
            "priorities",
            one(&format!("{ok}, response_units = \"weeks\", fix_units = \"days\"")),
        ),
        (
            "priorities",
            one("priority_id = 0, name = \"P1\", response_time = 1, fix_time = 2, colour = null, response_units = \"hours\", fix_units = \"days\""),
        ),
        (
            "priorities",
            one(&format!("{ok}, response_units = \"hours\", fix_units = \"days\" }}, {{ priority_id = 1, name = \"P2\", response_time = 1, fix_time = 2, colour = null, response_units = \"hours\", fix_units = \"days\"")),
        ),
        (
            "priorities",
            one("priority_id = 1, name = \"P1\", response_time = -1, fix_time = 2, colour = null, response_units = \"hours\", fix_units = \"days\""),
        ),
    ];
    SUBJECT.assert_refused_at_plan(&env, &cases);
}
