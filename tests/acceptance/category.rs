//! Acceptance tests of `halopsa_category`: real Terraform, the provider under test
//! and halo-sim. Arguments (docs/resources/category.md): `name` (the whole path,
//! `Hardware>Laptop`) and `category_field` (1 to 4) required; `id` computed.

use crate::support::{id_of, Fixture, Lifecycle, Store, TestEnv};
use serde_json::json;

const ADDR: &str = "halopsa_category.laptop";

const HARDWARE: &str = r#"resource "halopsa_category" "hardware" {
  name           = "Hardware"
  category_field = 1
}
"#;

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: HARDWARE,
        type_name: "halopsa_category",
        name: "laptop",
    },
    store: Store::Family("Category"),
};

const BASIC: &[(&str, &str)] = &[
    ("name", "\"${halopsa_category.hardware.name}>Laptop\""),
    ("category_field", "halopsa_category.hardware.category_field"),
];

#[test]
fn create_update_in_place_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let obj = SUBJECT.halo(&env, &id);
    assert_eq!(obj["value"], "Hardware>Laptop");
    assert_eq!(obj["type_id"], 1);
    assert_eq!(SUBJECT.halo_all(&env).len(), 2);
    wd.assert_plan_clean();

    // Renamed and moved to the resolution field: in place, same id.
    let obj = SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[("name", "\"Hardware>Notebook\""), ("category_field", "2")],
    );
    assert_eq!(
        (obj["value"].clone(), obj["type_id"].clone()),
        (json!("Hardware>Notebook"), json!(2))
    );

    assert!(SUBJECT.assert_destroyed(&env, &wd, &id).is_empty());
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    let alone = "resource \"halopsa_category\" \"laptop\" {\n  name = \"Hardware>Laptop\"\n  \
                 category_field = 1\n}\n";
    SUBJECT.assert_imports(&env, &created, alone, &[], &id);
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let obj = SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"value": "Hardware>Tablet", "type_id": 3}),
        &["category_field", "name"],
        |plan| {
            assert_eq!(
                plan.before_after(ADDR, "name"),
                (&json!("Hardware>Tablet"), &json!("Hardware>Laptop"))
            );
        },
    );
    assert_eq!(
        (obj["value"].clone(), obj["type_id"].clone()),
        (json!("Hardware>Laptop"), json!(1))
    );
}

#[test]
fn bad_values_are_rejected_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    SUBJECT.assert_refused_at_plan(
        &env,
        &[
            ("name", "name = \"\"\n  category_field = 1"),
            ("category_field", "name = \"A\"\n  category_field = 0"),
            ("category_field", "name = \"A\"\n  category_field = 5"),
        ],
    );
}

#[test]
fn the_data_source_finds_a_category_by_its_path_and_refuses_an_ambiguous_one() {
    let env = TestEnv::new();
    let laptop = SUBJECT.insert(&env, json!({"value": "Hardware>Laptop", "type_id": 1}));
    let wd = env.applied(
        "data \"halopsa_category\" \"laptop\" {\n  name = \"Hardware>Laptop\"\n}\n\
         output \"laptop\" {\n  value = data.halopsa_category.laptop\n}\n",
    );
    let found = wd.output("laptop");
    assert_eq!(found["id"], id_of(&laptop).as_str(), "{found}");
    assert_eq!(found["category_field"], 1);

    // The same path in another category field: two match, `id` picks one.
    SUBJECT.insert(&env, json!({"value": "Hardware>Laptop", "type_id": 2}));
    let wd = env.workdir();
    wd.write_config("data \"halopsa_category\" \"laptop\" {\n  name = \"Hardware>Laptop\"\n}\n");
    let err = wd.plan_err();
    assert!(err.contains("Several category objects found"), "{err}");
}
