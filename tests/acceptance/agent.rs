//! Acceptance tests of `halopsa_agent`: real Terraform, the provider under test and
//! halo-sim. Arguments (docs/resources/agent.md): `name` (username) required; `email`,
//! `first_name`, `surname`, `default_team` (a team name), `workday_id`, `role_ids`
//! optional; `is_api_agent`, `is_disabled` optional (default false); `id` computed.

use crate::support::{id_of, Action, Kind, TestEnv, Workdir};
use halo_sim::{Fault, FaultAction};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_agent.jo";
const AGENTS_PATH: &str = "/api/Agent";

/// Two roles to hand out, then `halopsa_agent "jo"` with the given argument lines.
fn agent_config(args: &str) -> String {
    format!(
        r#"resource "halopsa_role" "support" {{
  name = "Support"
}}

resource "halopsa_role" "billing" {{
  name = "Billing"
}}

resource "halopsa_agent" "jo" {{
{args}
}}
"#
    )
}

/// The id of the seed data's object of `kind` named `name`.
fn seed_id(env: &TestEnv, kind: Kind, name: &str) -> String {
    env.sim_id_named(kind, name)
}

/// The one agent in Halo with this username.
fn halo_agent(env: &TestEnv, name: &str) -> Value {
    env.sim_one_named(Kind::Agent, name)
}

