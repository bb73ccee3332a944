//! Acceptance tests of the `halopsa_agent` and `halopsa_role` data sources: one
//! object looked up by `name` or `id`; none or several found is an error that says
//! which.

use crate::support::{id_of, Kind, TestEnv};
use serde_json::json;

#[test]
fn agent_by_name_and_by_id_including_api_agents() {
    let env = TestEnv::new();
    let standard = env.sim_id_named(Kind::Workday, "Standard Hours");
    let admin = env.sim_id_named(Kind::Agent, "admin");
    let api = env.sim.insert(
        Kind::Agent,
        json!({"name": "svc-api", "email": "", "firstname": "", "surname": "",
               "isapiagent": true, "team": "", "isdisabled": false, "roles": [], "departments": []}),
    );
    let api_id = id_of(&api);

    let wd = env.workdir();
    wd.write_config(&format!(
        r#"data "halopsa_agent" "admin" {{
  name = "admin"
}}

data "halopsa_agent" "by_id" {{
  id = {}
}}

data "halopsa_agent" "api" {{
  name = "svc-api"
}}
"#,
        json!(admin)
    ));
    wd.apply();

    let by_name = wd.resource("data.halopsa_agent.admin");
    assert_eq!(by_name["id"], admin.as_str());
    assert_eq!(by_name["email"], "admin@example.com");
    assert_eq!(by_name["first_name"], "Admin");
    assert!(by_name["surname"].is_null());
    assert_eq!(by_name["is_api_agent"], false);
    assert_eq!(by_name["default_team"], "1st Line Support");
    assert_eq!(by_name["workday_id"], standard.as_str());
    assert_eq!(by_name["is_disabled"], false);
    assert_eq!(wd.resource("data.halopsa_agent.by_id"), by_name);

    let api = wd.resource("data.halopsa_agent.api");
    assert_eq!(api["id"], api_id.as_str());
    assert_eq!(api["is_api_agent"], true);
    wd.assert_plan_clean();
}

#[test]
fn agent_lookups_that_do_not_find_exactly_one_fail() {
    let env = TestEnv::new();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let a = env.sim.insert(
            Kind::Agent,
            json!({"name": "twin", "isapiagent": false, "isdisabled": false}),
        );
        ids.push(id_of(&a));
    }
    let admin = env.sim_id_named(Kind::Agent, "admin");
    let cases = [
        (r#"name = "nobody""#.to_string(), vec!["nobody", "name"]),
        (r#"id = "987654""#.to_string(), vec!["987654", "id"]),
        (
            r#"name = "twin""#.to_string(),
            vec!["twin", ids[0].as_str(), ids[1].as_str()],
        ),
        (
            format!("id = {}\n  name = \"someone-else\"", json!(admin)),
            vec!["someone-else", "admin"],
        ),
        (String::new(), vec!["name", "id"]),
    ];
    for (args, expected) in cases {
        let wd = env.workdir();
        wd.write_config(&format!("data \"halopsa_agent\" \"x\" {{\n  {args}\n}}\n"));
        let err = wd.plan_err();
        for word in expected {
            assert!(
                err.contains(word),
                "expected the error to mention {word:?}:\n{err}"
            );
        }
    }
}

#[test]
fn role_by_name_and_by_id() {
    let env = TestEnv::new();
    let role = env.sim.insert(
        Kind::Role,
        json!({"name": "Auditors", "notes": "Read only", "claims": [], "departments": []}),
    );
    let role_id = id_of(&role);
    env.sim.insert(
        Kind::Role,
        json!({"name": "Plain", "notes": "", "claims": [], "departments": []}),
    );

    let wd = env.workdir();
    wd.write_config(&format!(
        r#"data "halopsa_role" "by_name" {{
  name = "Auditors"
}}

data "halopsa_role" "by_id" {{
  id = {}
}}

data "halopsa_role" "plain" {{
  name = "Plain"
}}

resource "halopsa_agent" "auditor" {{
  name     = "auditor"
  role_ids = [data.halopsa_role.by_name.id]
}}
"#,
        json!(role_id)
    ));
    wd.apply();
    let by_name = wd.resource("data.halopsa_role.by_name");
    assert_eq!(by_name["id"], role_id.as_str());
    assert_eq!(by_name["name"], "Auditors");
    assert_eq!(by_name["description"], "Read only");
    assert_eq!(wd.resource("data.halopsa_role.by_id"), by_name);
    assert!(wd.resource("data.halopsa_role.plain")["description"].is_null());
    let agent = &env.sim_objects_named(Kind::Agent, "auditor")[0];
    assert_eq!(agent["roles"], json!([{ "id": role_id }]));
    wd.assert_plan_clean();
}

#[test]
fn role_lookups_that_do_not_find_exactly_one_fail() {
    let env = TestEnv::new();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = env
            .sim
            .insert(Kind::Role, json!({"name": "Twin", "claims": []}));
        ids.push(id_of(&r));
    }
    let cases = [
        (r#"name = "Nobody""#.to_string(), vec!["Nobody", "name"]),
        (
            r#"id = "5f0e0d4c-0000-4000-8000-000000000000""#.to_string(),
            vec!["5f0e0d4c-0000-4000-8000-000000000000"],
        ),
        (
            r#"name = "Twin""#.to_string(),
            vec!["Twin", ids[0].as_str(), ids[1].as_str()],
        ),
        (String::new(), vec!["name", "id"]),
    ];
    for (args, expected) in cases {
        let wd = env.workdir();
        wd.write_config(&format!("data \"halopsa_role\" \"x\" {{\n  {args}\n}}\n"));
        let err = wd.plan_err();
        for word in expected {
            assert!(
                err.contains(word),
                "expected the error to mention {word:?}:\n{err}"
            );
        }
    }
}
