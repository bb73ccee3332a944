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

/// A reference by name is known at plan even when the same apply creates the
/// object (`default_team = halopsa_team.x.name`): the plan of the team, which
/// Terraform makes first, offers its name, so the agent plans and applies.
#[test]
fn a_name_known_at_plan_of_an_object_the_apply_creates_plans_and_applies() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&format!(
        "{TWO_DEPARTMENTS}
resource \"halopsa_team\" \"field\" {{\n  name = \"Field Crew\"\n  \
         department_id = halopsa_department.north.id\n}}\n\
         resource \"halopsa_agent\" \"jo\" {{\n  name = \"jo.field\"\n  \
         default_team = halopsa_team.field.name\n}}\n"
    ));
    wd.apply();
    assert_eq!(wd.resource("halopsa_agent.jo")["default_team"], "Field Crew");
    // A name that nothing has or plans is still refused at plan.
    let other = env.workdir();
    other.write_config(
        "resource \"halopsa_agent\" \"kim\" {\n  name = \"kim.field\"\n  \
         default_team = \"No Such Crew\"\n}\n",
    );
    let diags = other.plan_diagnostics();
    diagnostics::assert_one_error_naming(&diags, "halopsa_agent.kim", "default_team");
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

/// A referenced object deleted in Halo after the apply: the state held the
/// reference, so the plan warns (naming the attribute) instead of failing, and
/// `terraform destroy`, whose first step is such a plan, is not blocked. The
/// same id written anew in another configuration is still an error.
#[test]
fn a_reference_deleted_in_halo_warns_and_the_destroy_proceeds() {
    let env = TestEnv::new();
    let desk = env.sim_id_named(Kind::Department, "Service Desk");
    let team = |addr: &str, name: &str| {
        format!(
            "resource \"halopsa_team\" \"{addr}\" {{\n  name = \"{name}\"\n  \
             department_id = \"{desk}\"\n}}\n"
        )
    };
    let wd = env.workdir();
    wd.write_config(&team("field", "Field"));
    wd.apply();
    assert!(env.sim.remove(Kind::Department, &desk));

    let out = wd.run(&["plan", "-json", "-input=false"], &[]);
    assert!(out.success(), "a deleted reference must not fail the plan\n{out}");
    let diags = diagnostics::parse_json_diagnostics(&out.stdout);
    let warnings: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == "warning" && d.address.is_some())
        .collect();
    assert!(
        warnings.len() == 1
            && warnings[0].address.as_deref() == Some("halopsa_team.field")
            && warnings[0].text().contains("department_id")
            && warnings[0].text().contains("deleted in Halo"),
        "expected one warning on halopsa_team.field naming department_id: {diags:#?}"
    );

    let other = env.workdir();
    other.write_config(&team("other", "Other"));
    let diags = other.plan_diagnostics();
    diagnostics::assert_one_error_naming(&diags, "halopsa_team.other", "department_id");

    wd.destroy();
    assert!(env.sim_objects_named(Kind::Team, "Field").is_empty());
    assert!(wd.try_resource("halopsa_team.field").is_none());
}
