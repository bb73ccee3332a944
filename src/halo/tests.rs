//! Tests of the Halo client against a small mock Halo (axum on 127.0.0.1:0),
//! plus pure unit tests (parsing, limiter with paused time, secrets).

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;
use url::Url;

use super::*;

const CLIENT_ID: &str = "test-client";
const CLIENT_SECRET: &str = "s3cr3t-value-XYZ";

/// A scripted answer for the next API request (before normal handling).
#[derive(Clone)]
enum Scripted {
    /// Answer this status, `Retry-After` and body without doing anything.
    Status(u16, Option<&'static str>, &'static str),
    /// Do the request normally, then answer 503 (the outcome is unknown to
    /// the client).
    ApplyThen503,
}

#[derive(Default)]
struct Mock {
    /// `auth_url` announced by `/api/authinfo`, as a path on the mock.
    authinfo_path: Mutex<Option<String>>,
    authinfo_calls: AtomicUsize,
    token_calls: AtomicUsize,
    token_paths: Mutex<Vec<String>>,
    token_delay_ms: AtomicI64,
    tokens: Mutex<HashSet<String>>,
    /// Refuse every bearer token.
    reject_all_tokens: AtomicBool,
    api_calls: AtomicUsize,
    /// `METHOD path?query` of every API request.
    log: Mutex<Vec<String>>,
    post_bodies: Mutex<Vec<Value>>,
    script: Mutex<VecDeque<Scripted>>,
    /// Keep answering this status (after the script is used up).
    always: Mutex<Option<(u16, &'static str)>>,
    orgs: Mutex<Vec<Value>>,
    next_id: AtomicI64,
    /// List answers wrapped in `{"organisations": [...], "record_count": n}`.
    wrapped_lists: AtomicBool,
    /// POST answers are arrays rather than single objects.
    array_answers: AtomicBool,
    base: Mutex<String>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn json_response(status: StatusCode, v: Value) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

async fn handle(
    State(m): State<Arc<Mock>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    if path == "/api/authinfo" {
        m.authinfo_calls.fetch_add(1, Ordering::SeqCst);
        let announced = lock(&m.authinfo_path).clone();
        return match announced {
            Some(p) => {
                let base = lock(&m.base).clone();
                json_response(
                    StatusCode::OK,
                    json!({"auth_url": format!("{base}{p}"), "tenant_id": "t"}),
                )
            }
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    if path.ends_with("/token") && method == Method::POST {
        return token(&m, &uri, &body).await;
    }
    if !path.starts_with("/api/") {
        return StatusCode::NOT_FOUND.into_response();
    }
    m.api_calls.fetch_add(1, Ordering::SeqCst);
    lock(&m.log).push(format!("{method} {uri}"));
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    if m.reject_all_tokens.load(Ordering::SeqCst) || !lock(&m.tokens).contains(&bearer) {
        return (StatusCode::UNAUTHORIZED, "token expired").into_response();
    }
    let scripted = lock(&m.script).pop_front();
    match scripted {
        Some(Scripted::Status(code, retry_after, text)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT);
            let mut resp = (status, text.to_owned()).into_response();
            if let Some(ra) = retry_after {
                resp.headers_mut()
                    .insert("retry-after", axum::http::HeaderValue::from_static(ra));
            }
            return resp;
        }
        Some(Scripted::ApplyThen503) => {
            let _ = organisation(&m, &method, &path, &body);
            return (StatusCode::SERVICE_UNAVAILABLE, "upstream hiccup").into_response();
        }
        None => {}
    }
    let always = *lock(&m.always);
    if let Some((code, text)) = always {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT);
        return (status, text).into_response();
    }
    organisation(&m, &method, &path, &body)
}

async fn token(m: &Mock, uri: &Uri, body: &Bytes) -> Response {
    m.token_calls.fetch_add(1, Ordering::SeqCst);
    lock(&m.token_paths).push(uri.to_string());
    let delay = m.token_delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay.unsigned_abs())).await;
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if get("grant_type") != "client_credentials"
        || get("client_id") != CLIENT_ID
        || get("client_secret") != CLIENT_SECRET
        || get("scope") != "all"
    {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({"error": "invalid_client", "error_description": "unknown client"}),
        );
    }
    let n = m.token_calls.load(Ordering::SeqCst);
    let tok = format!("token-{n}");
    lock(&m.tokens).insert(tok.clone());
    json_response(
        StatusCode::OK,
        json!({"access_token": tok, "token_type": "Bearer", "expires_in": 3600}),
    )
}

