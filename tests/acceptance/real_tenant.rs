//! Issue #10 against a halo-sim that follows real Halo: lists in pages of at most
//! 100, disabled and API-only agents hidden without the include flags, and agent
//! department rows inherited from roles (docs/halo-api.md, "Pages", "Agents").

use crate::support::memberships::{insert_department, insert_member, pairs};
use crate::support::{Kind, TestEnv};
use serde_json::json;

/// A tenant larger than one page of every kind: 250 agents (every fifth API-only,
/// every seventh disabled), 130 roles, 120 organisations. Their list answers carry
/// the detail lists (an object listed without them is read again on its own: one
/// request each, which a tenant this size pays for under the rate limit).
fn big_tenant(env: &TestEnv) {
    for i in 0..250 {
        env.sim_insert(
            Kind::Agent,
            json!({"name": format!("agent-{i:03}"), "isapiagent": i % 5 == 0,
                   "isdisabled": i % 7 == 0, "roles": [], "departments": []}),
        );
    }
    for i in 0..130 {
        env.sim_insert(
            Kind::Role,
            json!({"name": format!("role-{i:03}"), "claims": [], "departments": []}),
        );
    }
    for i in 0..120 {
        env.sim_insert(Kind::Organisation, json!({"name": format!("org-{i:03}")}));
    }
}

#[test]
fn objects_beyond_the_first_page_import_plan_clean_and_are_found() {
    let env = TestEnv::new();
    big_tenant(&env);
    // agent-245: past page two, API-only and disabled: hidden from a plain list.
    let agent = env.sim_id_named(Kind::Agent, "agent-245");
    let org = env.sim_id_named(Kind::Organisation, "org-117");
    let role = env.sim_id_named(Kind::Role, "role-129");
    let wd = env.workdir();
    wd.write_config(&format!(
        r#"
import {{
  to = halopsa_agent.far
  id = "{agent}"
}}
resource "halopsa_agent" "far" {{
  name         = "agent-245"
  is_api_agent = true
  is_disabled  = true
}}
import {{
  to = halopsa_organisation.far
  id = "{org}"
}}
resource "halopsa_organisation" "far" {{
  name = "org-117"
}}
import {{
  to = halopsa_role.far
  id = "{role}"
}}
resource "halopsa_role" "far" {{
  name = "role-129"
}}
data "halopsa_agent" "found" {{
  name = "agent-240"
}}
data "halopsa_organisation" "found" {{
  name = "org-119"
}}
output "found_agent" {{
  value = data.halopsa_agent.found.id
}}
output "found_org" {{
  value = data.halopsa_organisation.found.id
}}
"#
    ));
    wd.apply();
    assert_eq!(wd.resource_id("halopsa_agent.far"), agent);
    assert_eq!(
        wd.output("found_agent"),
        env.sim_id_named(Kind::Agent, "agent-240").as_str()
    );
    assert_eq!(
        wd.output("found_org"),
        env.sim_id_named(Kind::Organisation, "org-119").as_str()
    );
    assert_eq!(env.halo_writes(), 0, "an import writes nothing");
    wd.assert_plan_clean();
}

#[test]
fn inherited_department_rows_are_neither_owned_nor_written_back() {
    let env = TestEnv::new();
    let from_role = insert_department(&env, "Service");
    let own = insert_department(&env, "Projects");
    let role = insert_member(
        &env,
        Kind::Role,
        json!({"name": "CorkAPI", "claims": []}),
        &[(&from_role, 0)],
    );
    let agent = env.sim_insert(
        Kind::Agent,
        json!({"name": "cork", "isapiagent": true, "isdisabled": false,
               "roles": [{"id": role}], "departments": []}),
    );
    let config = format!(
        r#"
resource "halopsa_agent_department" "own" {{
  agent_id         = "{agent}"
  department_id    = "{own}"
  membership_level = "modify_all"
}}
"#
    );
    let wd = env.applied(&config);
    wd.assert_plan_clean();
    // halo-sim refuses (400) a write that sends an inherited row back, so the apply
    // passing shows none was sent; the agent's own list holds only its membership.
    assert_eq!(
        crate::support::memberships::halo_memberships(&env, Kind::Agent, &agent),
        pairs(&[(&own, 0)])
    );
    wd.write_config(&format!(
        r#"{config}
resource "halopsa_agent_department" "inherited" {{
  agent_id         = "{agent}"
  department_id    = "{from_role}"
  membership_level = "modify_all"
}}
"#
    ));
    let err = wd.import_err(
        "halopsa_agent_department.inherited",
        &format!("{agent}/{from_role}"),
    );
    assert!(
        err.contains("comes from role") && err.contains(&role),
        "the error names the role: {err}"
    );
    wd.write_config(&config);
    wd.destroy();
    assert!(crate::support::memberships::halo_memberships(&env, Kind::Agent, &agent).is_empty());
}

