//! `terraform-provider-halopsa doctor`: the built binary against halo-sim.

use std::process::{Command, Output};

use halo_sim::{Kind, Sim, SimOptions};
use serde_json::{json, Value};

const APP_SECRET: &str = "seeded-application-secret-7f3a91";

const CHECK_IDS: [&str; 13] = [
    "auth",
    "list_shape",
    "pagination",
    "api_agents_hidden",
    "details",
    "role_claims",
    "membership_levels",
    "application_methods",
    "scopes",
    "webhook_encodings",
    "service_desk_encodings",
    "sla_units",
    "custom_field_types",
];

fn start() -> Sim {
    Sim::start(SimOptions::default()).expect("start halo-sim")
}

/// Runs `doctor ARGS` with only the given `HALOPSA_*` variables set.
fn doctor(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_terraform-provider-halopsa"));
    cmd.arg("doctor").args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("HALOPSA_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HALOPSA_MAX_RETRIES", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run the provider binary")
}

fn signed_in(sim: &Sim, args: &[&str]) -> Output {
    let url = sim.url();
    let opts = SimOptions::default();
    doctor(
        &[
            ("HALOPSA_URL", url.as_str()),
            ("HALOPSA_CLIENT_ID", opts.client_id.as_str()),
            ("HALOPSA_CLIENT_SECRET", opts.client_secret.as_str()),
        ],
        args,
    )
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn report(sim: &Sim) -> Value {
    let out = signed_in(sim, &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "doctor failed: {}",
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("doctor --json printed no JSON ({e}): {}", stdout(&out)))
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {report:#}"))
}

/// A tenant with roles holding `claims`, agents (one API-only) with memberships,
/// and an API application with a secret and scopes.
fn seed(sim: &Sim, claims: Value) -> String {
    let department = sim
        .objects(Kind::Department)
        .first()
        .map(|d| d["id"].clone())
        .unwrap_or(json!(1));
    let role = sim.insert(
        Kind::Role,
        json!({
            "name": "Integrations",
            "notes": "",
            "claims": claims,
            "departments": [{"department_id": department, "membershiplevel": 1}]
        }),
    );
    sim.insert(
        Kind::Role,
        json!({"name": "Empty", "notes": "", "claims": [], "departments": []}),
    );
    let agent = sim.insert(
        Kind::Agent,
        json!({
            "name": "api-integration",
            "email": "api@example.com",
            "firstname": "API",
            "surname": "",
            "isapiagent": true,
            "isdisabled": false,
            "roles": [{"id": role["id"]}],
            "departments": [{"department_id": department, "membershiplevel": 0}]
        }),
    );
    let app = sim.insert(
        Kind::Application,
        json!({
            "displayName": "Integration",
            "grant_type": "client_credentials",
            "loginentity": 0,
            "loginas_agent_id": agent["id"],
            "scopes": [{"name": "read:tickets"}, {"name": "edit:customers"}],
            "inactive": false,
            "clientId": "6b2f5e0e-0d5c-4b8f-9d0e-3c1f2a4b5c6d"
        }),
    );
    // Out of band, so that Halo answers it on every read, as the worst case.
    let app_id = app["id"].as_str().unwrap_or_default();
    assert!(sim.patch(
        Kind::Application,
        app_id,
        json!({"clientSecret": APP_SECRET})
    ));
    role["id"].as_str().unwrap_or_default().to_owned()
}

fn table_claims() -> Value {
    json!([
        {"type": "Tx", "value": "1"},
        {"type": "Ux", "value": "3"},
        {"type": "l6", "value": "1"},
        {"type": "l4", "value": "0"},
        {"type": "some:other", "value": "kept"}
    ])
}

/// `GET {sim}/api/{path}` with a fresh token, as text.
fn api_get(sim: &Sim, path: &str) -> String {
    let opts = SimOptions::default();
    let base = sim.url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let token: Value = http
            .post(format!("{base}/auth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", opts.client_id.as_str()),
                ("client_secret", opts.client_secret.as_str()),
                ("scope", "all"),
            ])
            .send()
            .await
            .expect("token request")
            .json()
            .await
            .expect("token answer");
        http.get(format!("{base}/api/{path}"))
            .bearer_auth(token["access_token"].as_str().unwrap_or_default())
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("GET answer")
    })
}

