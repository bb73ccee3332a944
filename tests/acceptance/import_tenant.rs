//! Issue #6: importing a whole tenant. `terraform query` lists every object through
//! the provider's list resources, `-generate-config-out` writes their import blocks
//! and configuration, and after the imports are applied the plan is clean.

use crate::support::{id_of, listed_ids, Kind, TestEnv, Workdir};
use serde_json::{json, Value};

/// Every listable resource type.
const TYPES: [&str; 9] = [
    "halopsa_organisation",
    "halopsa_department",
    "halopsa_team",
    "halopsa_agent",
    "halopsa_role",
    "halopsa_api_application",
    "halopsa_client",
    "halopsa_role_department",
    "halopsa_agent_department",
];

/// A secret put into the seeded applications; it must never reach generated config.
const SECRET: &str = "TOPSECRET-never-listed";

/// What the seeded tenant holds, beyond halo-sim's own seed.
struct Tenant {
    organisations: Vec<String>,
    departments: Vec<String>,
    teams: Vec<String>,
    roles: Vec<String>,
    agents: Vec<String>,
}

/// Seeds a realistic tenant out of band: three organisations with a department
/// each, two teams per department (one inactive), four roles with permission
/// claims and department memberships, 24 agents (every fourth API-only, some
/// disabled) with roles and department memberships, and four API applications.
fn seed(env: &TestEnv) -> Tenant {
    let workdays: Vec<i64> = env
        .sim
        .objects(Kind::Workday)
        .iter()
        .filter_map(|w| w["id"].as_i64())
        .collect();
    let mut t = Tenant {
        organisations: Vec::new(),
        departments: Vec::new(),
        teams: Vec::new(),
        roles: Vec::new(),
        agents: Vec::new(),
    };
    let mut team_names = Vec::new();
    for (i, org) in ["Acme Ltd", "Globex Corporation", "Initech"]
        .iter()
        .enumerate()
    {
        let o = env.sim.insert(
            Kind::Organisation,
            json!({
                "name": org,
                "email": format!("support@org{i}.example"),
                "phone": if i == 1 { "" } else { "+44 20 7946 0000" },
                "website": format!("https://org{i}.example"),
                "reply_address": "",
            }),
        );
        t.organisations.push(id_of(&o));
        let first = org.split(' ').next().unwrap_or(org);
        let d = env.sim.insert(
            Kind::Department,
            json!({
                "name": format!("{first} Service Desk"),
                "organisation_id": o["id"],
                "notes": if i == 0 { "Main desk" } else { "" },
            }),
        );
        t.departments.push(id_of(&d));
        for (j, suffix) in ["Field", "Projects"].iter().enumerate() {
            let name = format!("{first} {suffix}");
            let team = env.sim.insert(
                Kind::Team,
                json!({"name": name, "department_id": d["id"], "inactive": j == 1}),
            );
            t.teams.push(id_of(&team));
            team_names.push(name);
        }
    }
    let departments: Vec<i64> = t
        .departments
        .iter()
        .filter_map(|d| d.parse().ok())
        .collect();
    let claims = [
        json!([
            {"type": "Tx", "value": "2"},
            {"type": "l6", "value": "1"},
            {"type": "l8", "value": "1"},
        ]),
        json!([{"type": "Tx", "value": "1"}, {"type": "SA", "value": "false"}]),
        json!([
            {"type": "Customers_Level", "value": "3"},
            {"type": "Fx", "value": "2"},
            {"type": "Can_Remove_Tickets", "value": "1"},
            {"type": "Ex", "value": "1"},
        ]),
        json!([]),
    ];
    for (i, (name, claims)) in [
        "Technicians",
        "Auditors",
        "Account Managers",
        "Integrations",
    ]
    .iter()
    .zip(claims)
    .enumerate()
    {
        let memberships: Vec<Value> = departments
            .iter()
            .take(i + 1)
            .enumerate()
            .map(|(k, d)| json!({"department_id": d, "membershiplevel": (i + k) % 2}))
            .collect();
        let r = env.sim.insert(
            Kind::Role,
            json!({
                "name": name,
                "notes": if i == 3 { String::new() } else { format!("{name} role") },
                "claims": claims,
                "departments": memberships,
            }),
        );
        t.roles.push(id_of(&r));
    }
    for i in 0..24usize {
        let api = i % 4 == 3;
        let org = i % 3;
        let name = if api {
            format!("api-sync-{i:02}")
        } else {
            format!("agent{i:02}")
        };
        let roles: Vec<Value> = t
            .roles
            .iter()
            .skip(i % 4)
            .take(i % 3)
            .map(|r| json!({"id": r}))
            .collect();
        let memberships: Vec<Value> = departments
            .iter()
            .skip(org)
            .take(1 + i % 2)
            .map(|d| json!({"department_id": d, "membershiplevel": i % 2}))
            .collect();
        let mut agent = json!({
            "name": name,
            "isapiagent": api,
            "isdisabled": i % 7 == 5,
            "roles": roles,
            "departments": memberships,
        });
        if !api {
            agent["email"] = json!(format!("{name}@org{org}.example"));
            agent["firstname"] = json!(format!("First{i}"));
            agent["surname"] = json!(if i % 5 == 0 {
                String::new()
            } else {
                format!("Surname{i}")
            });
            agent["team"] = json!(team_names[(2 * org + i) % team_names.len()]);
            agent["workday_id"] = json!(workdays[i % workdays.len()]);
        }
        let a = env.sim.insert(Kind::Agent, agent);
        t.agents.push(id_of(&a));
    }
    let api_agent: i64 = t.agents[3].parse().unwrap();
    let apps = [
        json!({"displayName": "PSA Sync", "grant_type": "client_credentials", "loginentity": 0,
               "loginas_agent_id": api_agent,
               "scopes": [{"name": "read:tickets"}, {"name": "edit:tickets"}, {"name": "read:customers"}],
               "inactive": false}),
        json!({"displayName": "Reporting", "grant_type": "client_credentials", "loginentity": 0,
               "loginas_agent_id": api_agent, "scopes": [{"name": "read:reporting"}],
               "inactive": true}),
        json!({"displayName": "Customer Portal", "grant_type": "authorization_code",
               "scopes": [{"name": "all"}], "inactive": false}),
        json!({"displayName": "Legacy Import", "grant_type": "client_credentials", "loginentity": 0,
               "loginas_agent_id": t.agents[7].parse::<i64>().unwrap(), "scopes": [],
               "inactive": false}),
    ];
    for (i, mut app) in apps.into_iter().enumerate() {
        app["clientId"] = json!(format!("00000000-0000-4000-8000-00000000000{i}"));
        app["clientSecret"] = json!(SECRET);
        env.sim.insert(Kind::Application, app);
    }
    // Customers: one per department, every other one inactive, some with notes.
    for (i, d) in t.departments.clone().iter().enumerate() {
        let mut client = json!({
            "name": format!("Customer {i}"),
            "toplevel_id": d.parse::<i64>().unwrap(),
            "inactive": i % 2 == 1,
        });
        if i % 2 == 0 {
            client["notes"] = json!(format!("Account {i}"));
        }
        env.sim.insert(Kind::Client, client);
    }
    t
}