/// `/api/Organisation` as a tiny in-memory store.
fn organisation(m: &Mock, method: &Method, path: &str, body: &Bytes) -> Response {
    let rest = match path.strip_prefix("/api/Organisation") {
        Some(r) => r.trim_start_matches('/'),
        None => return StatusCode::NOT_FOUND.into_response(),
    };
    let find = |id: &str| {
        let wanted = id.parse::<i64>().ok();
        lock(&m.orgs)
            .iter()
            .position(|o| wanted.is_some() && o["id"].as_i64() == wanted)
    };
    match (method.as_str(), rest) {
        ("GET", "") => {
            let all = Value::Array(lock(&m.orgs).clone());
            if m.wrapped_lists.load(Ordering::SeqCst) {
                let n = lock(&m.orgs).len();
                json_response(
                    StatusCode::OK,
                    json!({"record_count": n, "organisations": all}),
                )
            } else {
                json_response(StatusCode::OK, all)
            }
        }
        ("GET", id) => match find(id) {
            Some(i) => json_response(StatusCode::OK, lock(&m.orgs)[i].clone()),
            None => (StatusCode::NOT_FOUND, "no such organisation").into_response(),
        },
        ("DELETE", id) => match find(id) {
            Some(i) => {
                let gone = lock(&m.orgs).remove(i);
                json_response(StatusCode::OK, gone)
            }
            None => (StatusCode::NOT_FOUND, "no such organisation").into_response(),
        },
        ("POST", "") => {
            let parsed: Value = match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(_) => return (StatusCode::BAD_REQUEST, "bad json").into_response(),
            };
            lock(&m.post_bodies).push(parsed.clone());
            let Some(items) = parsed.as_array() else {
                return json_response(
                    StatusCode::BAD_REQUEST,
                    json!({"message": "expected an array"}),
                );
            };
            let mut saved = Vec::new();
            for item in items {
                let mut item = item.clone();
                if item
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .is_empty()
                {
                    return json_response(
                        StatusCode::BAD_REQUEST,
                        json!({"message": "Please enter a name"}),
                    );
                }
                match item.get("id").cloned() {
                    Some(id) => {
                        let Some(i) = find(&id.to_string()) else {
                            return (StatusCode::NOT_FOUND, "no such organisation").into_response();
                        };
                        let mut orgs = lock(&m.orgs);
                        if let (Some(stored), Some(new)) =
                            (orgs[i].as_object_mut(), item.as_object())
                        {
                            for (k, v) in new {
                                stored.insert(k.clone(), v.clone());
                            }
                        }
                        saved.push(orgs[i].clone());
                    }
                    None => {
                        let id = m.next_id.fetch_add(1, Ordering::SeqCst) + 1;
                        item["id"] = json!(id);
                        // Halo sends extra fields and numbers as strings at times.
                        item["extra_field"] = json!("ignored");
                        lock(&m.orgs).push(item.clone());
                        saved.push(item);
                    }
                }
            }
            if m.array_answers.load(Ordering::SeqCst) {
                json_response(StatusCode::OK, Value::Array(saved))
            } else {
                json_response(
                    StatusCode::OK,
                    saved.into_iter().next().unwrap_or(Value::Null),
                )
            }
        }
        _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}

