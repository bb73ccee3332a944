//! Acceptance tests of `halopsa_field_group`: real Terraform, the provider under
//! test and halo-sim. Arguments (docs/resources/field_group.md): `name`
//! required; `field_ids` a set of custom field ids (default none).

use serde_json::{json, Value};

use crate::support::{Action, Fixture, TestEnv};

const ADDR: &str = "halopsa_field_group.order";

const SUBJECT: Fixture = Fixture {
    prelude: r#"resource "halopsa_custom_field" "size" {
  name       = "pizza_size"
  label      = "Size"
  field_type = "text"
}

resource "halopsa_custom_field" "notes" {
  name       = "order_notes"
  label      = "Notes"
  field_type = "memo"
}
"#,
    type_name: "halopsa_field_group",
    name: "order",
};

fn halo(env: &TestEnv, id: &str) -> Value {
    env.sim
        .generic_objects("FieldGroup")
        .into_iter()
        .find(|o| crate::support::id_of(o) == id)
        .unwrap_or_else(|| panic!("no field group {id} in halo-sim"))
}

fn field_ids(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["fieldid"].to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn create_change_fields_in_place_import_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(
        &env,
        &[
            ("name", "\"Order\""),
            ("field_ids", "[halopsa_custom_field.size.id]"),
        ],
    );
    let size = wd.resource_id("halopsa_custom_field.size");
    let notes = wd.resource_id("halopsa_custom_field.notes");
    assert_eq!(field_ids(&halo(&env, &id)), [size.as_str()]);
    wd.assert_plan_clean();

    let both = [
        ("name", "\"Order details\""),
        (
            "field_ids",
            "[halopsa_custom_field.size.id, halopsa_custom_field.notes.id]",
        ),
    ];
    wd.write_config(&SUBJECT.config(&both));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    let g = halo(&env, &id);
    assert_eq!(g["name"], "Order details");
    let mut want = vec![size.clone(), notes.clone()];
    want.sort();
    assert_eq!(field_ids(&g), want);
    wd.assert_plan_clean();

    let expected = wd.resource(ADDR);
    env.assert_imports(
        &SUBJECT.config(&both),
        &[
            ("halopsa_custom_field.size", &size),
            ("halopsa_custom_field.notes", &notes),
            (ADDR, &id),
        ],
        ADDR,
        &expected,
    );

    // Emptied by hand: planned back.
    assert!(env
        .sim
        .patch_generic("FieldGroup", &id, json!({"fields": []})));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(plan.changed_attributes(ADDR), ["field_ids"]);
    wd.apply();
    assert_eq!(field_ids(&halo(&env, &id)), want);
    wd.assert_plan_clean();

    wd.destroy();
    assert!(env.sim.generic_objects("FieldGroup").is_empty());
}

#[test]
fn bad_values_are_refused_at_plan() {
    let env = TestEnv::new();
    let cases = [
        ("name", "name = \"\"".to_string()),
        (
            "field_ids",
            "name = \"G\"\n  field_ids = [\"size\"]".to_string(),
        ),
    ];
    env.assert_refused_at_plan("halopsa_field_group", "order", &cases);
}
