//! Acceptance tests of `halopsa_ticket_type`: real Terraform, the provider under
//! test and halo-sim. Arguments (docs/resources/ticket_type.md): `name` required;
//! `group_id`, `sla_id`, `priority_id` optional (Halo's value kept when left
//! out); `status_ids`, `team_ids` optional sets (unset: Halo's "allow all");
//! `agents_can_select` (default true), `end_users_can_select` (default false).
//! Statuses are made in halo-sim out of band (`halopsa_status` is another
//! resource's work).

use serde_json::{json, Value};

use crate::support::{Action, Fixture, Kind, Lifecycle, Store, TestEnv};

const ADDR: &str = "halopsa_ticket_type.incident";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: r#"data "halopsa_workday" "std" {
  name = "Standard Hours"
}

resource "halopsa_sla" "gold" {
  name       = "Gold"
  workday_id = data.halopsa_workday.std.id
  priorities = [
    { priority_id = 1, name = "P1", response_time = 1, response_units = "hours", fix_time = 4, fix_units = "hours", colour = null },
  ]
}
"#,
        type_name: "halopsa_ticket_type",
        name: "incident",
    },
    store: Store::Family("TicketType"),
};

/// Two statuses made in Halo by hand: their ids.
fn statuses(env: &TestEnv) -> (String, String) {
    let id = |name: &str| env.sim.insert_generic("Status", json!({"name": name}))["id"].to_string();
    (id("Open"), id("Closed"))
}

fn row_ids(rows: &Value, key: &str) -> Vec<String> {
    let mut ids: Vec<String> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r[key].to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn create_change_in_place_and_destroy() {
    let env = TestEnv::new();
    let (open, closed) = statuses(&env);
    let first = env.sim_id_named(Kind::Team, "1st Line Support");
    let second = env.sim_id_named(Kind::Team, "2nd Line Support");
    let (wd, id) = SUBJECT.create(
        &env,
        &[
            ("name", "\"Incident\"".to_string()),
            ("sla_id", "halopsa_sla.gold.id".to_string()),
            ("priority_id", "1".to_string()),
            ("status_ids", format!("[\"{open}\", \"{closed}\"]")),
            ("team_ids", format!("[\"{first}\"]")),
            ("agents_can_select", "false".to_string()),
        ],
    );
    let sla = wd.resource("halopsa_sla.gold")["id"]
        .as_str()
        .expect("an SLA id")
        .to_string();

    let t = SUBJECT.halo(&env, &id);
    assert_eq!(t["name"], "Incident");
    assert_eq!(t["default_sla"].to_string(), sla);
    assert_eq!(t["default_priority"], 1);
    assert_eq!(t["allowall_status"], false);
    let mut want = vec![open.clone(), closed.clone()];
    want.sort();
    assert_eq!(row_ids(&t["allowed_status"], "status_id"), want);
    assert_eq!(t["allowall_team"], false);
    assert_eq!(row_ids(&t["allowed_teams"], "section_id"), [first.as_str()]);
    assert_eq!(t["agentscanselect"], false);
    assert_eq!(t["enduserscanselect"], false);
    let state = wd.resource(ADDR);
    assert_eq!(state["sla_id"], sla.as_str());
    assert_eq!(state["agents_can_select"], false);
    wd.assert_plan_clean();

    // Every status allowed again, another team, open to end users: in place.
    let t = SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Incident\"".to_string()),
            ("sla_id", "halopsa_sla.gold.id".to_string()),
            ("priority_id", "1".to_string()),
            ("team_ids", format!("[\"{second}\"]")),
            ("end_users_can_select", "true".to_string()),
        ],
    );
    assert_eq!(t["allowall_status"], true);
    assert_eq!(row_ids(&t["allowed_teams"], "section_id"), [second]);
    assert_eq!(t["agentscanselect"], true);
    assert_eq!(t["enduserscanselect"], true);
    assert_eq!(wd.resource(ADDR)["status_ids"], Value::Null);

    assert!(SUBJECT.assert_destroyed(&env, &wd, &id).is_empty());
}