async fn spawn_mock() -> (Arc<Mock>, Url) {
    let mock = Arc::new(Mock::default());
    let app = Router::new().fallback(handle).with_state(Arc::clone(&mock));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the mock");
    let addr = listener.local_addr().expect("mock address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let base = format!("http://{addr}");
    *lock(&mock.base) = base.clone();
    (mock, Url::parse(&base).expect("mock url"))
}

fn test_config(url: Url) -> ClientConfig {
    let mut c = ClientConfig::new(url, CLIENT_ID, CLIENT_SECRET);
    c.timeout = Duration::from_secs(5);
    c.max_retries = 3;
    c.backoff_base = Duration::from_millis(1);
    c.backoff_cap = Duration::from_millis(5);
    c
}

async fn client() -> (Arc<Mock>, HaloClient) {
    let (mock, url) = spawn_mock().await;
    let c = HaloClient::new(test_config(url)).expect("client");
    (mock, c)
}

fn org(name: &str) -> Organisation {
    Organisation {
        name: Some(name.to_owned()),
        ..Default::default()
    }
}

fn script(m: &Mock, items: &[Scripted]) {
    lock(&m.script).extend(items.iter().cloned());
}

// ----- auth ----------------------------------------------------------------

#[tokio::test]
async fn token_is_fetched_once_and_shared_by_concurrent_calls() {
    let (mock, c) = client().await;
    mock.token_delay_ms.store(50, Ordering::SeqCst);
    assert_eq!(
        mock.token_calls.load(Ordering::SeqCst),
        0,
        "lazy: no request at construction"
    );
    let calls = (0..10).map(|_| {
        let c = c.clone();
        async move { c.list::<Organisation>(&[]).await }
    });
    for r in futures::future::join_all(calls).await {
        assert!(r.is_ok(), "{r:?}");
    }
    c.list::<Organisation>(&[]).await.expect("list");
    assert_eq!(mock.token_calls.load(Ordering::SeqCst), 1);
    assert_eq!(mock.authinfo_calls.load(Ordering::SeqCst), 1);
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 11);
    // Discovery failed (404), so the token came from {url}/auth/token.
    assert_eq!(lock(&mock.token_paths).as_slice(), ["/auth/token"]);
}

#[tokio::test]
async fn discovered_auth_url_and_tenant_are_used() {
    let (mock, url) = spawn_mock().await;
    *lock(&mock.authinfo_path) = Some("/identity".into());
    let mut cfg = test_config(url);
    cfg.tenant = Some("acme".into());
    let c = HaloClient::new(cfg).expect("client");
    c.list::<Organisation>(&[]).await.expect("list");
    assert_eq!(
        lock(&mock.token_paths).as_slice(),
        ["/identity/token?tenant=acme"]
    );
}

#[tokio::test]
async fn configured_auth_url_wins_over_discovery() {
    let (mock, url) = spawn_mock().await;
    *lock(&mock.authinfo_path) = Some("/identity".into());
    let mut cfg = test_config(url.clone());
    cfg.auth_url = Some(url.join("/configured").expect("join"));
    let c = HaloClient::new(cfg).expect("client");
    c.authenticate().await.expect("authenticate");
    assert_eq!(mock.authinfo_calls.load(Ordering::SeqCst), 0);
    assert_eq!(lock(&mock.token_paths).as_slice(), ["/configured/token"]);
}

#[tokio::test]
async fn rejected_credentials_are_a_clear_error_and_not_retried() {
    let (mock, url) = spawn_mock().await;
    let mut cfg = test_config(url);
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
    assert_eq!(mock.token_calls.load(Ordering::SeqCst), 1);
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_401_reauthenticates_once_and_repeats_once() {
    let (mock, c) = client().await;
    c.list::<Organisation>(&[]).await.expect("first list");
    // Halo forgets the token: one 401, a new token, the call repeated.
    lock(&mock.tokens).clear();
    c.list::<Organisation>(&[]).await.expect("after re-auth");
    assert_eq!(mock.token_calls.load(Ordering::SeqCst), 2);
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 3);

    // Halo refuses every token: one re-auth, one repeat, then an error.
    mock.reject_all_tokens.store(true, Ordering::SeqCst);
    let err = c.list::<Organisation>(&[]).await.expect_err("no loop");
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED), "{err}");
    assert!(
        err.to_string()
            .starts_with("GET /api/Organisation: 401 Unauthorized"),
        "{err}"
    );
    assert_eq!(mock.token_calls.load(Ordering::SeqCst), 3);
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 5);
}

