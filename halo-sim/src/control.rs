//! The test-support endpoints under `/__`: state, journal, faults, config
//! and out-of-band changes. They need no token and are not journaled.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::{parse_json, ApiError};
use crate::faults::{Fault, FaultAction, FaultRate};
use crate::kind::Kind;
use crate::ratelimit::RateLimit;
use crate::state::Shared;
use crate::store::Object;
use crate::sync::lock;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__state", get(state))
        .route("/__journal", get(journal).delete(clear_journal))
        .route("/__faults", post(add_fault).delete(clear_faults))
        .route("/__faults/refuse/{kind}", post(refuse_named))
        .route("/__config", get(config).post(set_config))
        .route("/__objects/{kind}", post(insert))
        .route("/__objects/{kind}/{id}", patch(patch_object).delete(remove))
        .route("/__revoke_tokens", post(revoke_tokens))
}

async fn state(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(shared.state())
}

async fn journal(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.journal.entries()).into_response()
}

async fn clear_journal(State(shared): State<Arc<Shared>>) -> Json<Value> {
    shared.journal.clear();
    Json(json!({"cleared": true}))
}

async fn add_fault(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let fault: Fault = serde_json::from_value(parse_json(&body)?)
        .map_err(|err| ApiError::BadRequest(format!("not a fault: {err}")))?;
    if let FaultAction::Status { status, .. } = fault.action {
        if !(100..=999).contains(&status) {
            return Err(ApiError::BadRequest(format!(
                "{status} is not an HTTP status"
            )));
        }
    }
    shared.inject(fault.clone());
    Ok(Json(json!({"injected": fault})))
}

/// `POST /__faults/refuse/{kind}` with `{"name": "..."}`: see
/// [`crate::faults::RefusedNames`].
async fn refuse_named(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let kind = parse_kind(&kind)?;
    let name = match parse_json(&body)? {
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
    .ok_or_else(|| ApiError::BadRequest("expected {\"name\": \"...\"}".into()))?;
    shared.refuse_named(kind, &name);
    Ok(Json(
        json!({"refused": {"kind": kind.plural(), "name": name}}),
    ))
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    shared.clear_faults();
    Json(json!({"cleared": true}))
}

/// The wire form of a rate limit.
#[derive(Debug, Serialize, Deserialize)]
struct RateLimitWire {
    requests: u32,
    window_secs: u64,
}

/// The body of `POST /__config`; absent fields are left as they are,
/// `"rate_limit": null` turns the limit off.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigChange {
    #[serde(default, deserialize_with = "present")]
    rate_limit: Option<Option<RateLimitWire>>,
    latency_ms: Option<u64>,
    token_ttl_secs: Option<u64>,
    page_cap: Option<usize>,
    answer_first_only: Option<bool>,
    partial_batches: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    fault_rate: Option<Option<FaultRate>>,
}

/// Tells a present `null` (`Some(None)`) from an absent field (`None`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

fn current_config(shared: &Shared) -> Value {
    let settings = shared.settings();
    let limit = lock(&shared.limiter).limit().map(|l| RateLimitWire {
        requests: l.requests,
        window_secs: l.window.as_secs(),
    });
    json!({
        "rate_limit": limit,
        "latency_ms": u64::try_from(settings.latency.as_millis()).unwrap_or(u64::MAX),
        "token_ttl_secs": settings.token_ttl.as_secs(),
        "page_cap": settings.page_cap,
        "answer_first_only": settings.answer_first_only,
        "partial_batches": settings.partial_batches,
        "fault_rate": lock(&shared.random_faults).rate(),
    })
}

async fn config(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(current_config(&shared))
}

async fn set_config(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let change: ConfigChange = serde_json::from_value(parse_json(&body)?)
        .map_err(|err| ApiError::BadRequest(format!("not a config change: {err}")))?;
    if change.page_cap == Some(0) {
        return Err(ApiError::BadRequest("`page_cap` must be at least 1".into()));
    }
    if let Some(Some(rate)) = &change.fault_rate {
        rate.check()
            .map_err(|e| ApiError::BadRequest(format!("fault_rate: {e}")))?;
    }
    if let Some(limit) = change.rate_limit {
        shared.set_rate_limit(limit.map(|l| RateLimit {
            requests: l.requests,
            window: Duration::from_secs(l.window_secs),
        }));
    }
    if let Some(ms) = change.latency_ms {
        shared.set_latency(Duration::from_millis(ms));
    }
    if let Some(secs) = change.token_ttl_secs {
        shared.set_token_ttl(Duration::from_secs(secs));
    }
    if let Some(cap) = change.page_cap {
        shared.set_page_cap(cap);
    }
    if let Some(on) = change.answer_first_only {
        shared.set_answer_first_only(on);
    }
    if let Some(on) = change.partial_batches {
        shared.set_partial_batches(on);
    }
    if let Some(rate) = change.fault_rate {
        shared.set_fault_rate(rate);
    }
    Ok(Json(current_config(&shared)))
}

fn parse_kind(kind: &str) -> Result<Kind, ApiError> {
    kind.parse::<Kind>()
        .map_err(|err| ApiError::NotFound(err.to_string()))
}

fn parse_object(body: &[u8]) -> Result<Object, ApiError> {
    match parse_json(body)? {
        Value::Object(obj) => Ok(obj),
        _ => Err(ApiError::BadRequest(
            "the body must be a JSON object".into(),
        )),
    }
}

fn absent(kind: Kind, id: &str) -> ApiError {
    ApiError::NotFound(format!("no {kind} object with id {id}"))
}

async fn insert(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let kind = parse_kind(&kind)?;
    Ok(Json(shared.insert(kind, parse_object(&body)?)))
}

async fn patch_object(
    State(shared): State<Arc<Shared>>,
    Path((kind, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let kind = parse_kind(&kind)?;
    let patch = parse_object(&body)?;
    shared
        .patch(kind, &id, &patch)
        .map(Json)
        .ok_or_else(|| absent(kind, &id))
}

async fn remove(
    State(shared): State<Arc<Shared>>,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let kind = parse_kind(&kind)?;
    shared
        .remove(kind, &id)
        .map(Json)
        .ok_or_else(|| absent(kind, &id))
}

async fn revoke_tokens(State(shared): State<Arc<Shared>>) -> Json<Value> {
    shared.revoke_tokens();
    Json(json!({"revoked": true}))
}
