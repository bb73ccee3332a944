//! Acceptance tests of `halopsa_team`: real Terraform, the provider under test and
//! halo-sim. Arguments (docs/resources/team.md): `name` required; `department_id` required (a team
//! moves between departments in place); `inactive` optional, default false; `id`
//! computed.

use crate::support::{
    diagnostic_text, id_of, Fixture, Kind, Lifecycle, Store, TestEnv, TWO_DEPARTMENTS,
};
use serde_json::json;

const ADDR: &str = "halopsa_team.field";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: TWO_DEPARTMENTS,
        type_name: "halopsa_team",
        name: "field",
    },
    store: Store::Kind(Kind::Team),
};

const BASIC: &[(&str, &str)] = &[
    ("name", "\"Field Engineers\""),
    ("department_id", "halopsa_department.north.id"),
];

#[test]
fn create_move_deactivate_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let north = env.sim_id_named(Kind::Department, "North");

    // Created active in the north department; the default is in the state.
    let halo = env.sim_one_named(Kind::Team, "Field Engineers");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["department_id"].to_string(), north);
    assert_eq!(halo["inactive"], false);
    let state = wd.resource(ADDR);
    assert_eq!(state["department_id"], north.as_str());
    assert_eq!(state["inactive"], false);
    wd.assert_plan_clean();

    // Moving to another department, renaming and deactivating: all in place.
    SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Field Service\""),
            ("department_id", "halopsa_department.south.id"),
            ("inactive", "true"),
        ],
    );
    let south = env.sim_id_named(Kind::Department, "South");
    let halo = env.sim_one_named(Kind::Team, "Field Service");
    assert_eq!(id_of(&halo), id, "the move changed the id");
    assert_eq!(halo["department_id"].to_string(), south);
    assert_eq!(halo["inactive"], true);
    let state = wd.resource(ADDR);
    assert_eq!(state["department_id"], south.as_str());
    assert_eq!(state["inactive"], true);

    // Leaving `inactive` out again goes back to the default: active.
    let halo = SUBJECT.assert_reapplied(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Field Service\""),
            ("department_id", "halopsa_department.south.id"),
        ],
    );
    assert_eq!(halo["inactive"], false);

    // Destroy removes everything it made; the seed data stays.
    SUBJECT.assert_destroyed(&env, &wd, &id);
    assert!(env
        .sim_objects_named(Kind::Team, "Field Service")
        .is_empty());
    assert!(env.sim_objects_named(Kind::Department, "South").is_empty());
    env.sim_one_named(Kind::Team, "1st Line Support");
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    let north = env.sim_id_named(Kind::Department, "North");
    let alone = format!(
        "resource \"halopsa_team\" \"field\" {{\n  name = \"Field Engineers\"\n  \
         department_id = {}\n}}\n",
        json!(north)
    );
    SUBJECT.assert_imports(&env, &created, &alone, &[], &id);
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let north = env.sim_id_named(Kind::Department, "North");
    let south: i64 = env.sim_id_named(Kind::Department, "South").parse().unwrap();

    // Moved and deactivated by hand: planned as an in-place update back.
    SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"department_id": south, "inactive": true}),
        &["department_id", "inactive"],
        |plan| {
            assert_eq!(
                plan.before_after(ADDR, "inactive"),
                (&json!(true), &json!(false))
            );
        },
    );
    let halo = env.sim_one_named(Kind::Team, "Field Engineers");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["department_id"].to_string(), north);
    assert_eq!(halo["inactive"], false);

    // Deleted by hand: planned for re-creation.
    let recreated = SUBJECT.assert_recreated(&env, &wd, &id);
    assert_eq!(
        id_of(&env.sim_one_named(Kind::Team, "Field Engineers")),
        id_of(&recreated)
    );
}

#[test]
fn bad_values_are_rejected_and_nothing_is_created() {
    let env = TestEnv::new();
    let desk = env.sim_id_named(Kind::Department, "Service Desk");

    // Caught at plan: nothing at all is sent to create anything.
    let cases = [
        ("name", format!("name = \"\"\n  department_id = \"{desk}\"")),
        (
            "department_id",
            "name = \"Field\"\n  department_id = \"north\"".to_string(),
        ),
        (
            "department_id",
            "name = \"Field\"\n  department_id = \"-3\"".to_string(),
        ),
    ];
    SUBJECT.assert_refused_at_plan(&env, &cases);

    // A department that does not exist: Halo refuses it, the error names the
    // attribute and nothing is created.
    env.assert_missing_reference(
        "resource \"halopsa_team\" \"field\" {\n  name = \"Field\"\n  \
         department_id = \"987654\"\n}\n",
        ADDR,
        "department_id",
        "987654",
        Kind::Team,
    );

    // Moving an existing team to a department that does not exist: the same error,
    // and the team stays where it was.
    let wd = env.workdir();
    let ok = format!("resource \"halopsa_team\" \"field\" {{\n  name = \"Field\"\n  department_id = \"{desk}\"\n}}\n");
    wd.write_config(&ok);
    wd.apply();
    wd.write_config(&ok.replace(&format!("\"{desk}\""), "\"987654\""));
    let err = wd.apply_err();
    assert!(
        diagnostic_text(&err).contains("Invalid department_id"),
        "expected an error naming department_id:\n{err}"
    );
    assert_eq!(
        env.sim_one_named(Kind::Team, "Field")["department_id"].to_string(),
        desk,
        "the refused move changed the team"
    );
    // Back to the department that exists: the state still matches Halo.
    wd.write_config(&ok);
    wd.assert_plan_clean();
}