#[test]
fn json_report_has_every_check_sends_only_gets_and_no_secret() {
    let sim = start();
    seed(&sim, table_claims());
    // Halo answers the application secret: the doctor must still not show it.
    assert!(api_get(&sim, "Application?includedetails=true").contains(APP_SECRET));
    sim.clear_journal();
    let out = signed_in(&sim, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let report: Value = serde_json::from_str(&text).expect("JSON");

    assert_eq!(report["instance"], sim.url());
    let checks = report["checks"].as_array().expect("checks is an array");
    let ids: Vec<&str> = checks.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, CHECK_IDS);
    for c in checks {
        assert!(
            ["confirmed", "contradicted", "unchecked"]
                .contains(&c["verdict"].as_str().unwrap_or("")),
            "bad verdict in {c}"
        );
        assert!(
            c["evidence"].is_object(),
            "evidence of {} is not an object",
            c["id"]
        );
    }
    assert_eq!(check(&report, "auth")["verdict"], "confirmed");
    assert_eq!(
        check(&report, "auth")["evidence"]["discovery"],
        "/api/authinfo"
    );
    assert_eq!(check(&report, "scopes")["verdict"], "confirmed");
    assert_eq!(
        check(&report, "application_methods")["verdict"],
        "confirmed"
    );
    assert_eq!(check(&report, "membership_levels")["verdict"], "confirmed");
    assert_eq!(check(&report, "api_agents_hidden")["verdict"], "confirmed");
    assert_eq!(check(&report, "details")["verdict"], "confirmed");
    let kinds = &check(&report, "list_shape")["evidence"]["kinds"];
    for path in [
        "Organisation",
        "TopLevel",
        "Team",
        "Workday",
        "Agent",
        "Roles",
        "Application",
        "Webhook",
        "Client",
        "Status",
        "Outcome",
        "Category",
    ] {
        assert!(
            kinds[path]["shape"].is_string(),
            "no shape for {path}: {kinds}"
        );
    }

    // Read-only: GET only, besides the token request; within the budget.
    let journal = sim.journal();
    let writes: Vec<String> = journal
        .iter()
        .filter(|e| e.method != "GET" && !(e.method == "POST" && e.path == "/auth/token"))
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    assert!(writes.is_empty(), "the doctor sent {writes:?}");
    assert!(journal.iter().any(|e| e.path == "/auth/token"));
    assert!(journal.len() <= 60, "{} requests", journal.len());
    assert_eq!(report["requests"].as_u64(), Some(journal.len() as u64));

    // No secret anywhere in the output.
    let all = format!("{text}{}", stderr(&out));
    let opts = SimOptions::default();
    let tokens = sim.issued_tokens();
    assert!(!tokens.is_empty());
    for secret in tokens
        .iter()
        .map(String::as_str)
        .chain([APP_SECRET, opts.client_secret.as_str()])
    {
        assert!(!all.contains(secret), "the output holds a secret: {all}");
    }
}

#[test]
fn text_report_has_one_line_per_check_and_the_fix_when_contradicted() {
    let sim = start();
    seed(&sim, json!([{"type": "perm.tickets", "value": "2"}]));
    let out = signed_in(&sim, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for id in CHECK_IDS {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{id}: "))),
            "no line for {id}:\n{text}"
        );
    }
    let claims_line = text
        .lines()
        .find(|l| l.starts_with("role_claims: "))
        .unwrap_or_default();
    assert!(
        claims_line.starts_with("role_claims: contradicted"),
        "{claims_line}"
    );
    assert!(text.contains("to correct: the PERMISSIONS table"), "{text}");
    assert!(text.contains("src/resources/role.rs"), "{text}");
    assert!(!text.contains(APP_SECRET));
}

#[test]
fn claims_of_an_unknown_encoding_are_contradicted_naming_the_types() {
    let sim = start();
    seed(
        &sim,
        json!([
            {"type": "perm.tickets", "value": "2"},
            {"type": "perm.clients", "value": "1"}
        ]),
    );
    let report = report(&sim);
    let c = check(&report, "role_claims");
    assert_eq!(c["verdict"], "contradicted", "{c:#}");
    let summary = c["evidence"]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("perm.tickets") && summary.contains("perm.clients"),
        "{summary}"
    );
    assert_eq!(
        c["evidence"]["claim_types_seen"]["perm.tickets"],
        json!(["2"])
    );
}