#[test]
fn import_by_id() {
    let env = TestEnv::new();
    let (open, _) = statuses(&env);
    let args = [
        ("name", "\"Incident\"".to_string()),
        ("sla_id", "halopsa_sla.gold.id".to_string()),
        ("status_ids", format!("[\"{open}\"]")),
    ];
    let (created, id) = SUBJECT.create(&env, &args);
    // The SLA is imported too, so that the configuration is whole.
    let sla = created.resource_id("halopsa_sla.gold");
    let config = SUBJECT.config(&args);
    SUBJECT.assert_imports(&env, &created, &config, &[("halopsa_sla.gold", &sla)], &id);
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (open, _) = statuses(&env);
    let (wd, id) = SUBJECT.create(
        &env,
        &[
            ("name", "\"Incident\"".to_string()),
            ("status_ids", format!("[\"{open}\"]")),
        ],
    );

    // Renamed, opened to every status and to end users by hand.
    let t = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"name": "Request", "allowall_status": true, "enduserscanselect": true}),
        &["end_users_can_select", "name", "status_ids"],
        |_| {},
    );
    assert_eq!(t["name"], "Incident");
    assert_eq!(t["allowall_status"], false);
    assert_eq!(row_ids(&t["allowed_status"], "status_id"), [open]);
    assert_eq!(t["enduserscanselect"], false);

    SUBJECT.assert_removal_planned(&env, &wd, &id);
}

#[test]
fn bad_values_are_refused_at_plan() {
    let env = TestEnv::new();
    SUBJECT.assert_refused_at_plan(
        &env,
        &[
            ("name", "name = \"\""),
            ("sla_id", "name = \"T\"\n  sla_id = \"gold\""),
            ("priority_id", "name = \"T\"\n  priority_id = 0"),
            (
                "status_ids",
                "name = \"T\"\n  status_ids = [\"1\", \"open\"]",
            ),
            ("team_ids", "name = \"T\"\n  team_ids = [\"-2\"]"),
            ("group_id", "name = \"T\"\n  group_id = \"0\""),
        ],
    );
}

/// The ticket type's `fields` rows as (groupid, fieldid) pairs, `0` for absent.
fn field_rows(t: &Value) -> Vec<(i64, i64)> {
    let mut rows: Vec<(i64, i64)> = t["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["groupid"].as_i64().unwrap_or(0),
                r["fieldid"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn its_field_group_is_one_row_of_its_fields_and_the_others_stay() {
    let env = TestEnv::new();
    let group = |name: &str| {
        env.sim.insert_generic("FieldGroup", json!({"name": name}))["id"]
            .as_i64()
            .expect("a field group id")
    };
    let (first, second) = (group("Onboarding"), group("Hardware"));
    let (wd, id) = SUBJECT.create(
        &env,
        &[
            ("name", "\"Incident\"".to_string()),
            ("field_group_id", format!("\"{first}\"")),
        ],
    );
    assert_eq!(field_rows(&SUBJECT.halo(&env, &id)), [(first, 0)]);
    assert_eq!(
        wd.resource(ADDR)["field_group_id"],
        Value::String(first.to_string())
    );

    // A custom field placed on the form by hand stays when the group changes.
    assert!(env.sim.patch_generic(
        "TicketType",
        &id,
        json!({"fields": [{"groupid": first}, {"fieldid": 77, "seq": 3}]})
    ));
    wd.assert_plan_clean();
    wd.write_config(&SUBJECT.config(&[
        ("name", "\"Incident\"".to_string()),
        ("field_group_id", format!("\"{second}\"")),
    ]));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(plan.changed_attributes(ADDR), ["field_group_id"]);
    wd.apply();
    let t = SUBJECT.halo(&env, &id);
    assert_eq!(field_rows(&t), [(0, 77), (second, 0)]);
    let kept = t["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["fieldid"] == 77)
        .expect("the hand-placed field");
    assert_eq!(kept["seq"], 3, "kept as Halo sent it: {kept}");
    wd.assert_plan_clean();

    // Changed in Halo: drift on the attribute; a bad id is refused at plan.
    assert!(env
        .sim
        .patch_generic("TicketType", &id, json!({"fields": [{"groupid": first}]})));
    assert_eq!(wd.plan_json().changed_attributes(ADDR), ["field_group_id"]);
    SUBJECT.assert_refused_at_plan(
        &TestEnv::new(),
        &[(
            "field_group_id",
            "name = \"T\"\n  field_group_id = \"zero\"",
        )],
    );
}
