//! Acceptance tests of `halopsa_api_application`: real Terraform, the provider under
//! test and halo-sim. Arguments (docs/resources/api_application.md): `name` R; `authentication_method` O
//! (`client_credentials` default, `authorization_code`); `login_as_agent_id`
//! (required with `client_credentials`); `permissions` O (Halo scope names);
//! `active` O (default true); `client_id` C; `client_secret` C sensitive. Agents
//! are made out of band (`env.sim.insert`).

use crate::support::{id_of, resource_block, Action, Kind, TestEnv};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_api_application.app";
const APPLICATION_PATH: &str = "/api/Application";

/// An API-only agent made in Halo by hand; answers its id.
fn api_agent(env: &TestEnv, name: &str) -> String {
    env.sim_insert(
        Kind::Agent,
        json!({"name": name, "isapiagent": true, "isdisabled": false, "roles": [], "departments": []}),
    )
}

/// A `halopsa_api_application "app"` block; `args` are HCL expressions.
fn app_config(args: &[(&str, String)]) -> String {
    resource_block("halopsa_api_application", "app", args)
}

fn s(v: &str) -> String {
    json!(v).to_string()
}

fn basic(agent: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", s("Integration")),
        ("login_as_agent_id", s(agent)),
        (
            "permissions",
            json!(["read:tickets", "edit:customers"]).to_string(),
        ),
    ]
}

/// The one application in Halo with this name (`displayName`).
fn halo_app(env: &TestEnv, name: &str) -> Value {
    env.sim_one_where(Kind::Application, "displayName", name)
}

fn scope_names(app: &Value) -> Vec<String> {
    let mut names: Vec<String> = app["scopes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn create_update_and_destroy_with_a_secret_that_stays_hidden() {
    let env = TestEnv::new();
    let agent = api_agent(&env, "api-bot");
    let wd = env.workdir();
    wd.write_config(&app_config(&basic(&agent)));

    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Create);
    assert!(
        plan.is_unknown(ADDR, "client_id") && plan.is_unknown(ADDR, "client_secret"),
        "client_id and client_secret should be known after apply:\n{:#}",
        plan.json
    );
    assert_eq!(
        plan.change(ADDR)["after_sensitive"]["client_secret"],
        true,
        "client_secret should be a sensitive value:\n{:#}",
        plan.json
    );
    let out = wd.run(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[("TF_LOG", "TRACE")],
    );
    assert!(out.success(), "apply failed\n{out}");

    let halo = halo_app(&env, "Integration");
    let state = wd.resource(ADDR);
    let secret = state["client_secret"]
        .as_str()
        .expect("the client secret is in the state")
        .to_string();
    assert!(!secret.is_empty());
    assert!(
        !out.combined().contains(&secret),
        "the client secret appeared in Terraform's output or logs"
    );
    assert_eq!(state["id"], id_of(&halo).as_str());
    assert_eq!(state["client_id"], halo["clientId"]);
    assert!(state["client_id"].as_str().is_some_and(|c| !c.is_empty()));
    assert_eq!(state["authentication_method"], "client_credentials");
    assert_eq!(state["active"], true);
    assert_eq!(state["login_as_agent_id"], agent.as_str());
    assert_eq!(halo["grant_type"], "client_credentials");
    assert_eq!(halo["loginentity"], 0);
    assert_eq!(id_of(&json!({"id": halo["loginas_agent_id"]})), agent);
    assert_eq!(halo["inactive"], false);
    assert_eq!(scope_names(&halo), vec!["edit:customers", "read:tickets"]);
    assert_eq!(
        wd.state_entry(ADDR)["sensitive_values"]["client_secret"],
        true,
        "client_secret is not marked sensitive"
    );
    let shown = wd.run_ok(&["show", "-no-color"]);
    assert!(shown.contains("(sensitive value)") && !shown.contains(&secret));
    wd.assert_plan_clean();

    // In-place update: name, scopes, active; the client id and secret stay.
    let client_id = state["client_id"].clone();
    wd.write_config(&app_config(&[
        ("name", s("Integration v2")),
        ("login_as_agent_id", s(&agent)),
        ("permissions", json!(["all"]).to_string()),
        ("active", "false".into()),
    ]));
    wd.plan_json().assert_only(ADDR, Action::Update);
    let plan = wd.plan_text();
    assert!(
        !plan.contains(&secret),
        "the plan shows the client secret:\n{plan}"
    );
    wd.apply();
    let halo = halo_app(&env, "Integration v2");
    assert_eq!(halo["inactive"], true);
    assert_eq!(scope_names(&halo), vec!["all"]);
    let state = wd.resource(ADDR);
    assert_eq!(state["client_id"], client_id);
    assert_eq!(state["client_secret"], secret.as_str());
    wd.assert_plan_clean();

    // Permissions removed from the configuration: cleared in Halo.
    wd.write_config(&app_config(&[
        ("name", s("Integration v2")),
        ("login_as_agent_id", s(&agent)),
    ]));
    wd.apply();
    assert!(scope_names(&halo_app(&env, "Integration v2")).is_empty());
    assert_eq!(wd.resource(ADDR)["permissions"], Value::Null);
    wd.assert_plan_clean();

    // An empty set is kept as such.
    wd.write_config(&app_config(&[
        ("name", s("Integration v2")),
        ("login_as_agent_id", s(&agent)),
        ("permissions", "[]".into()),
    ]));
    wd.apply();
    wd.assert_plan_clean();

    wd.destroy();
    assert!(env.sim.objects(Kind::Application).is_empty());
    assert!(wd.try_resource(ADDR).is_none());
}