#[test]
fn table_types_with_other_values_are_contradicted() {
    let sim = start();
    seed(&sim, json!([{"type": "Tx", "value": "3"}]));
    let c = check(&report(&sim), "role_claims").clone();
    assert_eq!(c["verdict"], "contradicted", "{c:#}");
    assert!(c["evidence"]["summary"]
        .as_str()
        .unwrap_or_default()
        .contains("Tx = 3"));
}

#[test]
fn claims_of_the_table_are_confirmed() {
    let sim = start();
    seed(&sim, table_claims());
    let c = check(&report(&sim), "role_claims").clone();
    assert_eq!(c["verdict"], "confirmed", "{c:#}");
    assert_eq!(c["evidence"]["other_types"], json!(["some:other"]));
}

#[test]
fn legacy_names_and_claims_an_earlier_build_wrote_are_reported() {
    let sim = start();
    seed(
        &sim,
        json!([
            {"type": "Ticket_Level", "value": "2"},
            {"type": "Can_Log_Tickets", "value": "1"},
            {"type": "SA", "value": "true"}
        ]),
    );
    let c = check(&report(&sim), "role_claims").clone();
    assert_eq!(c["verdict"], "confirmed", "{c:#}");
    assert_eq!(
        c["evidence"]["legacy_names_seen"],
        json!({"Can_Log_Tickets": "l6", "Ticket_Level": "Tx"})
    );
    assert_eq!(c["evidence"]["kept_as_extra_claims"], json!(["SA"]));
    let summary = c["evidence"]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("2 under a legacy name"), "{summary}");

    // A legacy name holding a value outside its permission's values is named.
    let sim = start();
    seed(&sim, json!([{"type": "Customers_Level", "value": "9"}]));
    let c = check(&report(&sim), "role_claims").clone();
    assert_eq!(c["verdict"], "contradicted", "{c:#}");
    assert!(c["evidence"]["summary"]
        .as_str()
        .unwrap_or_default()
        .contains("Customers_Level = 9"));
}

#[test]
fn membership_levels_count_role_rows_by_their_role_id() {
    let sim = start();
    seed(&sim, table_claims());
    let c = check(&report(&sim), "membership_levels").clone();
    assert_eq!(c["verdict"], "confirmed", "{c:#}");
    // halo-sim answers a role's own rows with its id, as Halo's one table keeps them.
    assert_eq!(
        c["evidence"]["role_rows_by_role_id"],
        json!({"own_id": 1, "other_id": 0, "absent": 0})
    );
    let summary = c["evidence"]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("1 with the role's own id"), "{summary}");
    // Head of Department (3) is one of the provider's levels.
    let department = sim.objects(Kind::Department)[0]["id"].clone();
    sim.insert(
        Kind::Role,
        json!({"name": "Heads", "notes": "", "claims": [],
               "departments": [{"department_id": department, "membershiplevel": 3}]}),
    );
    let c = check(&report(&sim), "membership_levels").clone();
    assert_eq!(c["verdict"], "confirmed", "{c:#}");
    assert_eq!(c["evidence"]["roles_levels_seen"]["3"], 1, "{c:#}");
}

#[test]
fn roles_without_claims_leave_the_claims_unchecked() {
    let sim = start();
    seed(&sim, json!([]));
    let c = check(&report(&sim), "role_claims").clone();
    assert_eq!(c["verdict"], "unchecked", "{c:#}");
}

#[test]
fn webhook_encodings_are_checked_against_the_tables() {
    let sim = start();
    seed(&sim, table_claims());
    let unchecked = check(&report(&sim), "webhook_encodings").clone();
    assert_eq!(unchecked["verdict"], "unchecked", "{unchecked:#}");

    sim.insert(
        Kind::Webhook,
        json!({"name": "Known", "url": "https://a.example", "method": 1,
               "authentication_type": 1, "basic_password": "hook-pw-123",
               "events": [{"eventno": 3}]}),
    );
    let known = check(&report(&sim), "webhook_encodings").clone();
    assert_eq!(known["verdict"], "confirmed", "{known:#}");
    assert!(!known.to_string().contains("hook-pw-123"));

    sim.insert(
        Kind::Webhook,
        json!({"name": "Odd", "url": "https://b.example", "method": 9,
               "authentication_type": 5, "events": [{"name": "no number"}]}),
    );
    let odd = check(&report(&sim), "webhook_encodings").clone();
    assert_eq!(odd["verdict"], "contradicted", "{odd:#}");
    let summary = odd["evidence"]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("method values") && summary.contains('9') && summary.contains("eventno"),
        "{summary}"
    );
}

