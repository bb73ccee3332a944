//! The full examples through real Terraform against halo-sim: `examples/cork`
//! (the Cork integration guide as HCL) and `examples/multi-tenant`. Each applies,
//! plans clean, and destroys back to Halo's seed data.

use crate::support::{listed_ids, use_example, Kind, TestEnv};
use serde_json::{json, Value};

fn one_named(env: &TestEnv, kind: Kind, name: &str) -> Value {
    env.sim_one_named(kind, name)
}

fn claim(role: &Value, kind: &str) -> String {
    role["claims"]
        .as_array()
        .and_then(|claims| claims.iter().find(|c| c["type"] == kind))
        .and_then(|c| c["value"].as_str())
        .unwrap_or("absent")
        .to_string()
}

#[test]
fn cork_applies_plans_clean_and_destroys_clean() {
    let env = TestEnv::new();
    let before = env.sim.state();
    let wd = env.workdir();
    use_example(&wd, "cork");
    wd.apply();

    let service = one_named(&env, Kind::Department, "Service Desk");
    let workday = one_named(&env, Kind::Workday, "Standard Hours");

    let role = one_named(&env, Kind::Role, "CorkAPI");
    // Halo's own claim codes, exactly: Tickets, Clients and Users Access Level
    // (Tx "2" Read and Modify, Ux/Fx "2" Read Only) and the six ticket flags.
    for (kind, value) in [
        ("Tx", "2"),
        ("Ux", "2"),
        ("Fx", "2"),
        ("l6", "1"),
        ("lf", "1"),
        ("l9", "1"),
        ("l8", "1"),
        ("l4", "1"),
        ("le", "1"),
    ] {
        assert_eq!(claim(&role, kind), value, "role claim {kind}: {role:#}");
    }
    assert_eq!(
        role["claims"].as_array().map(Vec::len),
        Some(9),
        "no other claim: {role:#}"
    );
    assert_eq!(
        role["departments"],
        json!([{"department_id": service["id"], "membershiplevel": 0}])
    );

    let agent = one_named(&env, Kind::Agent, "CorkAPI");
    assert_eq!(agent["isapiagent"], true);
    assert_eq!(agent["team"], "1st Line Support");
    assert_eq!(agent["workday_id"], workday["id"]);
    assert_eq!(agent["roles"], json!([{"id": role["id"]}]));
    assert_eq!(
        agent["departments"],
        json!([{"department_id": service["id"], "membershiplevel": 0}])
    );

    // The module names the agent, the role and the application alike.
    let app = env.sim_one_where(Kind::Application, "displayName", "CorkAPI");
    assert_eq!(app["grant_type"], "client_credentials");
    assert_eq!(app["loginas_agent_id"], agent["id"]);
    let mut scopes: Vec<&str> = app["scopes"]
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    scopes.sort_unstable();
    assert_eq!(scopes, ["edit:tickets", "read:customers", "read:tickets"]);

    // The outputs Cork needs: the client id, and the secret only on request.
    assert_eq!(wd.output("client_id"), app["clientId"]);
    let secret = wd.output("client_secret");
    assert!(
        secret.as_str().is_some_and(|s| s.len() >= 20),
        "client_secret output: {secret}"
    );
    let shown = wd.run_ok(&["output", "-no-color"]);
    assert!(shown.contains("client_secret = <sensitive>"), "{shown}");
    assert!(
        !shown.contains(secret.as_str().unwrap_or("-")),
        "the secret is hidden by default"
    );

    wd.assert_plan_clean();
    wd.destroy();
    assert_eq!(env.sim.state(), before, "destroy leaves Halo as it was");
}

/// The Cork integration's role memberships, applied through the module, are the
/// role's own rows as Halo answers them (with the role's `role_id`): a second plan
/// is clean, import finds each one and `terraform query` generates a block for each.
#[test]
fn cork_role_memberships_import_and_generate_config() {
    let env = TestEnv::new();
    let wd = env.workdir();
    use_example(&wd, "cork");
    wd.apply();
    wd.assert_plan_clean();
    let role = one_named(&env, Kind::Role, "CorkAPI");
    let role_id = crate::support::id_of(&role);
    let service = crate::support::id_of(&one_named(&env, Kind::Department, "Service Desk"));
    let memberships: Vec<String> = wd
        .resource_addresses()
        .into_iter()
        .filter(|a| a.contains("halopsa_role_department."))
        .collect();
    assert_eq!(memberships.len(), 1, "{memberships:?}");
    let import_id = format!("{role_id}/{service}");
    assert_eq!(wd.resource(&memberships[0])["id"], import_id.as_str());

    // Import by command into a fresh state.
    let fresh = env.workdir();
    fresh.write_config(
        "resource \"halopsa_role_department\" \"cork\" {\n  role_id          = \"ROLE\"\n  department_id    = \"DEPT\"\n  membership_level = \"modify_all\"\n}\n"
            .replace("ROLE", &role_id)
            .replace("DEPT", &service)
            .as_str(),
    );
    fresh.import("halopsa_role_department.cork", &import_id);
    assert_eq!(
        fresh.resource("halopsa_role_department.cork")["membership_level"],
        "modify_all"
    );
    fresh.assert_plan_clean();

    // terraform query lists it and generates its configuration.
    let query = env.workdir();
    query.write_config("");
    query.write_file(
        "cork.tfquery.hcl",
        &format!(
            "list \"halopsa_role_department\" \"cork\" {{\n  provider         = halopsa\n  \
             include_resource = true\n  config {{\n    role_id = {}\n  }}\n}}\n",
            json!(role_id)
        ),
    );
    let out = query.run_ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    assert_eq!(
        listed_ids(&out, "halopsa_role_department", "cork"),
        [import_id.as_str()],
        "{out}"
    );
    let generated = std::fs::read_to_string(query.path.join("generated.tf")).unwrap_or_default();
    assert_eq!(
        generated
            .matches("resource \"halopsa_role_department\" ")
            .count(),
        1,
        "{generated}"
    );
    assert!(generated.contains(&service), "{generated}");
    let applied = query.apply();
    assert!(
        applied.contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed."),
        "{applied}"
    );
    query.assert_plan_clean();
}

