//! Acceptance tests of `halopsa_department`: real Terraform, the provider under test
//! and halo-sim. Arguments (SPEC.md): `name` required; `organisation_id` required,
//! forces replacement; `notes` optional; `id` computed.

use crate::support::{id_of, Kind, TestEnv, Workdir};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_department.sales";
const DEPARTMENT_PATH: &str = "/api/TopLevel";

/// Two organisations (`acme`, `beta`) and a department "sales" whose arguments are
/// given as HCL expressions.
fn config(args: &[(&str, &str)]) -> String {
    let mut hcl = String::from(
        r#"resource "halopsa_organisation" "acme" {
  name = "Acme Ltd"
}

resource "halopsa_organisation" "beta" {
  name = "Beta Ltd"
}

resource "halopsa_department" "sales" {
"#,
    );
    for (name, expr) in args {
        hcl.push_str(&format!("  {name} = {expr}\n"));
    }
    hcl.push_str("}\n");
    hcl
}

const FULL: &[(&str, &str)] = &[
    ("name", "\"Sales\""),
    ("organisation_id", "halopsa_organisation.acme.id"),
    ("notes", "\"Pre-sales and renewals\""),
];

/// The one department in Halo with this name.
fn halo_department(env: &TestEnv, name: &str) -> Value {
    let found = env.sim_objects_named(Kind::Department, name);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one department named {name:?} in Halo, found {found:#?}"
    );
    found.into_iter().next().unwrap()
}

fn organisation_id(env: &TestEnv, name: &str) -> String {
    let found = env.sim_objects_named(Kind::Organisation, name);
    assert_eq!(found.len(), 1, "organisation {name:?}: {found:#?}");
    id_of(&found[0])
}

/// Apply the full configuration in a new working directory; return it and the
/// department's id.
fn create_sales(env: &TestEnv) -> (Workdir, String) {
    let wd = env.workdir();
    wd.write_config(&config(FULL));
    wd.apply();
    let id = wd.resource(ADDR)["id"]
        .as_str()
        .expect("id is a string in the state")
        .to_owned();
    (wd, id)
}