#[test]
fn status_action_and_category_encodings_are_checked_against_the_tables() {
    let sim = start();
    seed(&sim, table_claims());
    sim.insert_generic(
        "Status",
        json!({"name": "Waiting", "type": 3, "slaaction": "hold"}),
    );
    sim.insert_generic(
        "Outcome",
        json!({"outcome": "Ask", "newstatus": 9, "hidden": true}),
    );
    sim.insert_generic(
        "Category",
        json!({"value": "Hardware>Laptop", "type_id": 1}),
    );
    let known = check(&report(&sim), "service_desk_encodings").clone();
    assert_eq!(known["verdict"], "confirmed", "{known:#}");
    // The status types have no table: the values seen are reported.
    assert_eq!(known["evidence"]["status_types_seen"]["3"], 1, "{known:#}");
    assert_eq!(
        known["evidence"]["outcomes"], 1,
        "a hidden action is listed too"
    );
    assert_eq!(known["evidence"]["category_paths_with_separator"], 1);

    sim.insert_generic("Status", json!({"name": "Odd", "slaaction": "P"}));
    sim.insert_generic("Outcome", json!({"outcome": "Lost", "newstatus": 4242}));
    sim.insert_generic("Category", json!({"value": "Other", "type_id": 7}));
    let odd = check(&report(&sim), "service_desk_encodings").clone();
    assert_eq!(odd["verdict"], "contradicted", "{odd:#}");
    let summary = odd["evidence"]["summary"].as_str().unwrap_or_default();
    for part in ["slaaction", "P", "type_id", "7", "4242"] {
        assert!(summary.contains(part), "{part} missing from {summary}");
    }
}

#[test]
fn sla_units_and_custom_field_types_are_checked_against_the_tables() {
    let sim = start();
    seed(&sim, table_claims());
    let report0 = report(&sim);
    assert_eq!(check(&report0, "sla_units")["verdict"], "unchecked");
    assert_eq!(
        check(&report0, "custom_field_types")["verdict"],
        "unchecked"
    );

    // The priorities come with the SLA's details only: the doctor reads them.
    sim.insert_generic(
        "SLA",
        json!({"name": "Gold", "priorities": [
            {"id": "a", "priorityid": 1, "responseunits": "H", "fixunits": "D"}
        ]}),
    );
    sim.insert_generic(
        "FieldInfo",
        json!({"name": "size", "type": 2, "values": []}),
    );
    let known = report(&sim);
    assert_eq!(
        check(&known, "sla_units")["verdict"],
        "confirmed",
        "{known:#}"
    );
    assert_eq!(check(&known, "custom_field_types")["verdict"], "confirmed");

    sim.insert_generic(
        "FieldInfo",
        json!({"name": "odd", "type": 42, "values": []}),
    );
    let odd = check(&report(&sim), "custom_field_types").clone();
    assert_eq!(odd["verdict"], "contradicted", "{odd:#}");
    assert!(odd.to_string().contains("42"), "{odd:#}");

    // A unit the table lacks, on the SLA the doctor reads with its details (the
    // first listed: list answers leave the priorities out).
    let other = start();
    seed(&other, table_claims());
    other.insert_generic(
        "SLA",
        json!({"name": "Odd", "priorities": [
            {"id": "b", "priorityid": 1, "responseunits": "W", "fixunits": "D"}
        ]}),
    );
    let units = check(&report(&other), "sla_units").clone();
    assert_eq!(units["verdict"], "contradicted", "{units:#}");
    assert!(units.to_string().contains("\"W\""), "{units:#}");
}

