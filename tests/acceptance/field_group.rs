//! Acceptance tests of `halopsa_field_group`: real Terraform, the provider under
//! test and halo-sim. Arguments (docs/resources/field_group.md): `name`
//! required; `field_ids` a set of custom field ids (default none).

use serde_json::{json, Value};

use crate::support::{Fixture, Lifecycle, Store, TestEnv};

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
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
    },
    store: Store::Family("FieldGroup"),
};

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
    assert_eq!(field_ids(&SUBJECT.halo(&env, &id)), [size.as_str()]);
    wd.assert_plan_clean();

    let both = [
        ("name", "\"Order details\""),
        (
            "field_ids",
            "[halopsa_custom_field.size.id, halopsa_custom_field.notes.id]",
        ),
    ];
    let g = SUBJECT.assert_updated_in_place(&env, &wd, &id, &both);
    assert_eq!(g["name"], "Order details");
    let mut want = vec![size.clone(), notes.clone()];
    want.sort();
    assert_eq!(field_ids(&g), want);

    SUBJECT.assert_imports(
        &env,
        &wd,
        &SUBJECT.config(&both),
        &[
            ("halopsa_custom_field.size", &size),
            ("halopsa_custom_field.notes", &notes),
        ],
        &id,
    );

    // Emptied by hand: planned back.
    let g = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"fields": []}),
        &["field_ids"],
        |_| {},
    );
    assert_eq!(field_ids(&g), want);

    assert!(SUBJECT.assert_destroyed(&env, &wd, &id).is_empty());
}

#[test]
fn bad_values_are_refused_at_plan() {
    let env = TestEnv::new();
    SUBJECT.assert_refused_at_plan(
        &env,
        &[
            ("name", "name = \"\""),
            ("field_ids", "name = \"G\"\n  field_ids = [\"size\"]"),
        ],
    );
}
