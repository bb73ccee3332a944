//! Acceptance tests of `halopsa_team`: real Terraform, the provider under test and
//! halo-sim. Arguments (docs/resources/team.md): `name` required; `department_id` required (a team
//! moves between departments in place); `inactive` optional, default false; `id`
//! computed.

use crate::support::{diagnostic_text, id_of, Action, Fixture, Kind, TestEnv, TWO_DEPARTMENTS};
use serde_json::json;

const ADDR: &str = "halopsa_team.field";

const SUBJECT: Fixture = Fixture {
    prelude: TWO_DEPARTMENTS,
    type_name: "halopsa_team",
    name: "field",
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
    wd.write_config(&SUBJECT.config(&[
        ("name", "\"Field Service\""),
        ("department_id", "halopsa_department.south.id"),
        ("inactive", "true"),
    ]));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    let south = env.sim_id_named(Kind::Department, "South");
    let halo = env.sim_one_named(Kind::Team, "Field Service");
    assert_eq!(id_of(&halo), id, "the move changed the id");
    assert_eq!(halo["department_id"].to_string(), south);
    assert_eq!(halo["inactive"], true);
    let state = wd.resource(ADDR);
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["department_id"], south.as_str());
    assert_eq!(state["inactive"], true);
    wd.assert_plan_clean();

    // Leaving `inactive` out again goes back to the default: active.
    wd.write_config(&SUBJECT.config(&[
        ("name", "\"Field Service\""),
        ("department_id", "halopsa_department.south.id"),
    ]));
    wd.apply();
    assert_eq!(
        env.sim_one_named(Kind::Team, "Field Service")["inactive"],
        false
    );
    wd.assert_plan_clean();

    // Destroy removes everything it made; the seed data stays.
    wd.destroy();
    assert!(env
        .sim_objects_named(Kind::Team, "Field Service")
        .is_empty());
    assert!(env.sim_objects_named(Kind::Department, "South").is_empty());
    assert!(wd.try_resource(ADDR).is_none());
    env.sim_one_named(Kind::Team, "1st Line Support");
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    let expected = created.resource(ADDR);
    let north = env.sim_id_named(Kind::Department, "North");
    let alone = format!(
        "resource \"halopsa_team\" \"field\" {{\n  name = \"Field Engineers\"\n  \
         department_id = {}\n}}\n",
        json!(north)
    );

    env.assert_imports(&alone, &[(ADDR, &id)], ADDR, &expected);

    env.assert_import_fails(&alone, ADDR, "987654");
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let north = env.sim_id_named(Kind::Department, "North");
    let south: i64 = env.sim_id_named(Kind::Department, "South").parse().unwrap();

    // Moved and deactivated by hand: planned as an in-place update back.
    assert!(env.sim.patch(
        Kind::Team,
        &id,
        json!({"department_id": south, "inactive": true})
    ));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(
        plan.changed_attributes(ADDR),
        ["department_id", "inactive"],
        "expected the hand edit to be undone"
    );
    assert_eq!(
        plan.before_after(ADDR, "inactive"),
        (&json!(true), &json!(false))
    );
    wd.apply();
    let halo = env.sim_one_named(Kind::Team, "Field Engineers");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["department_id"].to_string(), north);
    assert_eq!(halo["inactive"], false);
    wd.assert_plan_clean();

    // Deleted by hand: planned for re-creation.
    assert!(env.sim.remove(Kind::Team, &id));
    wd.plan_json().assert_only(ADDR, Action::Create);
    wd.apply();
    let recreated = env.sim_one_named(Kind::Team, "Field Engineers");
    assert_eq!(wd.resource(ADDR)["id"], id_of(&recreated).as_str());
    wd.assert_plan_clean();
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
    env.assert_refused_at_plan("halopsa_team", "field", &cases);

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