#[test]
fn import_gives_a_null_secret_and_a_clean_plan() {
    let env = TestEnv::new();
    let agent = api_agent(&env, "api-bot");
    let created = env.applied(&app_config(&basic(&agent)));
    let mut expected = created.resource(ADDR);
    expected["client_secret"] = Value::Null;
    let id = expected["id"].as_str().unwrap().to_string();
    let posts = env.request_count("POST", APPLICATION_PATH);

    let by_command =
        env.assert_imports(&app_config(&basic(&agent)), &[(ADDR, &id)], ADDR, &expected);

    // A later change keeps the secret null without a diff on it.
    by_command.write_config(&app_config(&[
        ("name", s("Renamed")),
        ("login_as_agent_id", s(&agent)),
        (
            "permissions",
            json!(["read:tickets", "edit:customers"]).to_string(),
        ),
    ]));
    by_command.apply();
    assert_eq!(by_command.resource(ADDR)["client_secret"], Value::Null);
    by_command.assert_plan_clean();

    assert_eq!(env.request_count("POST", APPLICATION_PATH), posts + 1);
    env.assert_import_fails(
        &app_config(&basic(&agent)),
        ADDR,
        "00000000-1111-2222-3333-444444444444",
    );
}

#[test]
fn changes_made_in_halo_show_up_in_the_plan() {
    let env = TestEnv::new();
    let agent = api_agent(&env, "api-bot");
    let wd = env.applied(&app_config(&basic(&agent)));
    let id = wd.resource_id(ADDR);

    assert!(env.sim.patch(
        Kind::Application,
        &id,
        json!({"inactive": true, "scopes": [{"name": "admin"}]})
    ));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(
        plan.before_after(ADDR, "permissions"),
        (
            &json!(["admin"]),
            &json!(["edit:customers", "read:tickets"])
        ),
        "expected the hand edit to be undone"
    );
    assert_eq!(plan.changed_attributes(ADDR), ["active", "permissions"]);
    wd.apply();
    let halo = halo_app(&env, "Integration");
    assert_eq!(halo["inactive"], false);
    assert_eq!(scope_names(&halo), vec!["edit:customers", "read:tickets"]);
    wd.assert_plan_clean();

    assert!(env.sim.remove(Kind::Application, &id));
    wd.plan_json().assert_only(ADDR, Action::Create);
    wd.apply();
    let recreated = halo_app(&env, "Integration");
    assert_eq!(wd.resource(ADDR)["id"], id_of(&recreated).as_str());
    assert!(wd.resource(ADDR)["client_secret"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    wd.assert_plan_clean();
}

#[test]
fn authorization_code_needs_no_login_agent() {
    let env = TestEnv::new();
    let wd = env.applied(&app_config(&[
        ("name", s("Portal")),
        ("authentication_method", s("authorization_code")),
    ]));
    let halo = halo_app(&env, "Portal");
    assert_eq!(halo["grant_type"], "authorization_code");
    let state = wd.resource(ADDR);
    assert_eq!(state["login_as_agent_id"], Value::Null);
    assert_eq!(state["permissions"], Value::Null);
    wd.assert_plan_clean();
}

#[test]
fn bad_values_are_rejected_naming_the_attribute_and_nothing_is_created() {
    let env = TestEnv::new();
    let agent = api_agent(&env, "api-bot");
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            vec![
                ("name", s("X")),
                ("login_as_agent_id", s(&agent)),
                (
                    "permissions",
                    json!(["read:tickets", "write:everything"]).to_string(),
                ),
            ],
            "permissions",
        ),
        (vec![("name", s("X"))], "login_as_agent_id"),
        (
            vec![
                ("name", s("X")),
                ("authentication_method", s("client_credentials")),
            ],
            "login_as_agent_id",
        ),
        (
            vec![
                ("name", s("X")),
                ("authentication_method", s("password")),
                ("login_as_agent_id", s(&agent)),
            ],
            "authentication_method",
        ),
        (
            vec![("name", s("")), ("login_as_agent_id", s(&agent))],
            "name",
        ),
        (
            vec![("name", s("X")), ("login_as_agent_id", s("abc"))],
            "login_as_agent_id",
        ),
    ];
    for (args, attr) in cases {
        let wd = env.workdir();
        wd.write_config(&app_config(&args));
        wd.assert_plan_and_apply_reject(ADDR, attr);
    }
    assert_eq!(
        env.request_count("POST", APPLICATION_PATH),
        0,
        "a request to create was sent:\n{}",
        env.journal_summary()
    );

    // A login agent that does not exist: Halo refuses it, the error names it.
    let wd = env.workdir();
    wd.write_config(&app_config(&[
        ("name", s("X")),
        ("login_as_agent_id", s("987654")),
    ]));
    let err = wd.apply_err();
    assert!(
        err.contains(&format!("with {ADDR}")) && err.contains("login_as_agent_id"),
        "expected an error naming login_as_agent_id:\n{err}"
    );
    assert!(env.sim.objects(Kind::Application).is_empty());
    assert!(wd.try_resource(ADDR).is_none());
}

