//! Tests of the Halo client against halo-sim (the one Halo stand-in, on
//! 127.0.0.1:0), plus pure unit tests (parsing, paging, backoff, limiter with
//! paused time, secrets).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use halo_sim::{Fault, FaultAction, JournalEntry, Kind, Sim, SimOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;
use url::Url;

use super::backoff::{Backoff, MAX_RETRY_AFTER};
use super::client::{collect_pages, Page};
use super::config::{DEFAULT_RATE_LIMIT_BACKOFF_BASE, DEFAULT_RATE_LIMIT_BACKOFF_CAP};
use super::ratelimit::RateLimiter;
use super::*;

const CLIENT_ID: &str = "test-client";
const CLIENT_SECRET: &str = "s3cr3t-value-XYZ";

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn sim_options() -> SimOptions {
    SimOptions {
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        ..SimOptions::default()
    }
}

fn sim_with(opts: SimOptions) -> Sim {
    Sim::start(opts).expect("halo-sim starts")
}

fn sim() -> Sim {
    sim_with(sim_options())
}

fn test_config(url: &str) -> ClientConfig {
    let mut c = ClientConfig::new(Url::parse(url).expect("sim url"), CLIENT_ID, CLIENT_SECRET);
    c.timeout = Duration::from_secs(5);
    c.max_retries = 3;
    c.backoff_base = Duration::from_millis(1);
    c.backoff_cap = Duration::from_millis(5);
    c.rate_limit_backoff_base = Duration::from_millis(1);
    c.rate_limit_backoff_cap = Duration::from_millis(5);
    c
}

fn client_for(sim: &Sim) -> HaloClient {
    HaloClient::new(test_config(&sim.url())).expect("client")
}

fn org(name: &str) -> Organisation {
    Organisation {
        name: Some(name.to_owned()),
        ..Default::default()
    }
}

/// The journal's `/api` object requests (not discovery), as `METHOD path?query`.
fn api_log(sim: &Sim) -> Vec<String> {
    sim.journal()
        .into_iter()
        .filter(|e| e.path.starts_with("/api/") && e.path != "/api/authinfo")
        .map(|e: JournalEntry| {
            if e.query.is_empty() {
                format!("{} {}", e.method, e.path)
            } else {
                format!("{} {}?{}", e.method, e.path, e.query)
            }
        })
        .collect()
}

fn api_calls(sim: &Sim) -> usize {
    api_log(sim).len()
}

fn calls_to(sim: &Sim, path: &str) -> Vec<JournalEntry> {
    sim.journal()
        .into_iter()
        .filter(|e| e.path == path)
        .collect()
}

fn fault(method: Option<&str>, path_prefix: &str, count: u32, action: FaultAction) -> Fault {
    Fault {
        method: method.map(str::to_owned),
        path_prefix: path_prefix.to_owned(),
        count,
        action,
    }
}

fn status(code: u16, retry_after_secs: Option<u64>) -> FaultAction {
    FaultAction::Status {
        status: code,
        retry_after_secs,
    }
}

/// The page query the client adds to every list request.
const PAGE_1: &str = "pageinate=true&page_size=100&page_no=1";

// ----- auth ----------------------------------------------------------------

#[tokio::test]
async fn token_is_fetched_once_and_shared_by_concurrent_calls() {
    let sim = sim();
    let c = client_for(&sim);
    sim.set_latency(Duration::from_millis(50));
    assert!(sim.journal().is_empty(), "lazy: no request at construction");
    let calls = (0..10).map(|_| {
        let c = c.clone();
        async move { c.list::<Organisation>(&[]).await }
    });
    for r in futures::future::join_all(calls).await {
        assert!(r.is_ok(), "{r:?}");
    }
    c.list::<Organisation>(&[]).await.expect("list");
    assert_eq!(calls_to(&sim, "/auth/token").len(), 1);
    assert_eq!(calls_to(&sim, "/api/authinfo").len(), 1);
    assert_eq!(api_calls(&sim), 11);
}

#[tokio::test]
async fn discovered_auth_url_and_tenant_are_used() {
    let sim = sim_with(SimOptions {
        tenant: Some("acme".into()),
        ..sim_options()
    });
    let mut cfg = test_config(&sim.url());
    cfg.tenant = Some("acme".into());
    let c = HaloClient::new(cfg).expect("client");
    c.list::<Organisation>(&[]).await.expect("list");
    let token = calls_to(&sim, "/auth/token");
    assert_eq!(token.len(), 1);
    assert_eq!(token[0].query, "tenant=acme");
    assert_eq!(token[0].status, 200);
    assert_eq!(calls_to(&sim, "/api/authinfo").len(), 1);
}

#[tokio::test]
async fn configured_auth_url_wins_over_discovery() {
    let sim = sim();
    let mut cfg = test_config(&sim.url());
    cfg.auth_url = Some(Url::parse(&format!("{}/auth", sim.url())).expect("join"));
    let c = HaloClient::new(cfg).expect("client");
    c.authenticate().await.expect("authenticate");
    assert!(calls_to(&sim, "/api/authinfo").is_empty());
    assert_eq!(calls_to(&sim, "/auth/token").len(), 1);
}

