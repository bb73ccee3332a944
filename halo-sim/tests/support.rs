//! Test support over real HTTP: faults, rate limit, token expiry,
//! latency, the journal, control endpoints and the binary.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{id_of, start, start_with, Client};
use halo_sim::{Fault, FaultAction, JournalEntry, Kind, RateLimit, SimOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn fault(method: Option<&str>, path_prefix: &str, count: u32, action: FaultAction) -> Fault {
    Fault {
        method: method.map(str::to_owned),
        path_prefix: path_prefix.to_owned(),
        count,
        action,
    }
}

/// A refused name refuses its element of a batch (atomically, or sparing the
/// others with partial batches on) until the faults are cleared; the control
/// endpoint does what the handle does.
#[tokio::test]
async fn a_refused_name_refuses_its_element_of_a_batch() {
    let sim = start();
    let client = Client::new(&sim).await;
    // The seed's department 1.
    let team = |name: &str| json!({"name": name, "department_id": 1});
    // The teams this test made (the seed has its own).
    let teams = |sim: &halo_sim::Sim| -> Vec<String> {
        sim.objects(Kind::Team)
            .iter()
            .filter_map(|t| t["name"].as_str().map(str::to_owned))
            .filter(|n| !n.contains("Line Support"))
            .collect()
    };
    sim.refuse_named(Kind::Team, "Bad Team");

    let (status, body) = client
        .post("/api/Team", json!([team("A"), team("bad team")]))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(teams(&sim).is_empty(), "a refused batch saves nothing");

    sim.set_partial_batches(true);
    let (status, body) = client
        .post(
            "/api/Team",
            json!([team("A"), team(" Bad Team"), team("B")]),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(teams(&sim), ["A", "B"], "the others are saved");
    let (status, _) = client.post("/api/Team", json!([team("Bad Team")])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "refused until cleared");

    let http = reqwest::Client::new();
    let refused = http
        .post(format!("{}/__faults/refuse/teams", sim.url()))
        .json(&json!({"name": "C"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::OK);
    let (status, _) = client.post("/api/Team", json!([team("C")])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let junk = http
        .post(format!("{}/__faults/refuse/teams", sim.url()))
        .json(&json!({"title": "C"}))
        .send()
        .await
        .unwrap();
    assert_eq!(junk.status(), StatusCode::BAD_REQUEST);

    sim.clear_faults();
    let (status, body) = client
        .post("/api/Team", json!([team("Bad Team"), team("C")]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(teams(&sim), ["A", "B", "Bad Team", "C"]);
}

#[tokio::test]
async fn status_faults_fire_count_times() {
    let sim = start();
    let client = Client::new(&sim).await;
    sim.inject(fault(
        Some("GET"),
        "/api/Organisation",
        2,
        FaultAction::Status {
            status: 503,
            retry_after_secs: None,
        },
    ));
    let (status, _) = client
        .post("/api/Organisation", json!([{"name": "A"}]))
        .await;
    assert_eq!(status, StatusCode::CREATED, "the method must match");
    assert_eq!(
        client.get("/api/Organisation").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        client.get("/api/Organisation/1").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(client.get("/api/Organisation").await.0, StatusCode::OK);

    sim.inject(fault(
        None,
        "/api/Team",
        1,
        FaultAction::Status {
            status: 429,
            retry_after_secs: Some(1),
        },
    ));
    let response = client
        .http
        .get(client.url("/api/Team"))
        .bearer_auth(&client.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert_eq!(response.text().await.unwrap(), "Rate Limit Reached");

    sim.inject(fault(
        None,
        "/api",
        5,
        FaultAction::Status {
            status: 500,
            retry_after_secs: None,
        },
    ));
    sim.clear_faults();
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);

    let statuses: Vec<u16> = sim.journal().iter().map(|e| e.status).collect();
    assert!(statuses.contains(&503) && statuses.contains(&429));
}

#[tokio::test]
async fn commit_then_drop_commits_but_the_client_sees_an_error() {
    let sim = start();
    let client = Client::new(&sim).await;
    // Warm the connection pool so the drop hits a reused connection too.
    assert_eq!(client.get("/api/Organisation").await.0, StatusCode::OK);
    sim.inject(fault(
        Some("POST"),
        "/api/Organisation",
        1,
        FaultAction::CommitThenDrop,
    ));
    let result = client
        .http
        .post(client.url("/api/Organisation"))
        .bearer_auth(&client.token)
        .json(&json!([{"name": "Dropped"}]))
        .send()
        .await;
    assert!(result.is_err(), "the client must not get an answer");
    let names: Vec<Value> = sim
        .objects(Kind::Organisation)
        .iter()
        .map(|o| o["name"].clone())
        .collect();
    assert!(names.contains(&json!("Dropped")), "the write was committed");
    let last = sim.journal().pop().unwrap();
    assert_eq!((last.method.as_str(), last.status), ("POST", 0));

    // The next request works (on a new connection).
    assert_eq!(client.get("/api/Organisation").await.0, StatusCode::OK);

    // A dropped delete.
    sim.inject(fault(
        Some("DELETE"),
        "/api/Organisation",
        1,
        FaultAction::CommitThenDrop,
    ));
    let result = client
        .http
        .delete(client.url("/api/Organisation/1"))
        .bearer_auth(&client.token)
        .send()
        .await;
    assert!(result.is_err());
    assert!(sim
        .objects(Kind::Organisation)
        .iter()
        .all(|o| o["id"] != json!(1)));
}

#[tokio::test]
async fn delay_faults_and_latency_slow_requests() {
    let sim = start();
    let client = Client::new(&sim).await;
    sim.inject(fault(None, "/api/Team", 1, FaultAction::Delay { ms: 300 }));
    let started = Instant::now();
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    client.get("/api/Team").await;
    assert!(started.elapsed() < Duration::from_millis(300));

    sim.set_latency(Duration::from_millis(200));
    let started = Instant::now();
    client.get("/api/Team").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    sim.set_latency(Duration::ZERO);
}

#[tokio::test]
async fn rate_limit_answers_429_past_the_window() {
    let sim = start_with(SimOptions {
        rate_limit: Some(RateLimit {
            requests: 3,
            window: Duration::from_secs(60),
        }),
        ..SimOptions::default()
    });
    let client = Client::new(&sim).await; // 1: the token request
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    let (status, body) = client.get("/api/Team").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body, json!("Rate Limit Reached"));

    sim.set_rate_limit(Some(RateLimit {
        requests: 1,
        window: Duration::from_millis(300),
    }));
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    assert_eq!(
        client.get("/api/Team").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(
        client.get("/api/Team").await.0,
        StatusCode::OK,
        "the window rolls"
    );
    sim.set_rate_limit(None);
    for _ in 0..5 {
        assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn tokens_expire_and_can_be_revoked() {
    let sim = start();
    sim.set_token_ttl(Duration::from_secs(1));
    let mut client = Client::new(&sim).await;
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(client.get("/api/Team").await.0, StatusCode::UNAUTHORIZED);

    sim.set_token_ttl(Duration::from_secs(3600));
    client.token = crate::common::token(&client.http, &client.base).await;
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    sim.revoke_tokens();
    assert_eq!(client.get("/api/Team").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn journal_records_requests_without_secrets() {
    let path = std::env::temp_dir().join(format!("halo-sim-journal-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let sim = start_with(SimOptions {
        journal_path: Some(path.clone()),
        ..SimOptions::default()
    });
    let client = Client::new(&sim).await;
    let app = client
        .create(
            "/api/Application",
            json!({"displayName": "J", "grant_type": "authorization_code", "clientSecret": "sent-by-client"}),
        )
        .await;
    let secret = app["clientSecret"].as_str().unwrap().to_owned();
    client.get("/api/Application?includedetails=true").await;
    client.get("/__state").await;

    let journal = sim.journal();
    let shape: Vec<(&str, &str, u16)> = journal
        .iter()
        .map(|e| (e.method.as_str(), e.path.as_str(), e.status))
        .collect();
    assert_eq!(
        shape,
        [
            ("POST", "/auth/token", 200),
            ("POST", "/api/Application", 201),
            ("GET", "/api/Application", 200),
        ],
        "control endpoints are not journaled"
    );
    assert_eq!(journal[0].body, None, "the token form is never journaled");
    assert_eq!(
        journal[1].body,
        Some(
            json!([{"displayName": "J", "grant_type": "authorization_code", "clientSecret": "REDACTED"}])
        )
    );
    assert_eq!(journal[2].query, "includedetails=true");

    let file = std::fs::read_to_string(&path).unwrap();
    let from_file: Vec<JournalEntry> = file
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(from_file, journal);
    let over_http = client
        .http
        .get(client.url("/__journal"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [&file, &over_http] {
        for secret in [
            secret.as_str(),
            "halo-sim-secret",
            client.token.as_str(),
            "sent-by-client",
        ] {
            assert!(!text.contains(secret), "the journal holds a secret");
        }
    }

    sim.clear_journal();
    assert!(sim.journal().is_empty());
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn control_endpoints_over_http() {
    let sim = start();
    let client = Client::new(&sim).await;
    let http = &client.http;
    let url = |p: &str| client.url(p);

    let state: Value = http
        .get(url("/__state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for kind in Kind::ALL {
        assert!(state[kind.plural()].is_array(), "{kind}");
    }

    let inserted: Value = http
        .post(url("/__objects/workdays"))
        .json(&json!({"name": "Night", "timezone": "UTC"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(inserted["id"], json!(3));
    let (status, got) = client.get("/api/Workday/3").await;
    assert_eq!(
        (status, got["name"].clone()),
        (StatusCode::OK, json!("Night"))
    );

    let patched = http
        .patch(url("/__objects/workdays/3"))
        .json(&json!({"name": "Late"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    assert_eq!(client.get("/api/Workday/3").await.1["name"], json!("Late"));
    let removed = http
        .delete(url("/__objects/workdays/3"))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(client.get("/api/Workday/3").await.0, StatusCode::NOT_FOUND);
    let missing = http
        .delete(url("/__objects/workdays/3"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let bad_kind = http
        .post(url("/__objects/widgets"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_kind.status(), StatusCode::NOT_FOUND);

    let injected = http
        .post(url("/__faults"))
        .json(&json!({"method": "GET", "path_prefix": "/api/Team", "count": 1, "action": {"status": 502}}))
        .send()
        .await
        .unwrap();
    assert_eq!(injected.status(), StatusCode::OK);
    assert_eq!(client.get("/api/Team").await.0, StatusCode::BAD_GATEWAY);
    let junk = http.post(url("/__faults")).body("{").send().await.unwrap();
    assert_eq!(junk.status(), StatusCode::BAD_REQUEST);
    http.post(url("/__faults"))
        .json(&json!({"path_prefix": "/api", "count": 3, "action": "commit_then_drop"}))
        .send()
        .await
        .unwrap();
    http.delete(url("/__faults")).send().await.unwrap();
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);

    let config: Value = http
        .post(url("/__config"))
        .json(&json!({"rate_limit": {"requests": 1, "window_secs": 300}, "latency_ms": 0}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        config["rate_limit"],
        json!({"requests": 1, "window_secs": 300})
    );
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);
    assert_eq!(
        client.get("/api/Team").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    http.post(url("/__config"))
        .json(&json!({"rate_limit": null, "token_ttl_secs": 60}))
        .send()
        .await
        .unwrap();
    assert_eq!(client.get("/api/Team").await.0, StatusCode::OK);

    let revoked = http.post(url("/__revoke_tokens")).send().await.unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(client.get("/api/Team").await.0, StatusCode::UNAUTHORIZED);

    assert_eq!(
        http.delete(url("/__journal"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert!(sim.journal().is_empty());
}

#[tokio::test]
async fn out_of_band_changes_show_through_the_api() {
    let sim = start();
    let client = Client::new(&sim).await;
    let org = client
        .create("/api/Organisation", json!({"name": "Acme"}))
        .await;
    let id = id_of(&org);
    assert!(sim.patch(Kind::Organisation, &id, json!({"phone": "555"})));
    assert_eq!(
        client.get(&format!("/api/Organisation/{id}")).await.1["phone"],
        json!("555")
    );
    assert!(sim.remove(Kind::Organisation, &id));
    assert!(!sim.remove(Kind::Organisation, &id));
    assert!(!sim.patch(Kind::Organisation, &id, json!({"phone": "1"})));
    assert_eq!(
        client.get(&format!("/api/Organisation/{id}")).await.0,
        StatusCode::NOT_FOUND
    );

    let role = sim.insert(Kind::Role, json!({"name": "Inserted", "claims": []}));
    assert_eq!(role["id"].as_str().map(str::len), Some(36));
    assert!(role["id_int"].is_i64());
    let (status, _) = client.get(&format!("/api/Roles/{}", id_of(&role))).await;
    assert_eq!(status, StatusCode::OK);
    let app = sim.insert(
        Kind::Application,
        json!({"displayName": "X", "grant_type": "authorization_code"}),
    );
    assert_eq!(app["clientSecret"], Value::Null);
    assert!(app["clientId"].is_string());
}

#[test]
fn binary_prints_its_address_and_stops_on_sigterm() {
    let addr_file = std::env::temp_dir().join(format!("halo-sim-addr-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_halo-sim"))
        .args(["--port", "0", "--no-seed", "--addr-file"])
        .arg(&addr_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("halo-sim listening on ")
        .unwrap()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));
    assert_eq!(std::fs::read_to_string(&addr_file).unwrap(), url);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_file(&addr_file);

    let refused = Command::new(env!("CARGO_BIN_EXE_halo-sim"))
        .args(["--bind", "0.0.0.0"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(refused.code(), Some(2));
}
