//! Acceptance tests of `halopsa_workday`: real Terraform, the provider under test
//! and halo-sim. Arguments (docs/resources/workday.md): `name` required;
//! `timezone` optional; `days` optional (left out: Halo's are kept); `id` computed.

use crate::support::{id_of, Fixture, Kind, Lifecycle, Store, TestEnv};
use serde_json::json;

const ADDR: &str = "halopsa_workday.office";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: "",
        type_name: "halopsa_workday",
        name: "office",
    },
    store: Store::Kind(Kind::Workday),
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
    let halo = SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Support Hours\""),
            ("timezone", "\"Pacific Standard Time\""),
            (
                "days",
                "[\"tuesday\", \"wednesday\", \"thursday\", \"friday\", \"saturday\", \"sunday\"]",
            ),
        ],
    );
    assert_eq!(
        id_of(&env.sim_one_named(Kind::Workday, "Support Hours")),
        id
    );
    assert_eq!(halo["timezone"], "Pacific Standard Time");
    assert_eq!(halo["incmonday"], false);
    assert_eq!(halo["incsunday"], true);

    // `days` left out: Halo's days are kept and read back.
    let halo = SUBJECT.assert_reapplied(&env, &wd, &id, &[("name", "\"Support Hours\"")]);
    assert_eq!(halo["incsunday"], true);
    assert_eq!(halo["timezone"], "", "an unset time zone is cleared");
    assert_eq!(wd.resource(ADDR)["days"].as_array().map(Vec::len), Some(6));

    SUBJECT.assert_destroyed(&env, &wd, &id);
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
    SUBJECT.assert_imports(&env, &created, &SUBJECT.config(BASIC), &[], &id);

    // Changed in Halo by hand: planned as an in-place update back.
    let halo = SUBJECT.assert_drift_undone(
        &env,
        &created,
        &id,
        json!({"incmonday": false, "timezone": "UTC"}),
        &["days", "timezone"],
        |_| {},
    );
    assert_eq!(halo["incmonday"], true);
    assert_eq!(halo["timezone"], "GMT Standard Time");

    // Deleted by hand: planned for re-creation.
    SUBJECT.assert_removal_planned(&env, &created, &id);
}

#[test]
fn bad_values_are_refused_at_plan_naming_the_attribute() {
    let env = TestEnv::new();
    SUBJECT.assert_refused_at_plan(
        &env,
        &[
            ("name", "name = \"\""),
            ("days", "name = \"W\"\n  days = [\"monday\", \"funday\"]"),
            ("timezone", "name = \"W\"\n  timezone = \"\""),
        ],
    );
}
