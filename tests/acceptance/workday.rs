//! Acceptance tests of `halopsa_workday`: real Terraform, the provider under test
//! and halo-sim. Arguments (docs/resources/workday.md): `name` required;
//! `timezone` optional; `days` optional (left out: Halo's are kept); `id` computed.

use crate::support::{id_of, Action, Fixture, Kind, TestEnv};
use serde_json::json;

const ADDR: &str = "halopsa_workday.office";

const SUBJECT: Fixture = Fixture {
    prelude: "",
    type_name: "halopsa_workday",
    name: "office",
};

const BASIC: &[(&str, &str)] = &[
    ("name", "\"Office Hours\""),
    ("timezone", "\"GMT Standard Time\""),
    (
        "days",
        "[\"monday\", \"tuesday\", \"wednesday\", \"thursday\", \"friday\"]",
    ),
];

#[test]
fn create_update_in_place_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);

    let halo = env.sim_one_named(Kind::Workday, "Office Hours");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["timezone"], "GMT Standard Time");
    assert_eq!(halo["incmonday"], true);
    assert_eq!(halo["incfriday"], true);
    assert_eq!(halo["incsaturday"], false);
    let state = wd.resource(ADDR);
    assert_eq!(state["days"].as_array().map(Vec::len), Some(5));
    wd.assert_plan_clean();

    // Renamed, another time zone, the weekend added and Monday dropped: in place.
    wd.write_config(&SUBJECT.config(&[
        ("name", "\"Support Hours\""),
        ("timezone", "\"Pacific Standard Time\""),
        (
            "days",
            "[\"tuesday\", \"wednesday\", \"thursday\", \"friday\", \"saturday\", \"sunday\"]",
        ),
    ]));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    let halo = env.sim_one_named(Kind::Workday, "Support Hours");
    assert_eq!(id_of(&halo), id, "the update changed the id");
    assert_eq!(halo["timezone"], "Pacific Standard Time");
    assert_eq!(halo["incmonday"], false);
    assert_eq!(halo["incsunday"], true);
    wd.assert_plan_clean();

    // `days` left out: Halo's days are kept and read back.
    wd.write_config(&SUBJECT.config(&[("name", "\"Support Hours\"")]));
    wd.apply();
    let halo = env.sim_one_named(Kind::Workday, "Support Hours");
    assert_eq!(halo["incsunday"], true);
    assert_eq!(halo["timezone"], "", "an unset time zone is cleared");
    assert_eq!(wd.resource(ADDR)["days"].as_array().map(Vec::len), Some(6));
    wd.assert_plan_clean();

    wd.destroy();
    assert!(env
        .sim_objects_named(Kind::Workday, "Support Hours")
        .is_empty());
    // The seeded work hours stay.
    env.sim_one_named(Kind::Workday, "Standard Hours");
}

#[test]
fn import_and_drift() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    let expected = created.resource(ADDR);
    let alone = SUBJECT.config(BASIC);
    env.assert_imports(&alone, &[(ADDR, &id)], ADDR, &expected);
    env.assert_import_fails(&alone, ADDR, "987654");

    // Changed in Halo by hand: planned as an in-place update back.
    assert!(env.sim.patch(
        Kind::Workday,
        &id,
        json!({"incmonday": false, "timezone": "UTC"})
    ));
    let plan = created.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(plan.changed_attributes(ADDR), ["days", "timezone"]);
    created.apply();
    let halo = env.sim_one_named(Kind::Workday, "Office Hours");
    assert_eq!(halo["incmonday"], true);
    assert_eq!(halo["timezone"], "GMT Standard Time");
    created.assert_plan_clean();

    // Deleted by hand: planned for re-creation.
    assert!(env.sim.remove(Kind::Workday, &id));
    created.plan_json().assert_only(ADDR, Action::Create);
}

#[test]
fn bad_values_are_refused_at_plan_naming_the_attribute() {
    let env = TestEnv::new();
    let cases = [
        ("name", "name = \"\"".to_string()),
        (
            "days",
            "name = \"W\"\n  days = [\"monday\", \"funday\"]".to_string(),
        ),
        ("timezone", "name = \"W\"\n  timezone = \"\"".to_string()),
    ];
    env.assert_refused_at_plan("halopsa_workday", "office", &cases);
}