/// An organisation made in Halo by hand; answers its id.
fn organisation(env: &TestEnv, name: &str) -> String {
    env.sim_insert(Kind::Organisation, json!({"name": name}))
}

fn restricted_to(agent: &str, organisation: &str) -> String {
    let mut args = basic(agent);
    args.push(("organisation_id", s(organisation)));
    app_config(&args)
}

#[test]
fn an_application_restricted_to_an_organisation_moves_in_place_and_imports_clean() {
    let env = TestEnv::new();
    let agent = api_agent(&env, "tenant-api");
    let acme = organisation(&env, "Acme Ltd");
    let globex = organisation(&env, "Globex Corporation");

    let wd = env.applied(&restricted_to(&agent, &acme));
    let id = wd.resource_id(ADDR);
    let app = halo_app(&env, "Integration");
    assert_eq!(app["organisation_id"].to_string(), acme);
    assert_eq!(wd.resource(ADDR)["organisation_id"], acme.as_str());
    wd.assert_plan_clean();

    // Another organisation: an in-place update of the same application.
    wd.write_config(&restricted_to(&agent, &globex));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(plan.changed_attributes(ADDR), ["organisation_id"]);
    wd.apply();
    let app = halo_app(&env, "Integration");
    assert_eq!(id_of(&app), id, "the move replaced the application");
    assert_eq!(app["organisation_id"].to_string(), globex);
    wd.assert_plan_clean();

    // Changed in Halo by hand: the next plan puts it back.
    let acme_id: i64 = acme.parse().unwrap();
    assert!(env
        .sim
        .patch(Kind::Application, &id, json!({"organisation_id": acme_id})));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert_eq!(plan.changed_attributes(ADDR), ["organisation_id"]);
    wd.apply();
    assert_eq!(
        halo_app(&env, "Integration")["organisation_id"].to_string(),
        globex
    );

    // Imported (the secret is null after an import), with a clean plan.
    let mut expected = wd.resource(ADDR);
    expected["client_secret"] = Value::Null;
    env.assert_imports(
        &restricted_to(&agent, &globex),
        &[(ADDR, &id)],
        ADDR,
        &expected,
    );
}