/// How many objects of each listable type the sim holds (memberships counted
/// per entry of their parent's list).
fn halo_counts(env: &TestEnv) -> Vec<(&'static str, usize)> {
    let entries = |kind| {
        env.sim
            .objects(kind)
            .iter()
            .map(|o| o["departments"].as_array().map_or(0, Vec::len))
            .sum::<usize>()
    };
    vec![
        (
            "halopsa_organisation",
            env.sim.objects(Kind::Organisation).len(),
        ),
        (
            "halopsa_department",
            env.sim.objects(Kind::Department).len(),
        ),
        ("halopsa_team", env.sim.objects(Kind::Team).len()),
        ("halopsa_agent", env.sim.objects(Kind::Agent).len()),
        ("halopsa_role", env.sim.objects(Kind::Role).len()),
        (
            "halopsa_api_application",
            env.sim.objects(Kind::Application).len(),
        ),
        ("halopsa_client", env.sim.objects(Kind::Client).len()),
        ("halopsa_role_department", entries(Kind::Role)),
        ("halopsa_agent_department", entries(Kind::Agent)),
    ]
}

/// A `list` block of `type_name` named `name`, with `config` filters.
fn list_block(type_name: &str, name: &str, config: &str) -> String {
    format!(
        "list \"{type_name}\" \"{name}\" {{\n  provider         = halopsa\n  \
         include_resource = true\n  limit            = 500\n  config {{\n{config}  }}\n}}\n\n"
    )
}

/// `terraform query` in `wd` (with `extra` arguments), which must succeed.
fn query(wd: &Workdir, extra: &[&str]) -> String {
    let mut args = vec!["query", "-no-color"];
    args.extend_from_slice(extra);
    wd.run_ok(&args)
}