/// A line in which Terraform quotes configuration: `  8:   name = ""`.
fn is_quoted_source_line(line: &str) -> bool {
    match line.trim_start().split_once(':') {
        Some((number, _)) => !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

/// Terraform's error output without the lines quoting the configuration, so that
/// an attribute name found in it comes from the diagnostic itself.
fn diagnostic_text(err: &str) -> String {
    err.lines()
        .filter(|line| !is_quoted_source_line(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn create_update_replace_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = create_sales(&env);
    let acme = organisation_id(&env, "Acme Ltd");

    // Halo holds what the configuration says, under the id in the state.
    let halo = halo_department(&env, "Sales");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["organisation_id"].to_string(), acme);
    assert_eq!(halo["notes"], "Pre-sales and renewals");
    let state = wd.resource(ADDR);
    assert_eq!(state["organisation_id"], acme.as_str());
    assert_eq!(state["notes"], "Pre-sales and renewals");
    assert_eq!(state["name"], "Sales");
    wd.assert_plan_clean();

    // Renaming and dropping the notes is an in-place update that clears them.
    wd.write_config(&config(&[
        ("name", "\"Sales EMEA\""),
        ("organisation_id", "halopsa_organisation.acme.id"),
    ]));
    let plan = wd.plan_text();
    assert!(
        plan.contains(&format!("{ADDR} will be updated in-place"))
            && plan.contains("0 to add, 1 to change, 0 to destroy"),
        "expected an in-place update:\n{plan}"
    );
    wd.apply();
    let halo = halo_department(&env, "Sales EMEA");
    assert_eq!(id_of(&halo), id, "the update changed the id");
    assert_eq!(halo["notes"], "", "the notes were not cleared in Halo");
    let state = wd.resource(ADDR);
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["notes"], Value::Null);
    wd.assert_plan_clean();

    // Another organisation replaces the department.
    wd.write_config(&config(&[
        ("name", "\"Sales EMEA\""),
        ("organisation_id", "halopsa_organisation.beta.id"),
    ]));
    let plan = wd.plan_text();
    assert!(
        plan.contains(&format!("{ADDR} must be replaced"))
            && plan.contains("1 to add, 0 to change, 1 to destroy"),
        "expected a replacement:\n{plan}"
    );
    wd.apply();
    let beta = organisation_id(&env, "Beta Ltd");
    let replaced = halo_department(&env, "Sales EMEA");
    let new_id = id_of(&replaced);
    assert_ne!(new_id, id, "the department was not replaced");
    assert_eq!(replaced["organisation_id"].to_string(), beta);
    assert_eq!(wd.resource(ADDR)["id"], new_id.as_str());
    assert!(!env
        .sim
        .objects(Kind::Department)
        .iter()
        .any(|d| id_of(d) == id));
    wd.assert_plan_clean();

    // Destroy removes everything it made; the seed data stays.
    wd.destroy();
    assert!(env
        .sim_objects_named(Kind::Department, "Sales EMEA")
        .is_empty());
    assert!(env
        .sim_objects_named(Kind::Organisation, "Acme Ltd")
        .is_empty());
    assert!(wd.try_resource(ADDR).is_none());
    halo_department(&env, "Service Desk");
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = create_sales(&env);
    let expected = created.resource(ADDR);
    let acme = organisation_id(&env, "Acme Ltd");
    let posts_before = env.request_count("POST", DEPARTMENT_PATH);
    // The department alone, on an organisation given by id.
    let alone = format!(
        "resource \"halopsa_department\" \"sales\" {{\n  name = \"Sales\"\n  \
         organisation_id = {}\n  notes = \"Pre-sales and renewals\"\n}}\n",
        json!(acme)
    );

    let by_block = env.workdir();
    by_block.write_config(&format!(
        "import {{\n  to = {ADDR}\n  id = {}\n}}\n\n{alone}",
        json!(id)
    ));
    let plan = by_block.plan_text();
    assert!(
        plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "expected a plan that only imports:\n{plan}"
    );
    by_block.apply();
    assert_eq!(by_block.resource(ADDR), expected);
    by_block.assert_plan_clean();

    let by_command = env.workdir();
    by_command.write_config(&alone);
    by_command.import(ADDR, &id);
    assert_eq!(by_command.resource(ADDR), expected);
    by_command.assert_plan_clean();

    assert_eq!(
        env.request_count("POST", DEPARTMENT_PATH),
        posts_before,
        "importing wrote to Halo"
    );

    // An id that does not exist is an error, and nothing lands in the state.
    let missing = env.workdir();
    missing.write_config(&alone);
    missing.run_err(&["import", "-input=false", "-no-color", ADDR, "987654"]);
    assert!(missing.try_resource(ADDR).is_none());
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = create_sales(&env);

    // Edited by hand: planned as an in-place update back to the configuration.
    assert!(env.sim.patch(
        Kind::Department,
        &id,
        json!({"name": "Renamed by hand", "notes": "edited"})
    ));
    let plan = wd.plan_text();
    assert!(
        plan.contains(&format!("{ADDR} will be updated in-place"))
            && plan.contains("Renamed by hand"),
        "expected the hand edit to be undone in place:\n{plan}"
    );
    wd.apply();
    let halo = halo_department(&env, "Sales");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["notes"], "Pre-sales and renewals");
    wd.assert_plan_clean();

    // Moved to another organisation by hand: planned as a replacement.
    let beta = organisation_id(&env, "Beta Ltd");
    let beta_int: i64 = beta.parse().unwrap();
    assert!(env
        .sim
        .patch(Kind::Department, &id, json!({"organisation_id": beta_int})));
    let plan = wd.plan_text();
    assert!(
        plan.contains(&format!("{ADDR} must be replaced")),
        "expected the moved department to be replaced:\n{plan}"
    );
    wd.apply();
    let id = id_of(&halo_department(&env, "Sales"));
    wd.assert_plan_clean();

    // Deleted by hand: planned for re-creation.
    assert!(env.sim.remove(Kind::Department, &id));
    let plan = wd.plan_text();
    assert!(
        plan.contains(&format!("{ADDR} will be created"))
            && plan.contains("1 to add, 0 to change, 0 to destroy"),
        "expected the deleted department to be planned for creation:\n{plan}"
    );
    wd.apply();
    let recreated = halo_department(&env, "Sales");
    assert_eq!(wd.resource(ADDR)["id"], id_of(&recreated).as_str());
    wd.assert_plan_clean();
}

#[test]
fn bad_values_are_rejected_and_nothing_is_created() {
    let env = TestEnv::new();
    let departments_before = env.sim.objects(Kind::Department).len();
    let main = organisation_id(&env, "Main Organisation");

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
    for (attribute, body) in &cases {
        let wd = env.workdir();
        wd.write_config(&format!(
            "resource \"halopsa_department\" \"sales\" {{\n  {body}\n}}\n"
        ));
        for err in [wd.plan_err(), wd.apply_err()] {
            let diagnostic = diagnostic_text(&err);
            assert!(
                diagnostic.contains("Error:")
                    && diagnostic.contains(&format!("with {ADDR}"))
                    && diagnostic.contains(attribute),
                "expected an error on {ADDR} that names `{attribute}`:\n{err}"
            );
        }
        assert!(wd.try_resource(ADDR).is_none());
    }
    assert_eq!(
        env.request_count("POST", "/api/"),
        0,
        "a request to create was sent; the journal:\n{}",
        env.journal_summary()
    );

    // An organisation that does not exist: Halo refuses it, the error names the
    // attribute and nothing is created.
    let wd = env.workdir();
    wd.write_config(
        "resource \"halopsa_department\" \"sales\" {\n  name = \"Sales\"\n  \
         organisation_id = \"987654\"\n}\n",
    );
    let err = wd.apply_err();
    let diagnostic = diagnostic_text(&err);
    assert!(
        diagnostic.contains("Invalid organisation_id") && diagnostic.contains("987654"),
        "expected an error naming organisation_id:\n{err}"
    );
    assert_eq!(env.sim.objects(Kind::Department).len(), departments_before);
    assert!(wd.try_resource(ADDR).is_none());
}