#[test]
fn an_organisation_that_does_not_exist_is_refused_naming_organisation_id() {
    let env = TestEnv::new();
    let agent = api_agent(&env, "tenant-api");

    // On create: one error on the attribute, nothing created.
    let wd = env.workdir();
    wd.write_config(&restricted_to(&agent, "987654"));
    wd.assert_apply_rejects(ADDR, "organisation_id");
    assert!(
        env.sim.objects(Kind::Application).is_empty(),
        "an application was created"
    );

    // Not a Halo id at all: refused at plan.
    let wd = env.workdir();
    wd.write_config(&restricted_to(&agent, "acme"));
    wd.assert_plan_and_apply_reject(ADDR, "organisation_id");

    // On update: the same error, and the application keeps its organisation.
    let acme = organisation(&env, "Acme Ltd");
    let wd = env.applied(&restricted_to(&agent, &acme));
    wd.write_config(&restricted_to(&agent, "987654"));
    let err = wd.apply_err();
    let diagnostic = crate::support::diagnostic_text(&err);
    assert!(
        diagnostic.contains("Invalid organisation_id") && diagnostic.contains("987654"),
        "expected an error naming organisation_id:\n{err}"
    );
    assert_eq!(
        halo_app(&env, "Integration")["organisation_id"].to_string(),
        acme
    );
    wd.write_config(&restricted_to(&agent, &acme));
    wd.assert_plan_clean();
}

/// The warnings of `terraform plan -json` (which must succeed).
fn plan_warnings(wd: &crate::support::Workdir) -> Vec<String> {
    let out = wd.run(&["plan", "-json", "-input=false"], &[]);
    assert!(out.success(), "{out}");
    crate::support::diagnostics::parse_json_diagnostics(&out.stdout)
        .into_iter()
        .filter(|d| d.severity == "warning")
        .map(|d| d.text())
        .collect()
}

#[test]
fn an_organisation_scoped_application_with_all_teams_is_warned_about_at_plan() {
    let env = TestEnv::new();
    let agent = api_agent(&env, "tenant-api");
    let acme = organisation(&env, "Acme Ltd");
    let with_scopes = |scopes: Value, org: Option<&str>| {
        let mut args = vec![
            ("name", s("Integration")),
            ("login_as_agent_id", s(&agent)),
            ("permissions", scopes.to_string()),
        ];
        if let Some(org) = org {
            args.push(("organisation_id", s(org)));
        }
        app_config(&args)
    };
    let wd = env.workdir();

    wd.write_config(&with_scopes(
        json!(["read:tickets", "all:teams"]),
        Some(&acme),
    ));
    let warnings = plan_warnings(&wd);
    assert!(
        warnings.iter().any(|w| w.contains("All: Teams")
            && w.contains("all:teams")
            && w.contains("organisation_id")),
        "expected a warning about all:teams: {warnings:#?}"
    );

    // Without the restriction, or without the scope: no warning.
    wd.write_config(&with_scopes(json!(["read:tickets", "all:teams"]), None));
    assert!(plan_warnings(&wd).iter().all(|w| !w.contains("All: Teams")));
    wd.write_config(&with_scopes(json!(["read:tickets"]), Some(&acme)));
    assert!(plan_warnings(&wd).iter().all(|w| !w.contains("All: Teams")));

    // The scope is one Halo knows: the application applies with it.
    wd.write_config(&with_scopes(json!(["read:tickets", "all:teams"]), None));
    wd.apply();
    assert_eq!(
        scope_names(&halo_app(&env, "Integration")),
        ["all:teams", "read:tickets"]
    );
    wd.assert_plan_clean();
}