/// `terraform query` output lines of `list.TYPE.NAME`, one per object listed.
fn listed(output: &str, type_name: &str, name: &str) -> usize {
    let prefix = format!("list.{type_name}.{name} ");
    output.lines().filter(|l| l.starts_with(&prefix)).count()
}

#[test]
fn query_lists_every_agent_and_hand_made_values_import_clean() {
    let env = TestEnv::new();
    big_tenant(&env);
    // Made in Halo by hand: a claim type the permissions table does not own, an
    // access value it has no word for, a grant type it does not encode.
    let role = env.sim_insert(
        Kind::Role,
        json!({"name": "hand-made", "claims": [
            {"type": "custom:reports", "value": "7"},
            {"type": "Tx", "value": "admin"},
            {"type": "l6", "value": "1"}], "departments": []}),
    );
    env.sim_insert(
        Kind::Application,
        json!({"displayName": "Legacy", "grant_type": "password", "loginentity": 2,
               "scopes": [{"name": "read:tickets"}], "inactive": false}),
    );
    let wd = env.workdir();
    wd.write_config("");
    wd.write_file(
        "tenant.tfquery.hcl",
        r#"
list "halopsa_agent" "all" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
}
list "halopsa_role" "hand" {
  provider         = halopsa
  include_resource = true
  config {
    name = "hand-made"
  }
}
list "halopsa_api_application" "legacy" {
  provider         = halopsa
  include_resource = true
  config {
    name = "Legacy"
  }
}
"#,
    );
    let out = wd.run_ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    let agents = env.sim.objects(Kind::Agent).len();
    assert!(agents > 250, "the 250 agents and the sim's own");
    assert_eq!(
        listed(&out, "halopsa_agent", "all"),
        agents,
        "every agent, API-only and disabled ones and those past the first page\n{out}"
    );
    assert_eq!(listed(&out, "halopsa_role", "hand"), 1, "{out}");
    assert_eq!(
        listed(&out, "halopsa_api_application", "legacy"),
        1,
        "{out}"
    );
    let generated = std::fs::read_to_string(wd.path.join("generated.tf")).unwrap();
    assert!(generated.contains("halo:admin"), "{generated}");
    assert!(generated.contains("halo:password"), "{generated}");
    wd.apply();
    assert_eq!(env.halo_writes(), 0, "an import writes nothing");
    wd.assert_plan_clean();

    // One attribute changed: every claim stays as Halo had it.
    let mut changed = std::fs::read_to_string(wd.path.join("generated.tf")).unwrap();
    let line = changed
        .lines()
        .find(|l| l.trim_start().starts_with("description") && l.trim_end().ends_with("= null"))
        .map(str::to_owned)
        .expect("the generated role has a description line");
    changed = changed.replacen(&line, "  description = \"Reports\"", 1);
    wd.write_file("generated.tf", &changed);
    wd.apply();
    let stored = env.sim_object(Kind::Role, &role).expect("the role");
    assert_eq!(stored["notes"], "Reports");
    let mut claims: Vec<(String, String)> = stored["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (text("type"), text("value"))
        })
        .filter(|(_, v)| v != "0")
        .collect();
    claims.sort();
    let pair = |t: &str, v: &str| (t.to_string(), v.to_string());
    assert_eq!(
        claims,
        [
            pair("Tx", "admin"),
            pair("custom:reports", "7"),
            pair("l6", "1")
        ]
    );
    wd.assert_plan_clean();
}

#[test]
fn a_no_change_plan_of_many_agents_costs_few_requests() {
    let env = TestEnv::new();
    big_tenant(&env);
    // 60 agents from the last pages, imported with for_each.
    let entries: String = (190..250)
        .map(|i| {
            let name = format!("agent-{i:03}");
            let id = env.sim_id_named(Kind::Agent, &name);
            format!(
                "    \"{name}\" = {{ id = \"{id}\", api = {}, disabled = {} }}\n",
                i % 5 == 0,
                i % 7 == 0
            )
        })
        .collect();
    let wd = env.applied(&format!(
        r#"
locals {{
  agents = {{
{entries}  }}
}}
import {{
  for_each = local.agents
  to       = halopsa_agent.a[each.key]
  id       = each.value.id
}}
resource "halopsa_agent" "a" {{
  for_each     = local.agents
  name         = each.key
  is_api_agent = each.value.api
  is_disabled  = each.value.disabled
}}
"#
    ));
    assert_eq!(wd.resource_addresses().len(), 60);
    env.sim.clear_journal();
    wd.assert_plan_clean();
    let requests = env.request_count("GET", "/api/");
    assert!(
        requests * 10 <= 60,
        "{requests} requests for a no-change plan of 60 agents (goal: at most 0.1 each)\n{}",
        env.journal_summary()
    );
}