#[tokio::test]
async fn rejected_credentials_are_a_clear_error_and_not_retried() {
    let sim = sim();
    let mut cfg = test_config(&sim.url());
    cfg.client_secret = Secret::new("wrong-secret-123");
    let c = HaloClient::new(cfg).expect("client");
    let err = c.list::<Organisation>(&[]).await.expect_err("must fail");
    let text = err.to_string();
    assert!(matches!(err, HaloError::Auth { .. }), "{err:?}");
    assert!(
        text.starts_with(
            "Halo rejected the client credentials (client_id/HALOPSA_CLIENT_ID, \
             client_secret/HALOPSA_CLIENT_SECRET): invalid_client"
        ),
        "{text}"
    );
    assert!(!text.contains("wrong-secret-123"));
    assert!(!format!("{err:?}").contains("wrong-secret-123"));
    assert_eq!(calls_to(&sim, "/auth/token").len(), 1);
    assert_eq!(api_calls(&sim), 0);
}

#[tokio::test]
async fn a_401_reauthenticates_once_and_repeats_once() {
    let sim = sim();
    let c = client_for(&sim);
    c.list::<Organisation>(&[]).await.expect("first list");
    // Halo forgets the token: one 401, a new token, the call repeated.
    sim.revoke_tokens();
    c.list::<Organisation>(&[]).await.expect("after re-auth");
    assert_eq!(calls_to(&sim, "/auth/token").len(), 2);
    assert_eq!(api_calls(&sim), 3);

    // Every token Halo issues is dead on arrival: one re-auth, one repeat, an error.
    sim.set_token_ttl(Duration::ZERO);
    sim.revoke_tokens();
    let err = c.list::<Organisation>(&[]).await.expect_err("no loop");
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED), "{err}");
    assert!(
        err.to_string()
            .starts_with("GET /api/Organisation: 401 Unauthorized"),
        "{err}"
    );
    assert_eq!(calls_to(&sim, "/auth/token").len(), 3);
    assert_eq!(api_calls(&sim), 5);
}

// ----- retries --------------------------------------------------------------

#[tokio::test]
async fn retries_503_then_succeeds() {
    let sim = sim();
    let c = client_for(&sim);
    sim.inject(fault(None, "/api/Organisation", 1, status(503, None)));
    sim.inject(fault(None, "/api/Organisation", 1, status(502, None)));
    let got = c.list::<Organisation>(&[]).await.expect("list");
    assert_eq!(got.len(), 1, "the seed organisation");
    assert_eq!(api_calls(&sim), 3);
}

#[tokio::test]
async fn gives_up_naming_the_request() {
    let sim = sim();
    let c = client_for(&sim);
    sim.inject(fault(None, "/api/Organisation", 1000, status(503, None)));
    let err = c.list::<Organisation>(&[]).await.expect_err("gives up");
    assert_eq!(
        err.to_string(),
        "GET /api/Organisation: gave up after 4 attempts: 503 Service Unavailable: \
         injected fault: 503 Service Unavailable"
    );
    assert_eq!(api_calls(&sim), 4);
}

