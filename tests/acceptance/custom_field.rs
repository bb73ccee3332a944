//! Acceptance tests of `halopsa_custom_field` (Halo's `/api/FieldInfo`): real
//! Terraform, the provider under test and halo-sim. Arguments
//! (docs/resources/custom_field.md): `name` and `field_type` required (changing
//! either replaces the field); `label` required; `input_type` (default 0) and
//! `options` (default none, selections only).

use serde_json::{json, Value};

use crate::support::{Action, Fixture, TestEnv};

const ADDR: &str = "halopsa_custom_field.size";

const SUBJECT: Fixture = Fixture {
    prelude: "",
    type_name: "halopsa_custom_field",
    name: "size",
};

fn args(label: &str, options: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "\"pizza_size\"".to_string()),
        ("label", format!("\"{label}\"")),
        ("field_type", "\"single_select\"".to_string()),
        ("options", options.to_string()),
    ]
}

fn halo(env: &TestEnv, id: &str) -> Value {
    env.sim
        .generic_objects("FieldInfo")
        .into_iter()
        .find(|o| crate::support::id_of(o) == id)
        .unwrap_or_else(|| panic!("no custom field {id} in halo-sim"))
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
    let f = halo(&env, &id);
    assert_eq!(f["name"], "pizza_size");
    assert_eq!(f["label"], "Size");
    assert_eq!(f["type"], 2);
    assert_eq!(f["inputtype"], 0);
    let large = choice_id(&f, "large");
    wd.assert_plan_clean();

    // A new label and choice: in place, the kept choice keeps its id.
    wd.write_config(&SUBJECT.config(&args("Pizza size", r#"["large", "medium"]"#)));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    let f = halo(&env, &id);
    assert_eq!(f["label"], "Pizza size");
    assert_eq!(choice_id(&f, "large"), large);
    assert_eq!(f["values"].as_array().map(Vec::len), Some(2));
    wd.assert_plan_clean();

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
    assert_eq!(halo(&env, &new_id)["type"], 0);
    wd.assert_plan_clean();

    wd.destroy();
    assert!(env.sim.generic_objects("FieldInfo").is_empty());
}

#[test]
fn import_and_drift() {
    let env = TestEnv::new();
    let a = args("Size", r#"["small", "large"]"#);
    let (wd, id) = SUBJECT.create(&env, &a);
    let expected = wd.resource(ADDR);
    env.assert_imports(&SUBJECT.config(&a), &[(ADDR, &id)], ADDR, &expected);

    // Relabelled by hand, and a type the provider has no word for reads as halo:N.
    assert!(env
        .sim
        .patch_generic("FieldInfo", &id, json!({"label": "Diameter"})));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(plan.changed_attributes(ADDR), ["label"]);
    wd.apply();
    assert_eq!(halo(&env, &id)["label"], "Size");
    wd.assert_plan_clean();

    assert!(env.sim.patch_generic("FieldInfo", &id, json!({"type": 8})));
    let plan = wd.plan_json();
    assert_eq!(
        plan.before_after(ADDR, "field_type").0,
        &json!("halo:8"),
        "Halo's int 8 reads as halo:8"
    );
    plan.assert_only(ADDR, Action::Replace);
}

#[test]
fn bad_values_are_refused_at_plan() {
    let env = TestEnv::new();
    let cases = [
        (
            "name",
            "name = \"pizza size\"\n  label = \"L\"\n  field_type = \"text\"".to_string(),
        ),
        (
            "label",
            "name = \"n\"\n  label = \"\"\n  field_type = \"text\"".to_string(),
        ),
        (
            "field_type",
            "name = \"n\"\n  label = \"L\"\n  field_type = \"number\"".to_string(),
        ),
        (
            "options",
            "name = \"n\"\n  label = \"L\"\n  field_type = \"text\"\n  options = [\"a\"]"
                .to_string(),
        ),
        (
            "input_type",
            "name = \"n\"\n  label = \"L\"\n  field_type = \"text\"\n  input_type = -1".to_string(),
        ),
    ];
    env.assert_refused_at_plan("halopsa_custom_field", "size", &cases);
}
