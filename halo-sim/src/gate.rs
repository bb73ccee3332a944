//! The middleware in front of every `/api` and `/auth` request: latency,
//! rate limit, injected faults, and the journal entry.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::conn::ConnKill;
use crate::error::ApiError;
use crate::faults::FaultAction;
use crate::journal::{now_ms, redact, redact_query, JournalEntry};
use crate::state::Shared;
use crate::sync::lock;

/// The largest request body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Halo's answer past its rate limit.
const RATE_LIMIT_TEXT: &str = "Rate Limit Reached";

fn is_halo_path(path: &str) -> bool {
    ["/api", "/auth"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

pub(crate) async fn gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if !is_halo_path(&path) {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_owned();
    let query = request.uri().query().map(redact_query).unwrap_or_default();
    let kill = request
        .extensions()
        .get::<ConnectInfo<ConnKill>>()
        .map(|info| info.0.clone());

    let (parts, body) = request.into_parts();
    let (response, status, body) = match to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            let journaled = journal_body(&path, &bytes);
            let create = is_create(&method, &path, journaled.as_ref());
            let request = Request::from_parts(parts, Body::from(bytes));
            let target = Target {
                method: &method,
                path: &path,
                create,
            };
            let (response, status) = treat(&shared, request, next, kill, target).await;
            (response, status, journaled)
        }
        Err(err) => {
            let response = ApiError::BadRequest(format!("cannot read the request body: {err}"))
                .into_response();
            let status = response.status().as_u16();
            (response, status, None)
        }
    };
    shared.journal.record(JournalEntry {
        ts_ms: now_ms(),
        method,
        path,
        query,
        status,
        body,
    });
    response
}

/// What the faults look at in a request.
struct Target<'a> {
    method: &'a str,
    path: &'a str,
    /// A `POST /api/X` whose body holds an element without an id.
    create: bool,
}

/// Whether a request creates: `POST /api/X` (one segment) with an element
/// that has no id (or id 0, empty, or the nil GUID).
fn is_create(method: &str, path: &str, body: Option<&Value>) -> bool {
    let one_segment = path
        .strip_prefix("/api/")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    let new_element = |element: &Value| match element.get("id") {
        None | Some(Value::Null) => true,
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        Some(Value::String(s)) => {
            matches!(s.trim(), "" | "0" | "00000000-0000-0000-0000-000000000000")
        }
        Some(_) => false,
    };
    method.eq_ignore_ascii_case("POST")
        && one_segment
        && body
            .and_then(Value::as_array)
            .is_some_and(|elements| elements.iter().any(new_element))
}

/// Runs one admitted request through latency, rate limit and faults.
/// Answers the response and the status the client sees (0: dropped).
async fn treat(
    shared: &Shared,
    request: Request,
    next: Next,
    kill: Option<ConnKill>,
    target: Target<'_>,
) -> (Response, u16) {
    let latency = shared.settings().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if !lock(&shared.limiter).admit(Instant::now()) {
        let response = (StatusCode::TOO_MANY_REQUESTS, RATE_LIMIT_TEXT).into_response();
        return (response, StatusCode::TOO_MANY_REQUESTS.as_u16());
    }
    let injected = lock(&shared.faults).take(target.method, target.path);
    let action = injected.or_else(|| lock(&shared.random_faults).draw(target.path, target.create));
    match action {
        None => with_status(next.run(request).await),
        Some(FaultAction::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            with_status(next.run(request).await)
        }
        Some(FaultAction::Status {
            status,
            retry_after_secs,
        }) => with_status(fault_response(status, retry_after_secs)),
        Some(FaultAction::CommitThenDrop) => {
            let response = next.run(request).await;
            match kill {
                Some(kill) => {
                    kill.kill();
                    (response, 0)
                }
                None => {
                    tracing::warn!("commit_then_drop without a killable connection");
                    with_status(response)
                }
            }
        }
    }
}

fn with_status(response: Response) -> (Response, u16) {
    let status = response.status().as_u16();
    (response, status)
}

/// The answer of an injected status fault.
fn fault_response(status: u16, retry_after_secs: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = if status == StatusCode::TOO_MANY_REQUESTS {
        (status, RATE_LIMIT_TEXT).into_response()
    } else {
        let message = format!("injected fault: {status}");
        (status, axum::Json(serde_json::json!({"message": message}))).into_response()
    };
    if let Some(secs) = retry_after_secs {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// The body as the journal keeps it: `/api` JSON bodies with secrets
/// redacted; nothing for `/auth` (its form holds the client secret).
fn journal_body(path: &str, bytes: &Bytes) -> Option<Value> {
    if !path.starts_with("/api/") || bytes.is_empty() {
        return None;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut value) => {
            redact(&mut value);
            Some(value)
        }
        Err(_) => Some(Value::String(format!("<{} bytes, not JSON>", bytes.len()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halo_paths() {
        assert!(is_halo_path("/api/Agent"));
        assert!(is_halo_path("/auth/token"));
        assert!(!is_halo_path("/__state"));
        assert!(!is_halo_path("/apix"));
    }

    #[test]
    fn creates() {
        let body = serde_json::json!([{"id": 3, "name": "a"}, {"name": "b"}]);
        assert!(is_create("POST", "/api/Agent", Some(&body)));
        assert!(!is_create("GET", "/api/Agent", Some(&body)));
        assert!(!is_create("POST", "/api/Agent/3", Some(&body)));
        let update = serde_json::json!([{"id": 3, "name": "a"}]);
        assert!(!is_create("POST", "/api/Agent", Some(&update)));
        let guid = serde_json::json!([{"id": "", "displayName": "a"}]);
        assert!(is_create("POST", "/api/Application", Some(&guid)));
    }
}
