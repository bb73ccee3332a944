//! Acceptance tests of the `halopsa_organisation`, `halopsa_department`,
//! `halopsa_team` and `halopsa_workday` data sources: each finds exactly one object
//! by `name` (exact, case-sensitive) and/or `id`; none or several is an error that
//! says which.

use crate::support::{id_of, Kind, TestEnv};
use serde_json::{json, Value};

/// The one object of `kind` in Halo with this name.
fn only(env: &TestEnv, kind: Kind, name: &str) -> Value {
    env.sim_one_named(kind, name)
}

/// Plans `hcl` in a fresh working directory, expecting it to fail; returns the
/// error output with every run of white space made one space (Terraform wraps
/// long diagnostic lines).
fn plan_error(env: &TestEnv, hcl: &str) -> String {
    let wd = env.workdir();
    wd.write_config(hcl);
    wd.plan_err()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn found_by_name_by_id_and_by_both() {
    let env = TestEnv::new();
    let org = only(&env, Kind::Organisation, "Main Organisation");
    let desk = only(&env, Kind::Department, "Service Desk");
    let first = only(&env, Kind::Team, "1st Line Support");
    let hours = only(&env, Kind::Workday, "Standard Hours");
    let (org_id, desk_id, first_id, hours_id) =
        (id_of(&org), id_of(&desk), id_of(&first), id_of(&hours));
    // An inactive team is found too.
    let second_id = id_of(&only(&env, Kind::Team, "2nd Line Support"));
    assert!(env
        .sim
        .patch(Kind::Team, &second_id, json!({"inactive": true})));
    assert!(env.sim.patch(
        Kind::Organisation,
        &org_id,
        json!({"email": "it@main.example", "website": "https://main.example"})
    ));

    let wd = env.workdir();
    wd.write_config(&format!(
        r#"
data "halopsa_organisation" "by_name" {{
  name = "Main Organisation"
}}
data "halopsa_organisation" "by_id" {{
  id = "{org_id}"
}}
data "halopsa_department" "by_name" {{
  name = "Service Desk"
}}
data "halopsa_department" "by_id" {{
  id = "{desk_id}"
}}
data "halopsa_department" "in_org" {{
  name            = "Service Desk"
  organisation_id = data.halopsa_organisation.by_name.id
}}
data "halopsa_team" "by_name" {{
  name = "1st Line Support"
}}
data "halopsa_team" "by_id" {{
  id = "{first_id}"
}}
data "halopsa_team" "inactive" {{
  name          = "2nd Line Support"
  department_id = data.halopsa_department.by_name.id
}}
data "halopsa_workday" "by_name" {{
  name = "Standard Hours"
}}
data "halopsa_workday" "by_both" {{
  id   = "{hours_id}"
  name = "Standard Hours"
}}

# A look-up of an object this configuration creates waits for it.
resource "halopsa_organisation" "new" {{
  name = "Acme Ltd"
}}
data "halopsa_organisation" "new" {{
  id = halopsa_organisation.new.id
}}
"#
    ));
    wd.apply();

    let organisation = json!({
        "id": org_id, "name": "Main Organisation", "email": "it@main.example",
        "phone": null, "website": "https://main.example", "reply_address": null,
    });
    assert_eq!(
        wd.resource("data.halopsa_organisation.by_name"),
        organisation
    );
    assert_eq!(wd.resource("data.halopsa_organisation.by_id"), organisation);

    let department = json!({
        "id": desk_id, "name": "Service Desk", "organisation_id": org_id, "notes": null,
    });
    for addr in ["by_name", "by_id", "in_org"] {
        assert_eq!(
            wd.resource(&format!("data.halopsa_department.{addr}")),
            department,
            "data.halopsa_department.{addr}"
        );
    }

    let team = json!({
        "id": first_id, "name": "1st Line Support", "department_id": desk_id, "inactive": false,
    });
    assert_eq!(wd.resource("data.halopsa_team.by_name"), team);
    assert_eq!(wd.resource("data.halopsa_team.by_id"), team);
    assert_eq!(
        wd.resource("data.halopsa_team.inactive"),
        json!({
            "id": second_id, "name": "2nd Line Support", "department_id": desk_id,
            "inactive": true,
        })
    );

    let workday = json!({
        "id": hours_id, "name": "Standard Hours", "timezone": "GMT Standard Time",
    });
    assert_eq!(wd.resource("data.halopsa_workday.by_name"), workday);
    assert_eq!(wd.resource("data.halopsa_workday.by_both"), workday);

    let created = only(&env, Kind::Organisation, "Acme Ltd");
    assert_eq!(
        wd.resource("data.halopsa_organisation.new")["name"],
        "Acme Ltd"
    );
    assert_eq!(
        wd.resource("data.halopsa_organisation.new")["id"],
        id_of(&created).as_str()
    );
    wd.assert_plan_clean();
}

#[test]
fn nothing_found_is_an_error_that_says_what_was_looked_for() {
    let env = TestEnv::new();
    let desk_id = id_of(&only(&env, Kind::Department, "Service Desk"));
    let other_org = id_of(&env.sim.insert(Kind::Organisation, json!({"name": "Other"})));

    let cases = [
        // Names match exactly: case matters, and Halo's substring search is not enough.
        (
            r#"data "halopsa_organisation" "x" { name = "main organisation" }"#.to_string(),
            "No organisation found",
            r#"name = "main organisation""#.to_string(),
        ),
        (
            r#"data "halopsa_department" "x" { name = "Service" }"#.to_string(),
            "No department found",
            r#"name = "Service""#.to_string(),
        ),
        (
            r#"data "halopsa_team" "x" { id = "987654" }"#.to_string(),
            "No team found",
            r#"id = "987654""#.to_string(),
        ),
        (
            r#"data "halopsa_workday" "x" { name = "Night Shift" }"#.to_string(),
            "No work hours found",
            r#"name = "Night Shift""#.to_string(),
        ),
        // An id and a name that belong to different objects.
        (
            format!(
                "data \"halopsa_department\" \"x\" {{\n id = \"{desk_id}\"\n name = \"Sales\"\n}}"
            ),
            "No department found",
            format!(r#"id = "{desk_id}", name = "Sales""#),
        ),
        // A filter that the object does not meet.
        (
            format!(
                "data \"halopsa_department\" \"x\" {{\n name = \"Service Desk\"\n \
                 organisation_id = \"{other_org}\"\n}}"
            ),
            "No department found",
            format!(r#"organisation_id = "{other_org}""#),
        ),
    ];
    for (hcl, summary, detail) in &cases {
        let err = plan_error(&env, hcl);
        assert!(
            err.contains(summary) && err.contains(detail.as_str()),
            "expected {summary:?} with {detail:?} for\n{hcl}\n{err}"
        );
    }

    // Neither id nor name: an error naming both, before anything is asked of Halo.
    let before = env.request_count("GET", "/api/");
    for kind in ["organisation", "department", "team", "workday"] {
        let err = plan_error(&env, &format!("data \"halopsa_{kind}\" \"x\" {{}}"));
        assert!(
            err.contains("id or name required") && err.contains("`id`") && err.contains("`name`"),
            "expected an error naming id and name for halopsa_{kind}:\n{err}"
        );
    }
    assert_eq!(env.request_count("GET", "/api/"), before);
}

#[test]
fn several_found_is_an_error_that_lists_them() {
    let env = TestEnv::new();
    let main_org = id_of(&only(&env, Kind::Organisation, "Main Organisation"));
    let main_org_int: i64 = main_org.parse().unwrap();

    // Two of each, named alike, made in Halo by hand.
    let other_org = env.sim.insert(Kind::Organisation, json!({"name": "Twin"}));
    let orgs = [
        id_of(&other_org),
        id_of(&env.sim.insert(Kind::Organisation, json!({"name": "Twin"}))),
    ];
    let other_org_int = other_org["id"].as_i64().unwrap();
    let departments = [
        id_of(&env.sim.insert(
            Kind::Department,
            json!({"name": "Twin", "organisation_id": main_org_int, "notes": ""}),
        )),
        id_of(&env.sim.insert(
            Kind::Department,
            json!({"name": "Twin", "organisation_id": other_org_int, "notes": ""}),
        )),
    ];
    let dep_ints: Vec<i64> = departments.iter().map(|d| d.parse().unwrap()).collect();
    let teams = [
        id_of(&env.sim.insert(
            Kind::Team,
            json!({"name": "Twin", "department_id": dep_ints[0], "inactive": false}),
        )),
        id_of(&env.sim.insert(
            Kind::Team,
            json!({"name": "Twin", "department_id": dep_ints[1], "inactive": true}),
        )),
    ];
    let workdays = [
        id_of(
            &env.sim
                .insert(Kind::Workday, json!({"name": "Twin", "timezone": "UTC"})),
        ),
        id_of(
            &env.sim
                .insert(Kind::Workday, json!({"name": "Twin", "timezone": "UTC"})),
        ),
    ];

    for (kind, ids) in [
        ("organisation", &orgs),
        ("department", &departments),
        ("team", &teams),
        ("workday", &workdays),
    ] {
        let err = plan_error(
            &env,
            &format!("data \"halopsa_{kind}\" \"x\" {{\n  name = \"Twin\"\n}}"),
        );
        let listed = format!("ids {}, {}", ids[0], ids[1]);
        assert!(
            err.contains("Several") && err.contains("2 objects") && err.contains(&listed),
            "expected an error listing {listed:?} for halopsa_{kind}:\n{err}"
        );
    }

    // A filter or an id picks one.
    let wd = env.workdir();
    wd.write_config(&format!(
        r#"
data "halopsa_department" "main" {{
  name            = "Twin"
  organisation_id = "{main_org}"
}}
data "halopsa_team" "other" {{
  name          = "Twin"
  department_id = "{}"
}}
data "halopsa_workday" "second" {{
  id   = "{}"
  name = "Twin"
}}
"#,
        departments[1], workdays[1]
    ));
    wd.apply();
    assert_eq!(
        wd.resource("data.halopsa_department.main")["id"],
        departments[0].as_str()
    );
    assert_eq!(
        wd.resource("data.halopsa_team.other")["id"],
        teams[1].as_str()
    );
    assert_eq!(wd.resource("data.halopsa_team.other")["inactive"], true);
    assert_eq!(
        wd.resource("data.halopsa_workday.second")["id"],
        workdays[1].as_str()
    );
}