#[test]
fn unknown_levels_grant_types_and_scopes_are_contradicted() {
    let sim = start();
    seed(&sim, table_claims());
    sim.insert(
        Kind::Role,
        json!({"name": "Odd", "claims": [], "departments": [{"department_id": 1, "membershiplevel": 7}]}),
    );
    sim.insert(
        Kind::Application,
        json!({
            "displayName": "Odd",
            "grant_type": "implicit",
            "loginentity": 2,
            "scopes": [{"name": "read:actions"}],
            "inactive": false
        }),
    );
    let report = report(&sim);
    let levels = check(&report, "membership_levels");
    assert_eq!(levels["verdict"], "contradicted", "{levels:#}");
    assert!(levels["evidence"]["summary"]
        .as_str()
        .unwrap_or_default()
        .contains('7'));
    let methods = check(&report, "application_methods");
    assert_eq!(methods["verdict"], "contradicted", "{methods:#}");
    assert!(methods["evidence"]["summary"]
        .as_str()
        .unwrap_or_default()
        .contains("implicit"));
    let scopes = check(&report, "scopes");
    assert_eq!(scopes["verdict"], "contradicted", "{scopes:#}");
    assert!(scopes["evidence"]["summary"]
        .as_str()
        .unwrap_or_default()
        .contains("read:actions"));
}

#[test]
fn a_larger_tenant_stays_within_the_request_budget() {
    let sim = start();
    seed(&sim, table_claims());
    for i in 0..250 {
        sim.insert(Kind::Organisation, json!({"name": format!("Customer {i}")}));
        sim.insert(
            Kind::Agent,
            json!({"name": format!("agent{i}"), "isapiagent": false, "isdisabled": false,
                   "roles": [], "departments": []}),
        );
    }
    sim.clear_journal();
    let report = report(&sim);
    let journal = sim.journal();
    assert!(journal.len() <= 60, "{} requests", journal.len());
    assert!(journal
        .iter()
        .all(|e| e.method == "GET" || e.path == "/auth/token"));
    let orgs = &check(&report, "list_shape")["evidence"]["kinds"]["Organisation"];
    assert_eq!(orgs["objects"], json!(251), "{orgs}");
}

#[test]
fn wrong_credentials_exit_2_naming_the_variables() {
    let sim = start();
    let url = sim.url();
    let out = doctor(
        &[
            ("HALOPSA_URL", url.as_str()),
            ("HALOPSA_CLIENT_ID", "halo-sim"),
            ("HALOPSA_CLIENT_SECRET", "wrong-secret-value"),
        ],
        &["--json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cannot sign in"), "{err}");
    assert!(
        err.contains("HALOPSA_CLIENT_ID") && err.contains("HALOPSA_CLIENT_SECRET"),
        "{err}"
    );
    assert!(!err.contains("wrong-secret-value"), "{err}");
    assert!(stdout(&out).is_empty());
    assert!(sim
        .journal()
        .iter()
        .all(|e| e.path == "/auth/token" || e.path == "/api/authinfo"));
}

#[test]
fn missing_configuration_exits_2_naming_the_variable() {
    let out = doctor(
        &[("HALOPSA_CLIENT_ID", "x"), ("HALOPSA_CLIENT_SECRET", "y")],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("Missing url"), "{err}");
    assert!(err.contains("environment variable HALOPSA_URL"), "{err}");
    assert!(!err.contains("Missing client_id"), "{err}");
    let out = doctor(&[("HALOPSA_URL", "http://127.0.0.1:9")], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("environment variable HALOPSA_CLIENT_ID"),
        "{err}"
    );
    assert!(
        err.contains("environment variable HALOPSA_CLIENT_SECRET"),
        "{err}"
    );
}

#[test]
fn the_budget_stops_the_reads_at_60_requests() {
    let sim = start();
    seed(&sim, table_claims());
    // Roles listed without their claims: the doctor reads each on its own
    // until the budget is spent.
    for i in 0..80 {
        sim.insert(
            Kind::Role,
            json!({"name": format!("Bare {i}"), "departments": []}),
        );
    }
    sim.clear_journal();
    let report = report(&sim);
    let journal = sim.journal();
    assert_eq!(journal.len(), 60, "the budget is used, and not exceeded");
    assert_eq!(report["requests"], json!(60));
    assert!(journal
        .iter()
        .all(|e| e.method == "GET" || e.path == "/auth/token"));
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .map(|cs| cs.iter().filter_map(|c| c["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, CHECK_IDS);
    // Everything but the claims was read before the budget ran out.
    assert_eq!(check(&report, "scopes")["verdict"], "confirmed");
    assert_eq!(check(&report, "role_claims")["verdict"], "confirmed");
}