#[test]
fn multi_tenant_follows_the_organisation_access_guide() {
    let env = TestEnv::new();
    let before = env.sim.state();
    let wd = env.workdir();
    use_example(&wd, "multi-tenant");
    wd.apply();

    let tenants = [
        ("acme", "Acme Ltd", &["Acme Retail", "Acme Logistics"][..]),
        ("globex", "Globex Corporation", &["Globex Research"][..]),
    ];
    for (key, organisation, customers) in tenants {
        let org = one_named(&env, Kind::Organisation, organisation);
        let dept = one_named(
            &env,
            Kind::Department,
            &format!("{organisation} Service Desk"),
        );
        assert_eq!(dept["organisation_id"], org["id"]);
        let agent = one_named(&env, Kind::Agent, &format!("{key}-api"));
        assert_eq!(
            agent["departments"],
            json!([{"department_id": dept["id"], "membershiplevel": 0}])
        );
        let app = env.sim_one_where(
            Kind::Application,
            "displayName",
            &format!("{organisation} integration"),
        );
        assert_eq!(app["loginas_agent_id"], agent["id"]);
        // The application is restricted to its tenant's organisation, without
        // "All: Teams".
        assert_eq!(app["organisation_id"], org["id"]);
        assert!(
            app["scopes"]
                .as_array()
                .is_some_and(|s| s.iter().all(|scope| scope["name"] != "all:teams")),
            "{app}"
        );
        assert_eq!(wd.output("client_ids")[key], app["clientId"]);
        // The tenant's customers sit in its department, so in its organisation.
        for customer in customers {
            let client = one_named(&env, Kind::Client, customer);
            assert_eq!(client["toplevel_id"], dept["id"], "{customer}");
            // ... and is configured for its tenant's organisation only.
            assert_eq!(
                client["allowed_organisations"],
                json!([{"id": org["id"]}]),
                "{customer}"
            );
            assert_eq!(client["all_organisations_allowed"], false, "{customer}");
            assert_eq!(
                wd.output("customer_ids")[key][customer],
                crate::support::id_of(&client).as_str()
            );
        }
    }
    wd.assert_plan_clean();

    // A third tenant is one more map entry.
    wd.write_file(
        "tenants.auto.tfvars",
        r#"tenants = {
  acme    = { organisation = "Acme Ltd", customers = ["Acme Retail", "Acme Logistics"], scopes = ["read:tickets", "edit:tickets", "read:customers"] }
  globex  = { organisation = "Globex Corporation", customers = ["Globex Research"], scopes = ["read:tickets", "read:customers"] }
  initech = { organisation = "Initech", customers = ["Initech Payroll"], scopes = ["read:tickets"] }
}
"#,
    );
    let out = wd.apply();
    assert!(out.contains("8 added, 0 changed, 0 destroyed"), "{out}");
    wd.assert_plan_clean();
    let initech = one_named(&env, Kind::Department, "Initech Service Desk");
    assert_eq!(
        one_named(&env, Kind::Client, "Initech Payroll")["toplevel_id"],
        initech["id"]
    );

    // The example refuses "All: Teams" for any tenant.
    wd.write_file(
        "tenants.auto.tfvars",
        r#"tenants = {
  acme = { organisation = "Acme Ltd", customers = [], scopes = ["read:tickets", "all:teams"] }
}
"#,
    );
    let err = wd.run_err(&["plan", "-no-color", "-input=false"]);
    assert!(err.contains("All: Teams"), "{err}");
    wd.write_file("tenants.auto.tfvars", "");
    wd.destroy();
    assert_eq!(env.sim.state(), before, "destroy leaves Halo as it was");
}