// ----- retries --------------------------------------------------------------

#[tokio::test]
async fn retries_503_then_succeeds() {
    let (mock, c) = client().await;
    script(
        &mock,
        &[
            Scripted::Status(503, None, "busy"),
            Scripted::Status(502, None, "bad gateway"),
        ],
    );
    let got = c.list::<Organisation>(&[]).await.expect("list");
    assert!(got.is_empty());
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn gives_up_naming_the_request() {
    let (mock, c) = client().await;
    *lock(&mock.always) = Some((503, "maintenance window"));
    let err = c.list::<Organisation>(&[]).await.expect_err("gives up");
    assert_eq!(
        err.to_string(),
        "GET /api/Organisation: gave up after 4 attempts: 503 Service Unavailable: maintenance window"
    );
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn rate_limited_answers_are_retried_then_reported() {
    let (mock, c) = client().await;
    *lock(&mock.always) = Some((429, "Rate Limit Reached"));
    let err = c.list::<Organisation>(&[]).await.expect_err("gives up");
    assert!(
        matches!(err, HaloError::RateLimited { attempts: 4, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("Rate Limit Reached"), "{err}");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (mock, c) = client().await;
    script(
        &mock,
        &[Scripted::Status(429, Some("1"), "Rate Limit Reached")],
    );
    let start = std::time::Instant::now();
    c.list::<Organisation>(&[]).await.expect("list");
    // The backoff alone is at most 5 ms here; Retry-After asked for 1 s.
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 2);
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

#[tokio::test]
async fn bad_request_is_not_retried_and_its_message_is_surfaced() {
    let (mock, c) = client().await;
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
            assert_eq!(message, "Please enter a name");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "POST /api/Organisation: 400 Bad Request: Please enter a name"
    );
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 1);

    // Plain text, and 403 is not retried either.
    script(
        &mock,
        &[Scripted::Status(
            403,
            None,
            "  You do not have\n permission  ",
        )],
    );
    let err = c.list::<Organisation>(&[]).await.expect_err("403");
    assert_eq!(
        err.to_string(),
        "GET /api/Organisation: 403 Forbidden: You do not have permission"
    );
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 2);
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
async fn crud_round_trip_with_single_and_array_answers() {
    let (mock, c) = client().await;
    for array in [false, true] {
        mock.array_answers.store(array, Ordering::SeqCst);
        let created = c
            .create(&org(&format!("Acme {array}")), |_| false)
            .await
            .expect("create");
        let id = created.id.expect("id");
        assert_eq!(
            created.name.as_deref(),
            Some(format!("Acme {array}").as_str())
        );

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
    }
    // Every POST body is an array; a create has no id; only set fields are sent.
    let bodies = lock(&mock.post_bodies).clone();
    assert_eq!(bodies[0], json!([{"name": "Acme false"}]));
    assert!(bodies.iter().all(Value::is_array));
    assert!(lock(&mock.log)
        .iter()
        .any(|l| l.ends_with("?includedetails=true")));
}

#[tokio::test]
async fn lists_are_read_bare_and_wrapped() {
    let (mock, c) = client().await;
    lock(&mock.orgs).push(json!({"id": "7", "name": "Seven", "unknown": {"x": 1}}));
    lock(&mock.orgs).push(json!({"id": 8, "name": null}));
    for wrapped in [false, true] {
        mock.wrapped_lists.store(wrapped, Ordering::SeqCst);
        let all = c
            .list::<Organisation>(&[("search", "S")])
            .await
            .expect("list");
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].id, Some(7));
        assert_eq!(all[0].name.as_deref(), Some("Seven"));
        assert_eq!(all[1].name, None);
    }
    assert!(lock(&mock.log).iter().all(|l| l.contains("search=S")));
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
        .decode_list(r#"{"record_count":1,"items":[{"id":"x"}]}"#)
        .expect("any array key");
    assert_eq!(other.len(), 1);
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
            membershiplevel: 1
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
            kind: "access:tickets".into(),
            value: "read".into(),
        }]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&role).expect("encode"),
        json!({"name": "r", "claims": [{"type": "access:tickets", "value": "read"}]})
    );
    assert_eq!(<Role as HaloObject>::PATH, "Roles");
    assert_eq!(<Department as HaloObject>::LIST_KEY, "tree");
}

