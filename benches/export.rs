//! `cargo bench --bench export`: the Halo requests of `terraform-provider-halopsa
//! export` of a seeded tenant, against the bound of issue #23: one request per
//! page of each list the export reads (every kind; a membership kind reads its
//! parents' list) plus one per object that needs a detail read, counted from
//! halo-sim's journal.
//!
//! `BENCH_SCALE=0.2 cargo bench --bench export` for a quick look.

#[allow(dead_code, unused_imports)]
#[path = "../tests/acceptance/support/mod.rs"]
mod common;

use std::process::Command;
use std::time::Instant;

use common::{Kind, TestEnv};
use serde_json::json;

/// Halo's page size, which the client asks for (docs/halo-api.md, "Lists").
const PAGE: usize = 100;

fn scale(n: usize) -> usize {
    let s: f64 = std::env::var("BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    ((n as f64 * s).round() as usize).max(3)
}

/// A tenant: organisations with a department each, teams, roles with
/// memberships, agents with roles and memberships, clients, webhooks and
/// applications (the service desk: [`seed_service_desk`]).
fn seed(env: &TestEnv) {
    let orgs = scale(20);
    let mut departments = Vec::new();
    for i in 0..orgs {
        let o = env
            .sim
            .insert(Kind::Organisation, json!({"name": format!("Org {i}")}));
        let d = env.sim.insert(
            Kind::Department,
            json!({"name": format!("Desk {i}"), "organisation_id": o["id"]}),
        );
        departments.push(d["id"].clone());
    }
    for i in 0..scale(150) {
        env.sim.insert(
            Kind::Team,
            json!({"name": format!("Team {i}"), "department_id": departments[i % orgs]}),
        );
    }
    let mut roles = Vec::new();
    for i in 0..scale(30) {
        let r = env.sim.insert(
            Kind::Role,
            json!({"name": format!("Role {i}"), "claims": [],
                   "departments": [{"department_id": departments[i % orgs], "membershiplevel": 0}]}),
        );
        roles.push(r["id"].clone());
    }
    for i in 0..scale(250) {
        env.sim.insert(
            Kind::Agent,
            json!({"name": format!("agent{i}"), "isapiagent": i % 5 == 0,
                   "roles": [{"id": roles[i % roles.len()]}],
                   "departments": [{"department_id": departments[i % orgs], "membershiplevel": i % 2}]}),
        );
    }
    for i in 0..scale(120) {
        env.sim.insert(
            Kind::Client,
            json!({"name": format!("Customer {i}"), "toplevel_id": departments[i % orgs]}),
        );
    }
    for i in 0..scale(10) {
        env.sim.insert(
            Kind::Webhook,
            json!({"name": format!("Hook {i}"), "url": "https://hooks.example.com", "events": []}),
        );
        env.sim.insert(
            Kind::Application,
            json!({"displayName": format!("App {i}"), "grant_type": "client_credentials",
                   "loginentity": 0, "scopes": [{"name": "all"}], "inactive": false}),
        );
    }
}

/// The service desk, in Halo's wire shape: statuses, outcomes that set them,
/// categories, SLAs with priorities on the work hours, ticket types sharing the
/// SLAs with allowed statuses and teams, custom fields in field groups.
fn seed_service_desk(env: &TestEnv) {
    let workday = env.sim.objects(Kind::Workday)[0]["id"].clone();
    let team = env.sim.objects(Kind::Team)[0]["id"].clone();
    let statuses: Vec<_> = (0..scale(15))
        .map(|i| {
            env.sim.insert_generic(
                "Status",
                json!({"name": format!("Status {i}"), "shortname": format!("S{i}"),
                       "sequence": 10 + i, "slaaction": "none"}),
            )["id"]
                .clone()
        })
        .collect();
    for i in 0..scale(20) {
        env.sim.insert_generic(
            "Outcome",
            json!({"outcome": format!("Action {i}"), "buttonname": format!("Action {i}"),
                   "newstatus": statuses[i % statuses.len()]}),
        );
    }
    for i in 0..scale(40) {
        env.sim.insert_generic(
            "Category",
            json!({"value": format!("Area {}>Item {i}", i % 5), "type_id": 1}),
        );
    }
    let slas: Vec<_> = (0..scale(10))
        .map(|i| {
            let priorities: Vec<_> = (1..=4)
                .map(|p| {
                    json!({"priorityid": p, "name": format!("P{p}"), "responsetime": p,
                           "responseunits": "H", "fixtime": 4 * p, "fixunits": "D"})
                })
                .collect();
            env.sim.insert_generic(
                "SLA",
                json!({"name": format!("SLA {i}"), "workday_id": workday,
                       "priorities": priorities}),
            )["id"]
                .clone()
        })
        .collect();
    for i in 0..scale(50) {
        env.sim.insert_generic(
            "TicketType",
            json!({"name": format!("Type {i}"), "default_sla": slas[i % slas.len()],
                   "default_priority": 1 + i % 4, "agentscanselect": true,
                   "enduserscanselect": false, "allowall_status": false,
                   "allowed_status": [{"status_id": statuses[i % statuses.len()]}],
                   "allowall_team": i % 2 == 0,
                   "allowed_teams": if i % 2 == 0 { json!([]) } else { json!([{"section_id": team}]) }}),
        );
    }
    let fields: Vec<_> = (0..scale(30))
        .map(|i| {
            env.sim.insert_generic(
                "FieldInfo",
                json!({"name": format!("field_{i}"), "label": format!("Field {i}"),
                       "type": 0, "inputtype": 0, "values": []}),
            )["id"]
                .clone()
        })
        .collect();
    for i in 0..scale(10) {
        env.sim.insert_generic(
            "FieldGroup",
            json!({"name": format!("Group {i}"),
                   "fields": [{"fieldid": fields[i % fields.len()]},
                              {"fieldid": fields[(i + 1) % fields.len()]}]}),
        );
    }
}

/// Requests a list of `n` objects takes at most: every full page, and the one
/// after it that finds the list ended.
fn pages(n: usize) -> usize {
    n / PAGE + 1
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let env = TestEnv::new();
    seed(&env);
    seed_service_desk(&env);
    let count = |k| env.sim.objects(k).len();
    let generic = |f| env.sim.generic_objects(f).len();
    // The lists each exported kind reads: a membership kind reads its parent's.
    let lists = [
        ("halopsa_organisation", count(Kind::Organisation)),
        ("halopsa_department", count(Kind::Department)),
        ("halopsa_team", count(Kind::Team)),
        ("halopsa_agent", count(Kind::Agent)),
        ("halopsa_role", count(Kind::Role)),
        ("halopsa_role_department", count(Kind::Role)),
        ("halopsa_agent_department", count(Kind::Agent)),
        ("halopsa_api_application", count(Kind::Application)),
        ("halopsa_client", count(Kind::Client)),
        ("halopsa_webhook", count(Kind::Webhook)),
        ("halopsa_workday", count(Kind::Workday)),
        ("halopsa_status", generic("Status")),
        ("halopsa_outcome", generic("Outcome")),
        ("halopsa_category", generic("Category")),
        ("halopsa_sla", generic("SLA")),
        ("halopsa_ticket_type", generic("TicketType")),
        ("halopsa_custom_field", generic("FieldInfo")),
        ("halopsa_field_group", generic("FieldGroup")),
    ];
    // The kinds whose state needs a detail read of each object
    // (`ObjectResource::DETAILS`): at most one request per object.
    let detailed = [
        "halopsa_agent",
        "halopsa_role",
        "halopsa_api_application",
        "halopsa_webhook",
        "halopsa_sla",
        "halopsa_ticket_type",
        "halopsa_custom_field",
        "halopsa_field_group",
    ];
    let detail_bound: usize = lists
        .iter()
        .filter(|(k, _)| detailed.contains(k))
        .map(|(_, n)| n)
        .sum();
    let page_bound: usize = lists.iter().map(|(_, n)| pages(*n)).sum();
    let objects: usize = lists
        .iter()
        .filter(|(k, _)| !k.ends_with("_department") || *k == "halopsa_department")
        .map(|(_, n)| n)
        .sum();

    let dir = env.dir.path().join("export");
    env.sim.clear_journal();
    let started = Instant::now();
    let out = Command::new(common::provider_bin())
        .args(["export", "--dir", &dir.to_string_lossy()])
        .env("HALOPSA_URL", env.sim.url())
        .env("HALOPSA_CLIENT_ID", &env.client_id)
        .env("HALOPSA_CLIENT_SECRET", &env.client_secret)
        .env("HALOPSA_RATE_LIMIT_REQUESTS", "1000000")
        .output()
        .expect("run the provider binary");
    let took = started.elapsed();
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "export failed:\n{progress}");

    let journal = env.sim.journal();
    let api: Vec<_> = journal
        .iter()
        .filter(|e| e.path.starts_with("/api/") && e.path != "/api/authinfo")
        .collect();
    assert!(
        api.iter().all(|e| e.method == "GET"),
        "the export wrote to Halo"
    );
    // A detail read is a GET of one object; a list is a GET of the kind.
    let detail_reads = api
        .iter()
        .filter(|e| e.path.trim_start_matches("/api/").contains('/'))
        .count();
    let bound = page_bound + detail_bound;
    print!("{progress}");
    println!(
        "export of {objects} objects in {} kinds: {} Halo requests ({detail_reads} detail reads); \
         bound (pages of every list read {page_bound} + one per object of a kind read in detail \
         {detail_bound}) {bound}: ratio {:.2} ({}), {took:.2?}",
        lists.len(),
        api.len(),
        api.len() as f64 / bound as f64,
        if api.len() <= bound { "met" } else { "NOT met" }
    );
    assert!(
        api.len() <= bound,
        "the export took more requests than the bound"
    );
}
