//! Acceptance tests of `modules/integration` (one integration's whole Halo side):
//! two instances, one per organisation, through real Terraform against halo-sim.

use crate::support::{Kind, TestEnv};
use serde_json::json;

/// Two organisations with one department each (inserted out of band), and the
/// two module instances that integrate a tool with each.
fn two_tenants(env: &TestEnv) -> (String, [(&'static str, String, String); 2]) {
    let mut tenants = Vec::new();
    for (key, org) in [("acme", "Acme Ltd"), ("globex", "Globex Corporation")] {
        let org_id = env.sim_insert(Kind::Organisation, json!({"name": org}));
        let dept_id = env.sim_insert(
            Kind::Department,
            json!({"name": format!("{org} Service Desk"), "organisation_id": org_id.parse::<i64>().unwrap_or(0)}),
        );
        tenants.push((key, org_id, dept_id));
    }
    let mut hcl = String::new();
    for (key, org_id, dept_id) in &tenants {
        hcl.push_str(&format!(
            r#"
module "{key}" {{
  source = "./modules/integration"

  name            = "{key}-sync"
  department_ids  = ["{dept_id}"]
  default_team    = "1st Line Support"
  work_hours      = "Standard Hours"
  organisation_id = "{org_id}"
  permissions = {{
    tickets_access  = "read_modify"
    can_add_tickets = true
  }}
  scopes = ["read:tickets", "edit:tickets"]
}}

output "{key}" {{
  value = {{
    client_id      = module.{key}.client_id
    agent_id       = module.{key}.agent_id
    role_id        = module.{key}.role_id
    application_id = module.{key}.application_id
  }}
}}

output "{key}_secret" {{
  value     = module.{key}.client_secret
  sensitive = true
}}
"#
        ));
    }
    let [a, b]: [(&'static str, String, String); 2] = match tenants.try_into() {
        Ok(pair) => pair,
        Err(_) => panic!("two tenants"),
    };
    (hcl, [a, b])
}

#[test]
fn two_instances_for_two_organisations_apply_plan_clean_and_destroy_clean() {
    let env = TestEnv::new();
    let (hcl, tenants) = two_tenants(&env);
    let before = env.sim.state();
    let wd = env.workdir();
    wd.write_config(&hcl);
    wd.use_module("integration");
    wd.apply();

    let workday = env.sim_one_named(Kind::Workday, "Standard Hours");
    let mut client_ids = Vec::new();
    for (key, org_id, dept_id) in &tenants {
        let name = format!("{key}-sync");
        let dept: i64 = dept_id.parse().unwrap_or(0);
        let outputs = wd.output(key);

        let agent = env.sim_one_named(Kind::Agent, &name);
        assert_eq!(agent["isapiagent"], true);
        assert_eq!(agent["team"], "1st Line Support");
        assert_eq!(agent["workday_id"], workday["id"]);
        assert_eq!(outputs["agent_id"], agent["id"].to_string());

        let role = env.sim_one_named(Kind::Role, &name);
        assert_eq!(outputs["role_id"], role["id"]);
        assert_eq!(agent["roles"], json!([{"id": role["id"]}]));
        assert_eq!(
            role["departments"],
            json!([{"department_id": dept, "membershiplevel": 0}])
        );
        assert_eq!(
            agent["departments"],
            json!([{"department_id": dept, "membershiplevel": 0}])
        );

        let app = env.sim_one_where(Kind::Application, "displayName", &name);
        assert_eq!(app["grant_type"], "client_credentials");
        assert_eq!(app["loginas_agent_id"], agent["id"]);
        // Restricted to its own organisation.
        assert_eq!(app["organisation_id"].to_string(), *org_id);
        assert_eq!(outputs["application_id"], app["id"]);
        // The client id Terraform hands out is the one Halo holds.
        assert_eq!(outputs["client_id"], app["clientId"]);
        assert!(app["clientId"].as_str().is_some_and(|s| !s.is_empty()));
        client_ids.push(app["clientId"].clone());

        let secret = wd.output(&format!("{key}_secret"));
        assert!(
            secret.as_str().is_some_and(|s| s.len() >= 20),
            "{key} client_secret: {secret}"
        );
    }
    assert_ne!(client_ids[0], client_ids[1]);
    let shown = wd.run_ok(&["output", "-no-color"]);
    assert!(shown.contains("acme_secret = <sensitive>"), "{shown}");

    wd.assert_plan_clean();
    wd.destroy();
    assert_eq!(env.sim.state(), before, "destroy leaves Halo as it was");
}

/// A role with eight memberships, applied at `-parallelism=10` through the module:
/// every write keeps the others (Halo answers a role's own rows with its
/// `role_id`), so all eight land, the plan is clean and the module's
/// memberships import into a fresh state.
#[test]
fn a_role_with_eight_memberships_at_parallelism_ten_keeps_all_eight() {
    let env = TestEnv::new();
    let org = env.sim_insert(Kind::Organisation, json!({"name": "Eight Ltd"}));
    let departments: Vec<String> = (1..=8)
        .map(|i| {
            env.sim_insert(
                Kind::Department,
                json!({"name": format!("Desk {i}"), "organisation_id": org.parse::<i64>().unwrap_or(0)}),
            )
        })
        .collect();
    let wd = env.workdir();
    wd.write_config(&format!(
        r#"
module "eight" {{
  source = "./modules/integration"

  name           = "eight-sync"
  department_ids = {}
  default_team   = "1st Line Support"
  work_hours     = "Standard Hours"
  permissions    = {{ tickets_access = "read_only" }}
  scopes         = ["read:tickets"]
}}
"#,
        json!(departments)
    ));
    wd.use_module("integration");
    wd.apply_with(&["-parallelism=10"]);
    let role = env.sim_one_named(Kind::Role, "eight-sync");
    let mut held: Vec<String> = role["departments"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| r["department_id"].to_string())
                .collect()
        })
        .unwrap_or_default();
    held.sort();
    let mut want = departments.clone();
    want.sort();
    assert_eq!(held, want, "{role:#}");
    wd.assert_plan_clean();

    let role_id = crate::support::id_of(&role);
    let fresh = env.workdir();
    fresh.write_config(&format!(
        "resource \"halopsa_role_department\" \"d\" {{\n  role_id          = {}\n  department_id    = {}\n  membership_level = \"modify_all\"\n}}\n",
        json!(role_id),
        json!(departments[7])
    ));
    fresh.import(
        "halopsa_role_department.d",
        &format!("{role_id}/{}", departments[7]),
    );
    fresh.assert_plan_clean();
}