// ----- creates with an unknown outcome ------------------------------------

#[tokio::test]
async fn create_with_unknown_outcome_finds_the_object_instead_of_duplicating() {
    let (mock, c) = client().await;
    script(&mock, &[Scripted::ApplyThen503]);
    let created = c
        .create(&org("Acme"), |o| o.name.as_deref() == Some("Acme"))
        .await
        .expect("create");
    assert_eq!(created.id, Some(1));
    assert_eq!(lock(&mock.orgs).len(), 1, "no duplicate");
    assert_eq!(
        lock(&mock.post_bodies).len(),
        1,
        "the POST was not repeated"
    );
}

#[tokio::test]
async fn create_that_did_not_happen_is_sent_again() {
    let (mock, c) = client().await;
    script(&mock, &[Scripted::Status(503, None, "busy")]);
    let created = c
        .create(&org("Acme"), |o| o.name.as_deref() == Some("Acme"))
        .await
        .expect("create");
    assert_eq!(created.id, Some(1));
    assert_eq!(lock(&mock.orgs).len(), 1);
    assert_eq!(lock(&mock.post_bodies).len(), 1);
    // POST (503), GET list (not there), POST again.
    let log = lock(&mock.log).clone();
    assert_eq!(
        log,
        [
            "POST /api/Organisation",
            "GET /api/Organisation",
            "POST /api/Organisation"
        ]
    );
}

#[tokio::test]
async fn create_refuses_an_object_with_an_id() {
    let (mock, c) = client().await;
    let mut o = org("x");
    o.id = Some(3);
    let err = c.create(&o, |_| true).await.expect_err("has id");
    assert!(matches!(err, HaloError::InvalidArgument(_)));
    assert_eq!(mock.api_calls.load(Ordering::SeqCst), 0);
    let err = c.update(&org("y")).await.expect_err("no id");
    assert!(matches!(err, HaloError::InvalidArgument(_)));
}

// ----- cancellation ---------------------------------------------------------

#[tokio::test]
async fn cancellation_stops_a_waiting_retry_promptly() {
    let (mock, url) = spawn_mock().await;
    *lock(&mock.always) = Some((503, "down"));
    let mut cfg = test_config(url);
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
    let (_mock, url) = spawn_mock().await;
    let mut cfg = test_config(url);
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
    // And it does not wait needlessly: 23 requests at 5 per 10 s need 40 s.
    assert!(times[22] <= Duration::from_secs(41), "{:?}", times[22]);
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

#[tokio::test]
async fn rate_limiter_is_shared_by_clones() {
    let (_mock, url) = spawn_mock().await;
    let mut cfg = test_config(url);
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

#[tokio::test]
async fn cached_token_never_shows_in_debug() {
    let (_mock, c) = client().await;
    c.authenticate().await.expect("auth");
    let dump = format!("{:?}", c.inner_auth_for_tests());
    assert!(!dump.contains("token-1"), "{dump}");
    assert!(!dump.contains(CLIENT_SECRET), "{dump}");
}

#[tokio::test]
async fn construction_sends_nothing() {
    // Nothing listens on this port; construction must still succeed.
    let c = HaloClient::new(test_config(Url::parse("http://127.0.0.1:9").expect("url")));
    assert!(c.is_ok());
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
