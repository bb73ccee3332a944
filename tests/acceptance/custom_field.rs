//! Acceptance tests of `halopsa_custom_field` (Halo's `/api/FieldInfo`): real
//! Terraform, the provider under test and halo-sim. Arguments
//! (docs/resources/custom_field.md): `name` and `field_type` required (changing
//! either replaces the field); `label` required; `input_type` (default 0) and
//! `options` (default none, selections only).

use serde_json::{json, Value};

use crate::support::{Action, Fixture, Lifecycle, Store, TestEnv};

const ADDR: &str = "halopsa_custom_field.size";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: "",
        type_name: "halopsa_custom_field",
        name: "size",
    },
    store: Store::Family("FieldInfo"),
};

fn args(label: &str, options: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "\"pizza_size\"".to_string()),
        ("label", format!("\"{label}\"")),
        ("field_type", "\"single_select\"".to_string()),
        ("options", options.to_string()),
    ]
}

fn choice_id(field: &Value, name: &str) -> Value {
    field["values"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["name"] == name)
        .map(|v| v["id"].clone())
        .unwrap_or_else(|| panic!("no choice {name} in {field}"))
}

#[test]
fn create_change_choices_in_place_replace_on_type_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, &args("Size", r#"["small", "large"]"#));
    let f = SUBJECT.halo(&env, &id);
    assert_eq!(f["name"], "pizza_size");
    assert_eq!(f["label"], "Size");
    assert_eq!(f["type"], 2);
    assert_eq!(f["inputtype"], 0);
    let large = choice_id(&f, "large");
    wd.assert_plan_clean();

    // A new label and choice: in place, the kept choice keeps its id.
    let f = SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &args("Pizza size", r#"["large", "medium"]"#),
    );
    assert_eq!(f["label"], "Pizza size");
    assert_eq!(choice_id(&f, "large"), large);
    assert_eq!(f["values"].as_array().map(Vec::len), Some(2));

    // Another type: Halo cannot change it, so the field is replaced.
    wd.write_config(&SUBJECT.config(&[
        ("name", "\"pizza_size\"".to_string()),
        ("label", "\"Pizza size\"".to_string()),
        ("field_type", "\"text\"".to_string()),
    ]));
    wd.plan_json().assert_only(ADDR, Action::Replace);
    wd.apply();
    let new_id = wd.resource_id(ADDR);
    assert_ne!(new_id, id);
    assert_eq!(SUBJECT.halo(&env, &new_id)["type"], 0);
    wd.assert_plan_clean();

    assert!(SUBJECT.assert_destroyed(&env, &wd, &new_id).is_empty());
}

#[test]
fn import_and_drift() {
    let env = TestEnv::new();
    let a = args("Size", r#"["small", "large"]"#);
    let (wd, id) = SUBJECT.create(&env, &a);
    SUBJECT.assert_imports(&env, &wd, &SUBJECT.config(&a), &[], &id);

    // Relabelled by hand, and a type the provider has no word for reads as halo:N.
    let f = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"label": "Diameter"}),
        &["label"],
        |_| {},
    );
    assert_eq!(f["label"], "Size");

    let plan = SUBJECT.assert_drift_planned(&env, &wd, &id, json!({"type": 8}), Action::Replace);
    assert_eq!(
        plan.before_after(ADDR, "field_type").0,
        &json!("halo:8"),
        "Halo's int 8 reads as halo:8"
    );
}

#[test]
fn bad_values_are_refused_at_plan() {
    let env = TestEnv::new();
    SUBJECT.assert_refused_at_plan(
        &env,
        &[
            (
                "name",
                "name = \"pizza size\"\n  label = \"L\"\n  field_type = \"text\"",
            ),
            (
                "label",
                "name = \"n\"\n  label = \"\"\n  field_type = \"text\"",
            ),
            (
                "field_type",
                "name = \"n\"\n  label = \"L\"\n  field_type = \"number\"",
            ),
            (
                "options",
                "name = \"n\"\n  label = \"L\"\n  field_type = \"text\"\n  options = [\"a\"]",
            ),
            (
                "input_type",
                "name = \"n\"\n  label = \"L\"\n  field_type = \"text\"\n  input_type = -1",
            ),
        ],
    );
}