/// The role ids Halo holds for an agent, sorted.
fn halo_role_ids(agent: &Value) -> Vec<String> {
    let mut ids: Vec<String> = agent["roles"]
        .as_array()
        .unwrap_or_else(|| panic!("agent has no roles list: {agent:#}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// The role ids in the state, sorted.
fn state_role_ids(state: &Value) -> Vec<String> {
    let mut ids: Vec<String> = state["role_ids"]
        .as_array()
        .unwrap_or_else(|| panic!("no role_ids in {state:#}"))
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn role_id(wd: &Workdir, name: &str) -> String {
    wd.resource_id(&format!("halopsa_role.{name}"))
}

/// No agent write the provider sent carried `departments`.
fn assert_no_department_writes(env: &TestEnv) {
    for entry in env.sim.journal() {
        if entry.method == "POST" && entry.path.eq_ignore_ascii_case(AGENTS_PATH) {
            for element in entry
                .body
                .iter()
                .flat_map(|b| b.as_array().cloned().unwrap_or_default())
            {
                assert!(
                    element.get("departments").is_none(),
                    "an agent write carried departments: {element:#}"
                );
            }
        }
    }
}

fn full_args(env: &TestEnv) -> String {
    format!(
        r#"  name         = "jo"
  email        = "jo@acme.example"
  first_name   = "Jo"
  surname      = "Bloggs"
  default_team = "1st Line Support"
  workday_id   = "{}"
  role_ids     = [halopsa_role.support.id]"#,
        seed_id(env, Kind::Workday, "Standard Hours")
    )
}

fn create_jo(env: &TestEnv) -> (Workdir, String) {
    let wd = env.applied(&agent_config(&full_args(env)));
    let id = wd.resource_id(ADDR);
    (wd, id)
}

#[test]
fn create_update_and_destroy() {
    let env = TestEnv::new();
    let (wd, id) = create_jo(&env);
    let support = role_id(&wd, "support");
    let billing = role_id(&wd, "billing");
    let standard = seed_id(&env, Kind::Workday, "Standard Hours");

    let halo = halo_agent(&env, "jo");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["email"], "jo@acme.example");
    assert_eq!(halo["firstname"], "Jo");
    assert_eq!(halo["surname"], "Bloggs");
    assert_eq!(halo["team"], "1st Line Support");
    assert_eq!(halo["workday_id"].to_string(), standard);
    assert_eq!(halo["isapiagent"], false);
    assert_eq!(halo["isdisabled"], false);
    assert_eq!(halo_role_ids(&halo), vec![support.clone()]);
    let state = wd.resource(ADDR);
    assert_eq!(state["first_name"], "Jo");
    assert_eq!(state["default_team"], "1st Line Support");
    assert_eq!(state["workday_id"], standard.as_str());
    assert_eq!(state["is_api_agent"], false);
    assert_eq!(state["is_disabled"], false);
    assert_eq!(state_role_ids(&state), vec![support.clone()]);
    wd.assert_plan_clean();

    // In place: names, team, work hours, both roles, disabled.
    let all_day = seed_id(&env, Kind::Workday, "24/7 Support");
    wd.write_config(&agent_config(&format!(
        r#"  name         = "jo.bloggs"
  first_name   = "Joanna"
  default_team = "2nd Line Support"
  workday_id   = "{all_day}"
  role_ids     = [halopsa_role.support.id, halopsa_role.billing.id]
  is_disabled  = true"#
    )));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    assert_eq!(wd.resource(ADDR)["id"], id.as_str());
    let halo = halo_agent(&env, "jo.bloggs");
    assert_eq!(halo["firstname"], "Joanna");
    assert_eq!(halo["surname"], "");
    assert_eq!(halo["email"], "");
    assert_eq!(halo["team"], "2nd Line Support");
    assert_eq!(halo["workday_id"].to_string(), all_day);
    assert_eq!(halo["isdisabled"], true);
    let mut both = vec![support.clone(), billing];
    both.sort();
    assert_eq!(halo_role_ids(&halo), both);
    wd.assert_plan_clean();

    // An explicit empty set removes every role.
    wd.write_config(&agent_config(
        r#"  name     = "jo.bloggs"
  role_ids = []"#,
    ));
    wd.apply();
    let halo = halo_agent(&env, "jo.bloggs");
    assert!(halo_role_ids(&halo).is_empty());
    assert_eq!(halo["team"], "");
    assert_eq!(halo["isdisabled"], false);
    // Work hours left out are kept as they were.
    assert_eq!(halo["workday_id"].to_string(), all_day);
    wd.assert_plan_clean();
    assert_no_department_writes(&env);

    wd.destroy();
    assert!(
        env.sim_object(Kind::Agent, &id).is_none(),
        "agent {id} is still in Halo after destroy"
    );
    assert!(wd.try_resource(ADDR).is_none());
    halo_agent(&env, "admin");
}

#[test]
fn roles_left_out_are_not_managed() {
    let env = TestEnv::new();
    let wd = env.applied(&agent_config(r#"  name = "jo""#));
    let id = wd.resource_id(ADDR);
    assert!(state_role_ids(&wd.resource(ADDR)).is_empty());
    // No work hours given: whatever Halo chose (here none) is read back.
    assert!(wd.resource(ADDR)["workday_id"].is_null());
    wd.assert_plan_clean();

    // A role given by hand is read back but not planned away.
    let support = role_id(&wd, "support");
    assert!(env
        .sim
        .patch(Kind::Agent, &id, json!({"roles": [{"id": support}]})));
    wd.assert_plan_clean();
    assert_eq!(state_role_ids(&wd.resource(ADDR)), Vec::<String>::new());
    wd.apply();
    assert_eq!(state_role_ids(&wd.resource(ADDR)), vec![support.clone()]);

    // Another change does not touch the roles.
    wd.write_config(&agent_config(
        r#"  name    = "jo"
  surname = "Bloggs""#,
    ));
    wd.apply();
    assert_eq!(halo_role_ids(&halo_agent(&env, "jo")), vec![support]);
    wd.assert_plan_clean();

    // Managing them: the set becomes exactly what the configuration says.
    wd.write_config(&agent_config(
        r#"  name     = "jo"
  surname  = "Bloggs"
  role_ids = [halopsa_role.billing.id]"#,
    ));
    wd.apply();
    assert_eq!(
        halo_role_ids(&halo_agent(&env, "jo")),
        vec![role_id(&wd, "billing")]
    );
    wd.assert_plan_clean();
}

#[test]
fn agent_departments_set_elsewhere_are_kept() {
    let env = TestEnv::new();
    let (wd, id) = create_jo(&env);
    let department: i64 = seed_id(&env, Kind::Department, "Service Desk")
        .parse()
        .unwrap();
    let memberships = json!([{"department_id": department, "membershiplevel": 0}]);
    // As halopsa_agent_department would have written it.
    assert!(env
        .sim
        .patch(Kind::Agent, &id, json!({ "departments": memberships })));
    wd.assert_plan_clean();

    let args = full_args(&env).replace("Bloggs", "Smith");
    wd.write_config(&agent_config(&args));
    wd.apply();
    let halo = halo_agent(&env, "jo");
    assert_eq!(halo["surname"], "Smith");
    assert_eq!(halo["departments"], memberships);
    assert_no_department_writes(&env);
}

#[test]
fn api_agent_created_once_when_the_answer_is_lost() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&agent_config(
        r#"  name         = "svc-terraform"
  is_api_agent = true"#,
    ));
    // The create happens but its answer never arrives: the provider must find
    // the API-only agent (hidden from plain lists) instead of creating it twice.
    env.sim.inject(Fault {
        method: Some("POST".into()),
        path_prefix: AGENTS_PATH.into(),
        count: 1,
        action: FaultAction::CommitThenDrop,
    });
    wd.apply();
    let halo = halo_agent(&env, "svc-terraform");
    assert_eq!(halo["isapiagent"], true);
    assert_eq!(wd.resource(ADDR)["id"], id_of(&halo).as_str());
    assert_eq!(wd.resource(ADDR)["is_api_agent"], true);
    assert!(
        env.sim.journal().iter().any(|e| e.method == "GET"
            && e.path == AGENTS_PATH
            && e.query.contains("includeapiagents=true")),
        "the lookup did not ask for API agents:\n{}",
        env.journal_summary()
    );
    wd.assert_plan_clean();
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = create_jo(&env);
    let expected = created.resource(ADDR);
    // The roles already exist: import them too, so the configuration is whole.
    let support = role_id(&created, "support");
    let billing = role_id(&created, "billing");
    let config = agent_config(&full_args(&env));
    env.assert_imports(
        &config,
        &[
            ("halopsa_role.support", &support),
            ("halopsa_role.billing", &billing),
            (ADDR, &id),
        ],
        ADDR,
        &expected,
    );
    env.assert_import_fails(&config, ADDR, "987654");
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let (wd, id) = create_jo(&env);
    let support = role_id(&wd, "support");
    let billing = role_id(&wd, "billing");

    assert!(env.sim.patch(
        Kind::Agent,
        &id,
        json!({"firstname": "Joe", "isdisabled": true, "roles": [{"id": billing}]})
    ));
    assert_eq!(
        wd.plan_exit_code(),
        2,
        "a change in Halo is not in the plan"
    );
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(
        plan.changed_attributes(ADDR),
        ["first_name", "is_disabled", "role_ids"],
        "expected the hand edits to be undone"
    );
    assert_eq!(
        plan.before_after(ADDR, "first_name"),
        (&json!("Joe"), &json!("Jo"))
    );
    wd.apply();
    let halo = halo_agent(&env, "jo");
    assert_eq!(halo["firstname"], "Jo");
    assert_eq!(halo["isdisabled"], false);
    assert_eq!(halo_role_ids(&halo), vec![support]);
    wd.assert_plan_clean();

    assert!(env.sim.remove(Kind::Agent, &id));
    wd.plan_json().assert_only(ADDR, Action::Create);
    wd.apply();
    let recreated = halo_agent(&env, "jo");
    assert_eq!(wd.resource(ADDR)["id"], id_of(&recreated).as_str());
    wd.assert_plan_clean();
}

#[test]
fn bad_values_are_rejected_at_plan_and_nothing_is_created() {
    let env = TestEnv::new();
    let agents_before = env.sim.objects(Kind::Agent).len();
    for (args, attr) in [
        (r#"  name = """#, "name"),
        (
            r#"  name       = "jo"
  workday_id = "standard""#,
            "workday_id",
        ),
        (
            r#"  name         = "jo"
  default_team = """#,
            "default_team",
        ),
    ] {
        let wd = env.workdir();
        wd.write_config(&agent_config(args));
        wd.assert_plan_rejects(ADDR, attr);
    }
    assert_eq!(
        env.request_count("POST", AGENTS_PATH),
        0,
        "a request to create was sent; the journal:\n{}",
        env.journal_summary()
    );
    assert_eq!(env.sim.objects(Kind::Agent).len(), agents_before);
}

#[test]
fn ids_that_do_not_exist_are_errors_on_the_attribute() {
    let env = TestEnv::new();
    let agents_before = env.sim.objects(Kind::Agent).len();
    for (args, attr) in [
        (
            r#"  name       = "jo"
  workday_id = "987654""#,
            "workday_id",
        ),
        (
            r#"  name     = "jo"
  role_ids = ["5f0e0d4c-0000-4000-8000-000000000000"]"#,
            "role_ids",
        ),
    ] {
        let wd = env.workdir();
        wd.write_config(&agent_config(args));
        wd.assert_apply_rejects(ADDR, attr);
    }
    assert_eq!(env.sim.objects(Kind::Agent).len(), agents_before);
}