/// The id of the API application named `name` (its `displayName`).
fn application_id(env: &TestEnv, name: &str) -> String {
    id_of(&env.sim_one_where(Kind::Application, "displayName", name))
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn query_generates_config_that_imports_the_whole_tenant_cleanly() {
    let env = TestEnv::new();
    seed(&env);
    let counts = halo_counts(&env);
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    assert!(total > 60, "the tenant is not realistic: {counts:?}");

    let wd = env.workdir();
    wd.write_config("");
    let blocks: String = TYPES.iter().map(|t| list_block(t, "all", "")).collect();
    wd.write_file("tenant.tfquery.hcl", &blocks);
    let out = query(&wd, &["-generate-config-out=generated.tf"]);
    for (type_name, n) in &counts {
        assert_eq!(
            listed_ids(&out, type_name, "all").len(),
            *n,
            "{type_name}: expected {n} objects listed\n{out}"
        );
    }

    let generated = std::fs::read_to_string(wd.path.join("generated.tf")).unwrap();
    for (type_name, n) in &counts {
        let resources = generated
            .matches(&format!("resource \"{type_name}\" "))
            .count();
        let imports = generated
            .matches(&format!("to       = {type_name}."))
            .count();
        assert_eq!(
            (resources, imports),
            (*n, *n),
            "{type_name}: expected {n} resource and import blocks\n{generated}"
        );
    }
    assert_eq!(generated.matches("import {").count(), total);
    assert!(
        !generated.contains(SECRET)
            && !generated.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("client_secret ") || l.starts_with("client_secret=")
            }),
        "the generated configuration holds a client secret:\n{generated}"
    );
    assert!(generated.contains("is_api_agent = true"));
    assert!(generated.contains("inactive      = true"));

    let posts_before = env.request_count("POST", "/api/");
    let applied = wd.apply();
    assert!(
        applied.contains(&format!(
            "Apply complete! Resources: {total} imported, 0 added, 0 changed, 0 destroyed."
        )),
        "expected imports only:\n{applied}"
    );
    assert_eq!(
        env.request_count("POST", "/api/"),
        posts_before,
        "importing wrote to Halo:\n{}",
        env.journal_summary()
    );
    assert_eq!(wd.resource_addresses().len(), total);
    let state = serde_json::to_string(&wd.show_json()).unwrap();
    assert!(!state.contains(SECRET), "a client secret reached the state");
    wd.assert_plan_clean();
}

#[test]
fn import_blocks_with_identity_plan_clean() {
    let env = TestEnv::new();
    let t = seed(&env);
    let obj = |kind, id: &str| {
        env.sim_object(kind, id)
            .unwrap_or_else(|| panic!("{kind:?} {id} is not in Halo"))
    };
    let org = &t.organisations[0];
    let dept = &t.departments[0];
    let team = &t.teams[1];
    let role = &t.roles[0];
    let agent = &t.agents[3];
    let agent_obj = obj(Kind::Agent, agent);
    let agent_dept = agent_obj["departments"][0]["department_id"].to_string();
    let app = application_id(&env, "PSA Sync");
    let agent_roles: Vec<Value> = agent_obj["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    let team_obj = obj(Kind::Team, team);
    let imports = [
        ("halopsa_organisation.acme", org.clone()),
        ("halopsa_department.desk", dept.clone()),
        ("halopsa_team.projects", team.clone()),
        ("halopsa_role.technicians", role.clone()),
        ("halopsa_agent.sync", agent.clone()),
        ("halopsa_api_application.sync", app.clone()),
        (
            "halopsa_role_department.tech_desk",
            format!("{role}/{dept}"),
        ),
        (
            "halopsa_agent_department.sync_desk",
            format!("{agent}/{agent_dept}"),
        ),
    ];
    let mut hcl: String = imports
        .iter()
        .map(|(to, id)| {
            format!(
                "import {{\n  to       = {to}\n  identity = {{ id = {} }}\n}}\n\n",
                json!(id)
            )
        })
        .collect();
    hcl.push_str(&format!(
        r#"resource "halopsa_organisation" "acme" {{
  name          = "Acme Ltd"
  email         = "support@org0.example"
  phone         = "+44 20 7946 0000"
  website       = "https://org0.example"
}}

resource "halopsa_department" "desk" {{
  name            = "Acme Service Desk"
  organisation_id = halopsa_organisation.acme.id
  notes           = "Main desk"
}}

resource "halopsa_team" "projects" {{
  name          = {team_name}
  department_id = halopsa_department.desk.id
  inactive      = true
}}

resource "halopsa_role" "technicians" {{
  name        = "Technicians"
  description = "Technicians role"
  permissions = {{
    tickets_access                = "read_modify"
    can_add_tickets               = true
    can_view_other_agents_tickets = true
  }}
}}

resource "halopsa_agent" "sync" {{
  name         = "api-sync-03"
  is_api_agent = true
  role_ids     = {agent_roles}
}}

resource "halopsa_api_application" "sync" {{
  name              = "PSA Sync"
  login_as_agent_id = halopsa_agent.sync.id
  permissions       = ["read:tickets", "edit:tickets", "read:customers"]
}}

resource "halopsa_role_department" "tech_desk" {{
  role_id          = halopsa_role.technicians.id
  department_id    = halopsa_department.desk.id
  membership_level = "modify_all"
}}

resource "halopsa_agent_department" "sync_desk" {{
  agent_id         = halopsa_agent.sync.id
  department_id    = "{agent_dept}"
  membership_level = "read_only"
}}
"#,
        team_name = team_obj["name"],
        agent_roles = json!(agent_roles),
    ));
    let wd = env.workdir();
    wd.write_config(&hcl);
    let addrs: Vec<&str> = imports.iter().map(|(to, _)| *to).collect();
    wd.plan_json().assert_imports_only(&addrs);
    wd.apply();
    wd.assert_plan_clean();
    assert!(wd.resource("halopsa_api_application.sync")["client_secret"].is_null());
}