#[tokio::test]
async fn rate_limited_answers_are_retried_then_reported() {
    let sim = sim();
    let c = client_for(&sim);
    sim.inject(fault(None, "/api/Organisation", 1000, status(429, None)));
    let err = c.list::<Organisation>(&[]).await.expect_err("gives up");
    assert!(
        matches!(err, HaloError::RateLimited { attempts: 4, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("Rate Limit Reached"), "{err}");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let sim = sim();
    let c = client_for(&sim);
    sim.inject(fault(None, "/api/Organisation", 1, status(429, Some(1))));
    let start = std::time::Instant::now();
    c.list::<Organisation>(&[]).await.expect("list");
    // The backoff alone is at most 5 ms here; Retry-After asked for 1 s.
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(api_calls(&sim), 2);
}

#[tokio::test]
async fn rate_limited_retries_wait_the_longer_backoff() {
    let sim = sim();
    let mut cfg = test_config(&sim.url());
    cfg.rate_limit_backoff_base = Duration::from_millis(200);
    cfg.rate_limit_backoff_cap = Duration::from_millis(300);
    let c = HaloClient::new(cfg).expect("client");
    sim.inject(fault(None, "/api/Organisation", 2, status(429, None)));
    let start = std::time::Instant::now();
    c.list::<Organisation>(&[]).await.expect("list");
    // At least half of each step: 100 ms, then 150 ms; a 503 would wait <= 5 ms.
    assert!(
        start.elapsed() >= Duration::from_millis(250),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn rate_limited_backoff_grows_to_about_a_minute() {
    let b = Backoff {
        base: DEFAULT_RATE_LIMIT_BACKOFF_BASE,
        cap: DEFAULT_RATE_LIMIT_BACKOFF_CAP,
    };
    let ceilings: Vec<u64> = (1..=6).map(|r| b.ceiling(r).as_secs()).collect();
    assert_eq!(ceilings, [5, 10, 20, 40, 60, 60]);
    for retry in 1..10 {
        let wait = b.delay_rate_limited(retry, None);
        assert!(
            wait >= b.ceiling(retry) / 2 && wait <= b.ceiling(retry),
            "{wait:?}"
        );
    }
    assert_eq!(
        b.delay_rate_limited(1, Some(Duration::from_secs(2))),
        Duration::from_secs(2)
    );
}

#[tokio::test]
async fn bad_request_is_not_retried_and_its_message_is_surfaced() {
    let sim = sim();
    let c = client_for(&sim);
    let err = c
        .create(&Organisation::default(), |_| false)
        .await
        .expect_err("400");
    match &err {
        HaloError::Api {
            method,
            path,
            status,
            message,
        } => {
            assert_eq!(method, "POST");
            assert_eq!(path, "/api/Organisation");
            assert_eq!(*status, StatusCode::BAD_REQUEST);
            assert_eq!(message, "field `name` is required and must not be empty");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "POST /api/Organisation: 400 Bad Request: field `name` is required and must not be empty"
    );
    assert_eq!(api_calls(&sim), 1);

    // 403 is not retried either.
    sim.inject(fault(None, "/api/Organisation", 1, status(403, None)));
    let err = c.list::<Organisation>(&[]).await.expect_err("403");
    assert_eq!(
        err.to_string(),
        "GET /api/Organisation: 403 Forbidden: injected fault: 403 Forbidden"
    );
    assert_eq!(api_calls(&sim), 2);
}

#[test]
fn backoff_delay_bounds_and_retry_after() {
    let b = Backoff {
        base: Duration::from_millis(500),
        cap: Duration::from_secs(30),
    };
    assert_eq!(b.ceiling(1), Duration::from_millis(500));
    assert_eq!(b.ceiling(2), Duration::from_secs(1));
    assert_eq!(b.ceiling(4), Duration::from_secs(4));
    assert_eq!(b.ceiling(10), Duration::from_secs(30));
    assert_eq!(b.ceiling(100), Duration::from_secs(30));
    for retry in 1..20 {
        assert!(b.delay(retry, None) <= b.ceiling(retry));
    }
    assert_eq!(
        b.delay(1, Some(Duration::from_secs(7))),
        Duration::from_secs(7)
    );
    assert_eq!(b.delay(1, Some(Duration::from_secs(7200))), MAX_RETRY_AFTER);
    assert_eq!(
        super::backoff::parse_retry_after(" 12 "),
        Some(Duration::from_secs(12))
    );
    assert_eq!(
        super::backoff::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
        None
    );
}

#[test]
fn halo_messages_are_extracted_and_shortened() {
    use super::error::halo_message;
    assert_eq!(
        halo_message(r#"{"message":"Name is required"}"#),
        "Name is required"
    );
    assert_eq!(
        halo_message(r#"{"ClassName":"System.Exception","Message":"Boom"}"#),
        "Boom"
    );
    assert_eq!(
        halo_message(r#"{"ClassName":"System.Exception"}"#),
        "System.Exception"
    );
    assert_eq!(
        halo_message(r#"{"error":"invalid_client","error_description":"nope"}"#),
        "invalid_client: nope"
    );
    assert_eq!(halo_message("\"quoted text\""), "quoted text");
    assert_eq!(halo_message(""), "");
    let long = "x".repeat(5000);
    assert_eq!(
        halo_message(&long).chars().count(),
        super::error::MAX_MESSAGE_CHARS + 3
    );
}

// ----- CRUD -----------------------------------------------------------------

#[tokio::test]
async fn crud_round_trip() {
    let sim = sim();
    let c = client_for(&sim);
    let created = c.create(&org("Acme"), |_| false).await.expect("create");
    let id = created.id.expect("id");
    assert_eq!(created.name.as_deref(), Some("Acme"));

    let mut changed = created.clone();
    changed.email = Some("it@acme.test".into());
    let saved = c.update(&changed).await.expect("update");
    assert_eq!(saved.id, Some(id));
    assert_eq!(saved.email.as_deref(), Some("it@acme.test"));

    let got = c.get::<Organisation>(id, true).await.expect("get");
    assert_eq!(
        got.as_ref().and_then(|o| o.email.as_deref()),
        Some("it@acme.test")
    );

    c.delete::<Organisation>(id).await.expect("delete");
    assert_eq!(c.get::<Organisation>(id, false).await.expect("get"), None);
    // Already gone: still fine.
    c.delete::<Organisation>(id).await.expect("delete again");
    // Every POST body is an array; a create has no id; only set fields are sent.
    let posts: Vec<Value> = sim
        .journal()
        .into_iter()
        .filter(|e| e.method == "POST" && e.path == "/api/Organisation")
        .filter_map(|e| e.body)
        .collect();
    assert_eq!(posts[0], json!([{"name": "Acme"}]));
    assert!(posts.iter().all(Value::is_array));
    assert!(api_log(&sim)
        .iter()
        .any(|l| l.ends_with("?includedetails=true")));
}

#[test]
fn array_and_empty_create_answers_are_read() {
    let call = dummy_call("/api/Organisation");
    let one: Option<Organisation> = call
        .decode_single(r#"[{"id": 4, "name": "A"}, {"id": 5, "name": "B"}]"#)
        .expect("array answer");
    assert_eq!(one.and_then(|o| o.id), Some(4));
    assert_eq!(
        call.decode_single::<Organisation>("[]").expect("empty"),
        None
    );
    assert_eq!(call.decode_single::<Organisation>("").expect("empty"), None);
}

#[tokio::test]
async fn lists_are_read_bare_and_wrapped_and_leniently() {
    let sim = sim_with(SimOptions {
        seed: false,
        ..sim_options()
    });
    sim.insert(
        Kind::Organisation,
        json!({"id": "7", "name": "Seven", "unknown": {"x": 1}}),
    );
    sim.insert(
        Kind::Organisation,
        json!({"id": 8, "name": "Sso", "email": null}),
    );
    sim.insert(
        Kind::Role,
        json!({"id": "6f1c1f9e-0000-4000-8000-000000000001", "name": "Support", "id_int": "3"}),
    );
    let c = client_for(&sim);
    // Organisations come wrapped, roles bare.
    let all = c
        .list::<Organisation>(&[("search", "S")])
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, Some(7));
    assert_eq!(all[0].name.as_deref(), Some("Seven"));
    assert_eq!(all[1].email, None);
    let roles = c.list::<Role>(&[]).await.expect("roles");
    assert_eq!(roles[0].id_int, Some(3));
    assert!(
        api_log(&sim).iter().all(|l| l.contains(PAGE_1)),
        "{:?}",
        api_log(&sim)
    );
    assert!(api_log(&sim)[0].contains("search=S"));
}

// ----- paging ---------------------------------------------------------------

#[tokio::test]
async fn every_page_of_a_wrapped_list_is_read_and_record_count_ends_it() {
    let sim = sim_with(SimOptions {
        seed: false,
        ..sim_options()
    });
    for i in 0..200 {
        sim.insert(Kind::Organisation, json!({"name": format!("org {i:03}")}));
    }
    let c = client_for(&sim);
    let all = c.list::<Organisation>(&[]).await.expect("list");
    assert_eq!(all.len(), 200);
    let names: Vec<String> = all.iter().filter_map(|o| o.name.clone()).collect();
    assert_eq!(names.first().map(String::as_str), Some("org 000"));
    assert_eq!(names.last().map(String::as_str), Some("org 199"));
    // Two full pages, and record_count says there is no third.
    assert_eq!(
        api_log(&sim),
        [
            format!("GET /api/Organisation?{PAGE_1}"),
            "GET /api/Organisation?pageinate=true&page_size=100&page_no=2".to_owned(),
        ]
    );
}

#[tokio::test]
async fn bare_lists_are_read_until_a_page_is_not_full() {
    let sim = sim_with(SimOptions {
        seed: false,
        ..sim_options()
    });
    for i in 0..250 {
        sim.insert(Kind::Role, json!({"name": format!("role {i}")}));
    }
    let c = client_for(&sim);
    assert_eq!(c.list::<Role>(&[]).await.expect("roles").len(), 250);
    assert_eq!(api_calls(&sim), 3);
    sim.clear_journal();
    // Exactly two full pages of a bare list: the empty third page ends it.
    for i in 250..300 {
        sim.insert(Kind::Role, json!({"name": format!("role {i}")}));
    }
    sim.insert(Kind::Workday, json!({"name": "only"}));
    assert_eq!(c.list::<Role>(&[]).await.expect("roles").len(), 300);
    assert_eq!(api_calls(&sim), 4);
}

fn page(items: Vec<Value>, record_count: Option<u64>) -> Page {
    Page {
        items,
        record_count,
    }
}

#[tokio::test]
async fn paging_stops_on_a_repeated_page_and_on_record_count() {
    // An endpoint that ignores paging answers the same full page every time.
    let fetched = AtomicU32::new(0);
    let same: Vec<Value> = (0..3).map(|i| json!({"id": i})).collect();
    let all = collect_pages(3, |_| {
        fetched.fetch_add(1, Ordering::SeqCst);
        let items = same.clone();
        async move { Ok(page(items, None)) }
    })
    .await
    .expect("pages");
    assert_eq!(all, same);
    assert_eq!(fetched.load(Ordering::SeqCst), 2);

    // record_count reached on a full page: no further request.
    let fetched = AtomicU32::new(0);
    let all = collect_pages(2, |n| {
        fetched.fetch_add(1, Ordering::SeqCst);
        async move {
            let items = vec![json!({"id": n * 10}), json!({"id": n * 10 + 1})];
            Ok(page(items, Some(4)))
        }
    })
    .await
    .expect("pages");
    assert_eq!(all.len(), 4);
    assert_eq!(fetched.load(Ordering::SeqCst), 2);

    // An error on a later page is the list's error.
    let failed = collect_pages(1, |n| async move {
        if n == 1 {
            Ok(page(vec![json!({"id": 1})], None))
        } else {
            Err(HaloError::InvalidArgument("page 2 broke".into()))
        }
    })
    .await;
    assert!(matches!(failed, Err(HaloError::InvalidArgument(_))));
}

#[tokio::test]
async fn hidden_objects_are_listed_with_the_include_flags() {
    let sim = sim();
    sim.insert(
        Kind::Agent,
        json!({"name": "gone", "isdisabled": true, "roles": [], "departments": []}),
    );
    sim.insert(
        Kind::Agent,
        json!({"name": "bot", "isapiagent": true, "roles": [], "departments": []}),
    );
    sim.insert(
        Kind::Team,
        json!({"name": "Closed", "department_id": 1, "inactive": true}),
    );
    sim.insert(Kind::Client, json!({"name": "Dormant", "inactive": true}));
    sim.insert(Kind::Client, json!({"name": "Acme", "inactive": false}));
    let c = client_for(&sim);
    let agents = c.list_all::<Agent>(true).await.expect("agents");
    let names: Vec<_> = agents.iter().filter_map(|a| a.name.as_deref()).collect();
    assert_eq!(names, ["admin", "gone", "bot"]);
    assert_eq!(c.list_all::<Team>(false).await.expect("teams").len(), 3);
    assert_eq!(c.list_all::<Client>(false).await.expect("clients").len(), 2);
    // `list` sends only what it is given: Halo's defaults hide them.
    assert_eq!(c.list::<Agent>(&[]).await.expect("agents").len(), 1);
    // A snapshot read finds a disabled agent.
    let gone = agents[1].id.expect("id");
    sim.clear_journal();
    let read = c.read::<Agent>(gone, true).await.expect("read");
    assert_eq!(read.and_then(|a| a.name), Some("gone".to_owned()));
    assert_eq!(api_calls(&sim), 1);
}

#[tokio::test]
async fn snapshots_hold_every_page() {
    let sim = sim_with(SimOptions {
        seed: false,
        ..sim_options()
    });
    let mut ids = Vec::new();
    for i in 0..230 {
        let obj = sim.insert(Kind::Organisation, json!({"name": format!("org {i}")}));
        ids.push(obj["id"].as_i64().expect("id"));
    }
    let c = client_for(&sim);
    for id in &ids {
        let found = c.read::<Organisation>(*id, false).await.expect("read");
        assert_eq!(found.and_then(|o| o.id), Some(*id));
    }
    // Three pages for 230 reads; no GET by id.
    assert_eq!(api_calls(&sim), 3, "{:?}", api_log(&sim));
}

#[tokio::test]
async fn search_asks_halo_and_the_caller_matches_exactly() {
    let sim = sim();
    for name in ["Acme", "Acme Holdings", "Beta"] {
        sim.insert(Kind::Organisation, json!({"name": name}));
    }
    let c = client_for(&sim);
    let found = c.search::<Organisation>("acme").await.expect("search");
    let names: Vec<_> = found.iter().filter_map(|o| o.name.as_deref()).collect();
    assert_eq!(names, ["Acme", "Acme Holdings"]);
    assert!(
        api_log(&sim)[0].contains("search=acme"),
        "{:?}",
        api_log(&sim)
    );
    let agents = c.search::<Agent>("adm").await.expect("search");
    assert_eq!(agents.len(), 1);
    assert!(api_log(&sim)[1].contains("includeapiagents=true"));
    assert!(api_log(&sim)[1].contains("includedisabled=true"));
}

// ----- memberships and raw values -------------------------------------------

#[tokio::test]
async fn membership_rows_keep_unknown_fields_and_inherited_rows_show_their_role() {
    let sim = sim();
    let role = sim.insert(
        Kind::Role,
        json!({"name": "Leads", "claims": [{"type": "custom:x", "value": "7"}],
               "departments": [{"department_id": 1, "membershiplevel": 1}]}),
    );
    let agent = sim.insert(
        Kind::Agent,
        json!({"name": "lee", "roles": [{"id": role["id"]}],
               "departments": [{"department_id": 1, "membershiplevel": 4, "includeteamsintree": true}]}),
    );
    let c = client_for(&sim);
    let id = agent["id"].as_i64().expect("id");
    let read = c.get::<Agent>(id, true).await.expect("get").expect("there");
    let rows = read.departments.clone().unwrap_or_default();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].role_id.is_none());
    assert_eq!(rows[0].membershiplevel, 4);
    assert_eq!(rows[0].extra.get("includeteamsintree"), Some(&json!(true)));
    assert!(rows[1].role_id.is_some());
    assert_eq!(rows[1].role_id.as_deref(), role["id"].as_str());

    // Writing back the own rows as read keeps every field of them.
    let own: Vec<DepartmentMembership> = rows.into_iter().filter(|r| r.role_id.is_none()).collect();
    let update = Agent {
        id: Some(id),
        departments: Some(own),
        ..Default::default()
    };
    c.update(&update).await.expect("update");
    let stored = sim
        .objects(Kind::Agent)
        .into_iter()
        .find(|a| a["name"] == json!("lee"))
        .unwrap_or_default();
    assert_eq!(
        stored["departments"],
        json!([{"department_id": 1, "membershiplevel": 4, "includeteamsintree": true}])
    );

    // Claims and application values outside the provider's tables read as they are.
    let role_read = c
        .get::<Role>(role["id"].as_str().unwrap_or_default().to_owned(), true)
        .await
        .expect("get")
        .expect("there");
    assert_eq!(
        role_read.claims,
        Some(vec![Claim {
            kind: "custom:x".into(),
            value: "7".into()
        }])
    );
    let app = c
        .create(
            &Application {
                display_name: Some("legacy".into()),
                grant_type: Some("password".into()),
                loginentity: Some(3),
                organisation_id: Some(1),
                ..Default::default()
            },
            |_| false,
        )
        .await
        .expect("create");
    assert_eq!(app.grant_type.as_deref(), Some("password"));
    assert_eq!(app.loginentity, Some(3));
    assert_eq!(app.organisation_id, Some(1));
}

#[test]
fn membership_rows_round_trip_exactly() {
    let row = json!({"id": 9, "department_id": 2, "membershiplevel": 1,
                     "department_name": "IT", "includeteamsintree": false});
    let read: DepartmentMembership = serde_json::from_value(row.clone()).expect("row");
    assert_eq!(serde_json::to_value(&read).expect("encode"), row);
    assert_eq!(
        serde_json::to_value(DepartmentMembership::new(3, 0)).expect("encode"),
        json!({"department_id": 3, "membershiplevel": 0})
    );
}

fn dummy_call(path: &str) -> super::client::tests_support::CallForTests {
    super::client::tests_support::CallForTests::new(path)
}

#[test]
fn list_parsing_variants() {
    let call = dummy_call("/api/Roles");
    let roles: Vec<Role> = call
        .decode_list(
            r#"{"record_count":1,"roles":[{"id":"abc","id_int":"3","name":"R","claims":null}]}"#,
        )
        .expect("wrapped");
    assert_eq!(roles[0].id.as_deref(), Some("abc"));
    assert_eq!(roles[0].id_int, Some(3));
    assert_eq!(roles[0].claims, None);
    let other: Vec<Role> = call
        .decode_list(r#"{"record_count":1,"items":[{"id":"x"}],"page":2}"#)
        .expect("any array key");
    assert_eq!(other.len(), 1);
    assert_eq!(
        call.record_count(r#"{"record_count":"717","clients":[]}"#)
            .expect("count"),
        Some(717)
    );
    assert_eq!(call.record_count(r#"[{"id":"x"}]"#).expect("bare"), None);
    let err = call
        .decode_list::<Role>(r#"{"record_count":2,"roles":[],"columns":[]}"#)
        .expect_err("two arrays");
    assert!(err.to_string().contains("several arrays"), "{err}");
    let none: Vec<Role> = call.decode_list(r#"{"record_count":0}"#).expect("empty");
    assert!(none.is_empty());
    let bare: Vec<Role> = call.decode_list(r#"[{"id":"y"}]"#).expect("bare");
    assert_eq!(bare[0].id.as_deref(), Some("y"));
    let err = call
        .decode_list::<Role>("<html>Server Error</html>")
        .expect_err("not json");
    assert!(
        err.to_string()
            .starts_with("GET /api/Roles: Halo answered something"),
        "{err}"
    );
    let err = call
        .decode_list::<Role>(r#"{"nothing":1}"#)
        .expect_err("no array");
    assert!(matches!(err, HaloError::Decode { .. }));
}

#[test]
fn models_are_lenient_and_send_only_set_fields() {
    let agent: Agent = serde_json::from_value(json!({
        "id": "12", "name": "bob", "isapiagent": "true", "isdisabled": 0,
        "workday_id": 2.0, "team": "Support",
        "roles": [{"id": "guid-1", "name": "Admin"}],
        "departments": [{"department_id": "4", "membershiplevel": 1, "department_name": "IT"}],
        "something_else": [1, 2]
    }))
    .expect("agent");
    assert_eq!(agent.id, Some(12));
    assert_eq!(agent.isapiagent, Some(true));
    assert_eq!(agent.isdisabled, Some(false));
    assert_eq!(agent.workday_id, Some(2));
    assert_eq!(
        agent.roles,
        Some(vec![RoleRef {
            id: "guid-1".into()
        }])
    );
    assert_eq!(
        agent.departments,
        Some(vec![DepartmentMembership {
            department_id: 4,
            membershiplevel: 1,
            role_id: None,
            extra: [("department_name".to_owned(), json!("IT"))]
                .into_iter()
                .collect(),
        }])
    );

    let app = Application {
        display_name: Some("ci".into()),
        grant_type: Some("client_credentials".into()),
        loginentity: Some(0),
        loginas_agent_id: Some(5),
        scopes: Some(vec![Scope {
            name: "read:tickets".into(),
        }]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&app).expect("encode"),
        json!({"displayName": "ci", "grant_type": "client_credentials", "loginentity": 0,
               "loginas_agent_id": 5, "scopes": [{"name": "read:tickets"}]})
    );
    let read: Application = serde_json::from_value(json!({
        "id": "g", "displayName": "ci", "clientId": "cid", "clientSecret": "TOPSECRET", "inactive": false
    }))
    .expect("application");
    assert_eq!(
        read.client_secret.as_ref().map(Secret::expose),
        Some("TOPSECRET")
    );
    assert!(!format!("{read:?}").contains("TOPSECRET"));
    let later: Application =
        serde_json::from_value(json!({"id": "g", "clientSecret": null})).expect("application");
    assert_eq!(later.client_secret, None);

    let role = Role {
        name: Some("r".into()),
        claims: Some(vec![Claim {
            kind: "Tx".into(),
            value: "read".into(),
        }]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&role).expect("encode"),
        json!({"name": "r", "claims": [{"type": "Tx", "value": "read"}]})
    );
    assert_eq!(<Role as HaloObject>::PATH, "Roles");
    assert_eq!(<Department as HaloObject>::PATH, "TopLevel");
}

// ----- creates with an unknown outcome ------------------------------------

#[tokio::test]
async fn create_with_unknown_outcome_finds_the_object_instead_of_duplicating() {
    let sim = sim();
    // The object to find sits beyond the first page of the look-up.
    for i in 0..150 {
        sim.insert(Kind::Organisation, json!({"name": format!("org {i}")}));
    }
    let c = client_for(&sim);
    sim.inject(fault(
        Some("POST"),
        "/api/Organisation",
        1,
        FaultAction::CommitThenDrop,
    ));
    let created = c
        .create(&org("Acme"), |o| o.name.as_deref() == Some("Acme"))
        .await
        .expect("create");
    let acmes: Vec<Value> = sim
        .objects(Kind::Organisation)
        .into_iter()
        .filter(|o| o["name"] == json!("Acme"))
        .collect();
    assert_eq!(acmes.len(), 1, "no duplicate");
    assert_eq!(created.id, acmes[0]["id"].as_i64());
    let log = api_log(&sim);
    assert_eq!(
        log.iter().filter(|l| l.starts_with("POST")).count(),
        1,
        "{log:?}"
    );
    assert_eq!(
        log.iter().filter(|l| l.starts_with("GET")).count(),
        2,
        "{log:?}"
    );
}

#[tokio::test]
async fn create_that_did_not_happen_is_sent_again() {
    let sim = sim();
    let c = client_for(&sim);
    sim.inject(fault(
        Some("POST"),
        "/api/Organisation",
        1,
        status(503, None),
    ));
    let created = c
        .create(&org("Acme"), |o| o.name.as_deref() == Some("Acme"))
        .await
        .expect("create");
    assert!(created.id.is_some());
    assert_eq!(
        sim.objects(Kind::Organisation).len(),
        2,
        "the seed and Acme"
    );
    // POST (503), GET list (not there), POST again.
    assert_eq!(
        api_log(&sim),
        [
            "POST /api/Organisation".to_owned(),
            format!("GET /api/Organisation?{PAGE_1}"),
            "POST /api/Organisation".to_owned(),
        ]
    );
}

#[tokio::test]
async fn a_create_whose_every_attempt_is_lost_is_found_at_the_end() {
    let sim = sim();
    let c = client_for(&sim);
    sim.inject(fault(
        Some("POST"),
        "/api/Organisation",
        1000,
        FaultAction::CommitThenDrop,
    ));
    // The first attempt commits; the later POSTs never go out, as each look-up
    // before them finds it.
    let created = c
        .create(&org("Acme"), |o| o.name.as_deref() == Some("Acme"))
        .await
        .expect("create");
    assert!(created.id.is_some());
    assert_eq!(sim.objects(Kind::Organisation).len(), 2);
}

#[tokio::test]
async fn create_refuses_an_object_with_an_id() {
    let sim = sim();
    let c = client_for(&sim);
    let mut o = org("x");
    o.id = Some(3);
    let err = c.create(&o, |_| true).await.expect_err("has id");
    assert!(matches!(err, HaloError::InvalidArgument(_)));
    assert_eq!(api_calls(&sim), 0);
    let err = c.update(&org("y")).await.expect_err("no id");
    assert!(matches!(err, HaloError::InvalidArgument(_)));
}

// ----- cancellation ---------------------------------------------------------

#[tokio::test]
async fn cancellation_stops_a_waiting_retry_promptly() {
    let sim = sim();
    sim.inject(fault(None, "/api/Organisation", 1000, status(503, None)));
    let mut cfg = test_config(&sim.url());
    cfg.backoff_base = Duration::from_secs(20);
    cfg.backoff_cap = Duration::from_secs(20);
    cfg.max_retries = 5;
    let token = CancellationToken::new();
    let c = HaloClient::new(cfg)
        .expect("client")
        .with_cancel(token.clone());
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        token.cancel();
    });
    let start = std::time::Instant::now();
    let err = c.list::<Organisation>(&[]).await.expect_err("cancelled");
    assert!(err.is_cancelled(), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let _ = canceller.await;
}

#[tokio::test]
async fn cancellation_stops_a_rate_limiter_wait() {
    let sim = sim();
    let mut cfg = test_config(&sim.url());
    // Three slots per hour: discovery, token and the first call take them.
    cfg.rate_limit = RateLimit {
        requests: 3,
        per: Duration::from_secs(3600),
    };
    let base = HaloClient::new(cfg).expect("client");
    base.list::<Organisation>(&[])
        .await
        .expect("first call fits");
    let token = CancellationToken::new();
    let c = base.with_cancel(token.clone());
    let waiting = tokio::spawn(async move { c.list::<Organisation>(&[]).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!waiting.is_finished());
    token.cancel();
    let res = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("prompt")
        .expect("join");
    assert!(matches!(res, Err(HaloError::Cancelled)), "{res:?}");
    // The original handle is not cancelled.
    assert!(!base.cancel_token().is_cancelled());
}

#[tokio::test]
async fn rate_limiter_is_shared_by_clones() {
    let sim = sim();
    let mut cfg = test_config(&sim.url());
    cfg.rate_limit = RateLimit {
        requests: 3,
        per: Duration::from_secs(3600),
    };
    let a = HaloClient::new(cfg).expect("client");
    let b = a.clone();
    // authinfo + token + one list use the three slots.
    a.list::<Organisation>(&[]).await.expect("first");
    let res = tokio::time::timeout(Duration::from_millis(200), b.list::<Organisation>(&[])).await;
    assert!(res.is_err(), "the clone must wait for the shared window");
}

#[tokio::test]
async fn cached_token_never_shows_in_debug() {
    let sim = sim();
    let c = client_for(&sim);
    c.authenticate().await.expect("auth");
    let dump = format!("{:?}", c.inner_auth_for_tests());
    for token in sim.issued_tokens() {
        assert!(!dump.contains(&token), "{dump}");
    }
    assert!(!dump.contains(CLIENT_SECRET), "{dump}");
}

#[tokio::test]
async fn construction_sends_nothing() {
    // Nothing listens on this port; construction must still succeed.
    let c = HaloClient::new(test_config("http://127.0.0.1:9"));
    assert!(c.is_ok());
}

// ----- rate limiter (paused time) ------------------------------------------

#[tokio::test(start_paused = true)]
async fn rate_limiter_never_exceeds_its_window() {
    let limit = RateLimit {
        requests: 5,
        per: Duration::from_secs(10),
    };
    let limiter = Arc::new(RateLimiter::new(limit));
    let times = Arc::new(Mutex::new(Vec::new()));
    let cancel = CancellationToken::new();
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::new();
    for i in 0..23u64 {
        let limiter = Arc::clone(&limiter);
        let times = Arc::clone(&times);
        let cancel = cancel.clone();
        tasks.push(tokio::spawn(async move {
            // Staggered arrivals.
            tokio::time::sleep(Duration::from_millis(700 * (i % 7))).await;
            limiter.acquire(&cancel).await.expect("acquire");
            lock(&times).push(tokio::time::Instant::now() - start);
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    let mut times = lock(&times).clone();
    times.sort();
    assert_eq!(times.len(), 23);
    for w in times.windows(6) {
        assert!(
            w[5] - w[0] >= limit.per,
            "6 acquisitions within {:?}: {w:?}",
            w[5] - w[0]
        );
    }
    // And it does not wait needlessly: 23 requests at 5 per 10 s need 40 s,
    // plus the limiter's margin of 0.5 s on each of the 4 waits (ratelimit.rs).
    assert!(
        times[22] <= Duration::from_millis(42_500),
        "{:?}",
        times[22]
    );
}

#[tokio::test(start_paused = true)]
async fn rate_limiter_acquire_is_cancellable() {
    let limiter = RateLimiter::new(RateLimit {
        requests: 1,
        per: Duration::from_secs(300),
    });
    let cancel = CancellationToken::new();
    limiter.acquire(&cancel).await.expect("first");
    let c2 = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        c2.cancel();
    });
    let start = tokio::time::Instant::now();
    let res = limiter.acquire(&cancel).await;
    assert!(matches!(res, Err(HaloError::Cancelled)));
    assert_eq!(tokio::time::Instant::now() - start, Duration::from_secs(1));
}

// ----- configuration and secrets -------------------------------------------

#[test]
fn urls_are_checked() {
    let ok = [
        "https://acme.halopsa.com",
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://localhost:3000/halo",
        "http://[::1]:9000",
    ];
    for u in ok {
        assert_eq!(check_url(&Url::parse(u).expect("url")), Ok(()), "{u}");
    }
    let bad = [
        "http://acme.halopsa.com",
        "http://10.0.0.1",
        "ftp://acme.halopsa.com",
        "http://localhost.evil.com",
        "https://user:pw@acme.halopsa.com",
    ];
    for u in bad {
        assert!(check_url(&Url::parse(u).expect("url")).is_err(), "{u}");
    }
}

#[test]
fn config_validation_and_base_url() {
    let url = Url::parse("https://acme.halopsa.com/api/").expect("url");
    let cfg = ClientConfig::new(url, "id", "secret");
    assert_eq!(cfg.scope, "all");
    assert_eq!(cfg.timeout, Duration::from_secs(30));
    assert_eq!(cfg.max_retries, 5);
    assert_eq!(cfg.rate_limit.requests, 300);
    assert_eq!(cfg.rate_limit.per, Duration::from_secs(300));
    assert_eq!(cfg.validate(), Ok(()));
    let c = HaloClient::new(cfg.clone()).expect("client");
    assert_eq!(c.base_url().as_str(), "https://acme.halopsa.com/");

    let mut empty = cfg.clone();
    empty.client_secret = Secret::new("");
    let err = HaloClient::new(empty).expect_err("empty secret");
    assert!(
        err.to_string()
            .contains("client_secret (HALOPSA_CLIENT_SECRET)"),
        "{err}"
    );
    let mut plain = cfg;
    plain.url = Url::parse("http://acme.halopsa.com").expect("url");
    assert!(matches!(HaloClient::new(plain), Err(HaloError::Config(_))));
}

#[test]
fn secrets_never_show_in_debug_or_display() {
    let cfg = ClientConfig::new(
        Url::parse("https://acme.halopsa.com").expect("url"),
        "id",
        CLIENT_SECRET,
    );
    assert!(!format!("{cfg:?}").contains(CLIENT_SECRET));
    assert!(format!("{cfg:?}").contains("***"));
    let s = Secret::new("tok-abc");
    assert_eq!(format!("{s:?}"), "***");
    assert_eq!(format!("{s}"), "***");
    assert_eq!(s.expose(), "tok-abc");
    let c = HaloClient::new(cfg).expect("client");
    assert!(!format!("{c:?}").contains(CLIENT_SECRET));
}

proptest::proptest! {
    /// Whatever Halo (or a proxy in front of it) answers, parsing ends in a value
    /// or an error, never a panic.
    #[test]
    fn answer_parsers_never_panic(body in proptest::string::string_regex("(?s).{0,300}").expect("regex")) {
        let call = dummy_call("/api/Roles");
        let _ = call.decode_list::<Role>(&body);
        let _ = call.decode_single::<Role>(&body);
        let _ = call.decode_list::<Agent>(&body);
        let _ = call.decode_single::<Application>(&body);
    }

    /// JSON-shaped answers with arbitrary values in the fields the models read.
    #[test]
    fn json_answers_with_odd_values_never_panic(
        id in proptest::prelude::any::<Option<i64>>(),
        name in proptest::prelude::any::<Option<String>>(),
        flag in proptest::prelude::any::<Option<bool>>(),
        wrap in proptest::prelude::any::<bool>(),
    ) {
        let object = serde_json::json!({
            "id": id, "name": name, "isapiagent": flag, "inactive": name,
            "roles": [{"id": id}], "departments": [{"department_id": name, "membershiplevel": flag}],
            "claims": [{"type": name, "value": id}], "scopes": name, "clientSecret": id,
        });
        let body = if wrap { serde_json::json!({"record_count": 1, "agents": [object]}) } else { serde_json::json!([object]) };
        let text = body.to_string();
        let call = dummy_call("/api/Agent");
        let _ = call.decode_list::<Agent>(&text);
        let _ = call.decode_list::<Role>(&text);
        let _ = call.decode_single::<Application>(&text);
    }
}
