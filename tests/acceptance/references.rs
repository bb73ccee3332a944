//! Plan-time reference checks: an attribute that holds another object's id (or
//! name) and whose value is known at plan must name an object Halo has, so a
//! mistake fails `terraform plan` naming the attribute, before anything is
//! created. Values known only after apply are not checked, and the look-ups
//! cost one list per referenced kind however many resources refer to it.

use crate::support::{diagnostics, Kind, TestEnv, TWO_DEPARTMENTS};

#[test]
fn a_team_in_a_missing_department_fails_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    let wd = env.workdir();
    // The organisation and departments would be created by the same apply: the
    // failing plan must stop them too.
    wd.write_config(&format!(
        "{TWO_DEPARTMENTS}\nresource \"halopsa_team\" \"field\" {{\n  name = \"Field\"\n  \
         department_id = \"999999\"\n}}\n"
    ));
    let diags = wd.plan_diagnostics();
    diagnostics::assert_one_error_naming(&diags, "halopsa_team.field", "department_id");
    let text: String = diags.iter().map(|d| d.text()).collect();
    assert!(
        text.contains("halopsa_department 999999 does not exist"),
        "the error does not say which object is missing: {diags:#?}"
    );
    wd.apply_err();
    assert_eq!(
        env.halo_writes(),
        0,
        "something was written; the journal:\n{}",
        env.journal_summary()
    );
    assert!(env
        .sim_objects_named(Kind::Organisation, "Acme Ltd")
        .is_empty());
}

#[test]
fn a_ticket_type_with_a_missing_sla_fails_at_plan() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(
        "resource \"halopsa_ticket_type\" \"incident\" {\n  name = \"Incident\"\n  \
         sla_id = \"999999\"\n}\n",
    );
    let diags = wd.plan_diagnostics();
    diagnostics::assert_one_error_naming(&diags, "halopsa_ticket_type.incident", "sla_id");
    let text: String = diags.iter().map(|d| d.text()).collect();
    assert!(text.contains("halopsa_sla 999999"), "{diags:#?}");
    assert_eq!(env.request_count("POST", "/api/"), 0);
}

#[test]
fn a_reference_known_only_after_apply_plans_and_applies() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&format!(
        "{TWO_DEPARTMENTS}\nresource \"halopsa_team\" \"field\" {{\n  name = \"Field\"\n  \
         department_id = halopsa_department.north.id\n}}\n"
    ));
    wd.apply();
    let north = env.sim_id_named(Kind::Department, "North");
    let team = env.sim_one_named(Kind::Team, "Field");
    assert_eq!(team["department_id"].to_string(), north);
    // Now known, the reference is checked on every plan, and it holds.
    wd.assert_plan_clean();
}

#[test]
fn a_plan_of_many_teams_lists_their_department_once() {
    let env = TestEnv::new();
    let desk = env.sim_id_named(Kind::Department, "Service Desk");
    let wd = env.workdir();
    let teams: String = (1..=20)
        .map(|i| {
            format!(
                "resource \"halopsa_team\" \"t{i}\" {{\n  name = \"Team {i}\"\n  \
                 department_id = \"{desk}\"\n}}\n"
            )
        })
        .collect();
    wd.write_config(&teams);
    // Halo's departments are `/api/TopLevel` (docs/halo-api.md).
    let before = env.request_count("GET", "/api/TopLevel");
    let plan = wd.plan_json();
    assert_eq!(
        plan.resource_changes().len(),
        20,
        "{:?}",
        plan.resource_changes()
    );
    let lists = env.request_count("GET", "/api/TopLevel") - before;
    assert_eq!(
        lists,
        1,
        "20 checks of one department should cost one list; the journal:\n{}",
        env.journal_summary()
    );
}