#[test]
fn list_filters_narrow_what_is_listed() {
    let env = TestEnv::new();
    let t = seed(&env);
    let wd = env.workdir();
    wd.write_config("");
    let org = &t.organisations[1];
    let dept = &t.departments[2];
    let role = &t.roles[2];
    let mut blocks = String::new();
    blocks.push_str(&list_block(
        "halopsa_organisation",
        "corp",
        "    name = \"CORP\"\n",
    ));
    blocks.push_str(&list_block(
        "halopsa_department",
        "of_globex",
        &format!("    organisation_id = \"{org}\"\n"),
    ));
    blocks.push_str(&list_block(
        "halopsa_department",
        "desk_of_globex",
        &format!("    name = \"desk\"\n    organisation_id = \"{org}\"\n"),
    ));
    blocks.push_str(&list_block(
        "halopsa_team",
        "of_initech",
        &format!("    department_id = \"{dept}\"\n"),
    ));
    blocks.push_str(&list_block("halopsa_agent", "api", "    name = \"api-\"\n"));
    blocks.push_str(&list_block(
        "halopsa_role",
        "auditors",
        "    name = \"audit\"\n",
    ));
    blocks.push_str(&list_block(
        "halopsa_api_application",
        "portal",
        "    name = \"portal\"\n",
    ));
    blocks.push_str(&list_block(
        "halopsa_role_department",
        "of_role",
        &format!("    role_id = \"{role}\"\n"),
    ));
    blocks.push_str(&list_block(
        "halopsa_agent_department",
        "in_initech",
        &format!("    department_id = \"{dept}\"\n"),
    ));
    wd.write_file("filters.tfquery.hcl", &blocks);
    let out = query(&wd, &[]);

    let named = |kind, name: &str| id_of(&env.sim_objects_named(kind, name)[0]);
    assert_eq!(
        listed_ids(&out, "halopsa_organisation", "corp"),
        vec![named(Kind::Organisation, "Globex Corporation")],
        "{out}"
    );
    let globex_desk = named(Kind::Department, "Globex Service Desk");
    assert_eq!(
        listed_ids(&out, "halopsa_department", "of_globex"),
        vec![globex_desk.clone()]
    );
    assert_eq!(
        listed_ids(&out, "halopsa_department", "desk_of_globex"),
        vec![globex_desk]
    );
    assert_eq!(
        listed_ids(&out, "halopsa_team", "of_initech"),
        sorted(vec![t.teams[4].clone(), t.teams[5].clone()])
    );
    let api_agents: Vec<String> = t
        .agents
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 4 == 3)
        .map(|(_, a)| a.clone())
        .collect();
    assert_eq!(listed_ids(&out, "halopsa_agent", "api"), sorted(api_agents));
    assert_eq!(
        listed_ids(&out, "halopsa_role", "auditors"),
        vec![t.roles[1].clone()]
    );
    assert_eq!(
        listed_ids(&out, "halopsa_api_application", "portal"),
        vec![application_id(&env, "Customer Portal")]
    );
    assert_eq!(
        listed_ids(&out, "halopsa_role_department", "of_role"),
        sorted(
            t.departments
                .iter()
                .map(|d| format!("{role}/{d}"))
                .collect()
        )
    );
    let dept_id: i64 = dept.parse().unwrap();
    let in_initech: Vec<String> = env
        .sim
        .objects(Kind::Agent)
        .iter()
        .filter(|a| {
            a["departments"]
                .as_array()
                .is_some_and(|l| l.iter().any(|m| m["department_id"] == dept_id))
        })
        .map(|a| format!("{}/{dept}", id_of(a)))
        .collect();
    assert!(!in_initech.is_empty());
    assert_eq!(
        listed_ids(&out, "halopsa_agent_department", "in_initech"),
        sorted(in_initech)
    );

    // A filter that is not an id is refused before Halo is asked.
    wd.write_file(
        "filters.tfquery.hcl",
        &list_block("halopsa_team", "bad", "    department_id = \"abc\"\n"),
    );
    let err = wd.run_err(&["query", "-no-color"]);
    assert!(err.contains("department_id"), "{err}");
}
