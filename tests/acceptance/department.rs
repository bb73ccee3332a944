//! Acceptance tests of `halopsa_department`: real Terraform, the provider under test
//! and halo-sim. Arguments (docs/resources/department.md): `name` required; `organisation_id` required,
//! forces replacement; `notes` optional; `id` computed.

use crate::support::{id_of, Action, Fixture, Kind, Lifecycle, Store, TestEnv, TWO_ORGANISATIONS};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_department.sales";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: TWO_ORGANISATIONS,
        type_name: "halopsa_department",
        name: "sales",
    },
    store: Store::Kind(Kind::Department),
};

const FULL: &[(&str, &str)] = &[
    ("name", "\"Sales\""),
    ("organisation_id", "halopsa_organisation.acme.id"),
    ("notes", "\"Pre-sales and renewals\""),
];

#[test]
fn create_update_replace_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, FULL);
    let acme = env.sim_id_named(Kind::Organisation, "Acme Ltd");

    // Halo holds what the configuration says, under the id in the state.
    let halo = env.sim_one_named(Kind::Department, "Sales");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["organisation_id"].to_string(), acme);
    assert_eq!(halo["notes"], "Pre-sales and renewals");
    let state = wd.resource(ADDR);
    assert_eq!(state["organisation_id"], acme.as_str());
    assert_eq!(state["notes"], "Pre-sales and renewals");
    assert_eq!(state["name"], "Sales");
    wd.assert_plan_clean();

    // Renaming and dropping the notes is an in-place update that clears them.
    SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Sales EMEA\""),
            ("organisation_id", "halopsa_organisation.acme.id"),
        ],
    );
    let halo = env.sim_one_named(Kind::Department, "Sales EMEA");
    assert_eq!(id_of(&halo), id, "the update changed the id");
    assert_eq!(halo["notes"], "", "the notes were not cleared in Halo");
    let state = wd.resource(ADDR);
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["notes"], Value::Null);

    // Another organisation replaces the department.
    wd.write_config(&SUBJECT.config(&[
        ("name", "\"Sales EMEA\""),
        ("organisation_id", "halopsa_organisation.beta.id"),
    ]));
    wd.plan_json().assert_only(ADDR, Action::Replace);
    wd.apply();
    let beta = env.sim_id_named(Kind::Organisation, "Beta Ltd");
    let replaced = env.sim_one_named(Kind::Department, "Sales EMEA");
    let new_id = id_of(&replaced);
    assert_ne!(new_id, id, "the department was not replaced");
    assert_eq!(replaced["organisation_id"].to_string(), beta);
    assert_eq!(wd.resource(ADDR)["id"], new_id.as_str());
    assert!(env.sim_object(Kind::Department, &id).is_none());
    wd.assert_plan_clean();

    // Destroy removes everything it made; the seed data stays.
    SUBJECT.assert_destroyed(&env, &wd, &new_id);
    assert!(env
        .sim_objects_named(Kind::Department, "Sales EMEA")
        .is_empty());
    assert!(env
        .sim_objects_named(Kind::Organisation, "Acme Ltd")
        .is_empty());
    env.sim_one_named(Kind::Department, "Service Desk");
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, FULL);
    let acme = env.sim_id_named(Kind::Organisation, "Acme Ltd");
    // The department alone, on an organisation given by id.
    let alone = format!(
        "resource \"halopsa_department\" \"sales\" {{\n  name = \"Sales\"\n  \
         organisation_id = {}\n  notes = \"Pre-sales and renewals\"\n}}\n",
        json!(acme)
    );
    // By an `import {}` block and by `terraform import`; then an id that does not
    // exist is an error, and nothing lands in the state.
    SUBJECT.assert_imports(&env, &created, &alone, &[], &id);
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, FULL);

    // Edited by hand: planned as an in-place update back to the configuration.
    SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"name": "Renamed by hand", "notes": "edited"}),
        &["name", "notes"],
        |plan| {
            assert_eq!(
                plan.before_after(ADDR, "name"),
                (&json!("Renamed by hand"), &json!("Sales")),
                "expected the hand edit to be undone"
            );
        },
    );
    let halo = env.sim_one_named(Kind::Department, "Sales");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["notes"], "Pre-sales and renewals");

    // Moved to another organisation by hand: planned as a replacement.
    let beta = env.sim_id_named(Kind::Organisation, "Beta Ltd");
    let beta_int: i64 = beta.parse().unwrap();
    SUBJECT.assert_drift_planned(
        &env,
        &wd,
        &id,
        json!({"organisation_id": beta_int}),
        Action::Replace,
    );
    wd.apply();
    let id = id_of(&env.sim_one_named(Kind::Department, "Sales"));
    wd.assert_plan_clean();

    // Deleted by hand: planned for re-creation.
    let recreated = SUBJECT.assert_recreated(&env, &wd, &id);
    assert_eq!(
        id_of(&env.sim_one_named(Kind::Department, "Sales")),
        id_of(&recreated)
    );
}

#[test]
fn bad_values_are_rejected_and_nothing_is_created() {
    let env = TestEnv::new();
    let main = env.sim_id_named(Kind::Organisation, "Main Organisation");

    // Caught at plan: nothing at all is sent to create anything.
    let cases = [
        (
            "name",
            format!("name = \"\"\n  organisation_id = \"{main}\""),
        ),
        (
            "organisation_id",
            "name = \"Sales\"\n  organisation_id = \"abc\"".to_string(),
        ),
        (
            "organisation_id",
            "name = \"Sales\"\n  organisation_id = \"0\"".to_string(),
        ),
    ];
    SUBJECT.assert_refused_at_plan(&env, &cases);

    // An organisation that does not exist: Halo refuses it, the error names the
    // attribute and nothing is created.
    env.assert_missing_reference(
        "resource \"halopsa_department\" \"sales\" {\n  name = \"Sales\"\n  \
         organisation_id = \"987654\"\n}\n",
        ADDR,
        "organisation_id",
        "987654",
        Kind::Department,
    );
}
