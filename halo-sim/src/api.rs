//! The Halo REST API: list, get, save (create or update) and delete for
//! every kind, behind the bearer-token check.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::auth;
use crate::error::{parse_json, ApiError};
use crate::generic;
use crate::generic_api;
use crate::kind::Kind;
use crate::state::Shared;
use crate::store::Object;
use crate::sync::lock;

/// The routes under `/api`.
pub(crate) fn routes(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    let objects = Router::new()
        .route("/api/{entity}", get(list).post(save))
        .route("/api/{entity}/{id}", get(get_one).delete(delete_one))
        .route_layer(from_fn_with_state(shared, auth::require_token));
    Router::new()
        .route("/api/authinfo", get(auth::authinfo))
        .merge(objects)
}

/// Query parameters, with keys lower-cased (Halo's binding ignores case).
struct Params(HashMap<String, String>);

impl Params {
    fn from_query(
        query: Result<Query<HashMap<String, String>>, QueryRejection>,
    ) -> Result<Self, ApiError> {
        let Query(raw) = query
            .map_err(|err| ApiError::BadRequest(format!("the query string is malformed: {err}")))?;
        Ok(Params(
            raw.into_iter()
                .map(|(key, value)| (key.to_ascii_lowercase(), value))
                .collect(),
        ))
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Whether the parameter `key` is `true` (or `1`).
    fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    }

    /// Whether `obj[field]` equals the integer parameter `key`, when given.
    fn int_matches(&self, key: &str, obj: &Object, field: &str) -> bool {
        match self.get(key) {
            None => true,
            Some(wanted) => obj
                .get(field)
                .and_then(Value::as_i64)
                .is_some_and(|id| id.to_string() == wanted.trim()),
        }
    }
}

fn kind_of(entity: &str) -> Result<Kind, ApiError> {
    Kind::from_api_path(entity)
        .ok_or_else(|| ApiError::NotFound(format!("no such endpoint: /api/{entity}")))
}

/// The generic family (`halo-catalog`) that serves `entity`, when no typed
/// kind does (typed kinds take precedence).
fn generic_family(entity: &str) -> Option<(&'static str, halo_catalog::IdKind)> {
    match Kind::from_api_path(entity) {
        Some(_) => None,
        None => generic::family(entity),
    }
}

fn writable_kind(entity: &str) -> Result<Kind, ApiError> {
    let kind = kind_of(entity)?;
    if kind.writable() {
        Ok(kind)
    } else {
        Err(ApiError::MethodNotAllowed(format!(
            "/api/{} is read-only",
            kind.api_path()
        )))
    }
}

fn not_found(kind: Kind, id: &str) -> ApiError {
    ApiError::NotFound(format!("{} id {id} was not found", kind.api_path()))
}

/// Whether `obj[field]` is `true`.
fn is_set(obj: &Object, field: &str) -> bool {
    obj.get(field).and_then(Value::as_bool).unwrap_or(false)
}

/// Whether a listed object passes the list's filters: `search` (a
/// case-insensitive substring of the name), the kind's own filters, and the
/// objects Halo leaves out unless asked for (docs/halo-api.md, "Agents"); the
/// last two are facts of the kind's table row.
fn keep(kind: Kind, obj: &Object, params: &Params) -> bool {
    let name_matches = params.get("search").is_none_or(|search| {
        obj.get(kind.name_field())
            .and_then(Value::as_str)
            .is_some_and(|name| name.to_lowercase().contains(&search.to_lowercase()))
    });
    let filtered = kind
        .filters()
        .iter()
        .all(|(param, field)| params.int_matches(param, obj, field));
    let shown = kind.hidden().iter().all(|hidden| {
        !is_set(obj, hidden.field) || hidden.shown_by.iter().any(|flag| params.flag(flag))
    });
    name_matches && filtered && shown
}

/// The part of a list one answer holds: `pageinate=true&page_size=N&page_no=P`
/// (1-based) picks page P of size min(N, cap); without `pageinate` the answer
/// is the first `cap` objects, as Halo caps every list at 100.
fn page_range(
    params: &Params,
    total: usize,
    cap: usize,
) -> Result<std::ops::Range<usize>, ApiError> {
    let number = |key: &str| -> Result<Option<usize>, ApiError> {
        params
            .get(key)
            .map(|v| {
                v.trim().parse::<usize>().map_err(|_| {
                    ApiError::BadRequest(format!(
                        "`{key}` must be a non-negative integer, not `{v}`"
                    ))
                })
            })
            .transpose()
    };
    let (size, page) = if params.flag("pageinate") {
        let size = number("page_size")?
            .filter(|n| *n > 0)
            .unwrap_or(cap)
            .min(cap);
        let page = number("page_no")?.unwrap_or(1);
        if page == 0 {
            return Err(ApiError::BadRequest("`page_no` is 1-based".into()));
        }
        (size, page)
    } else {
        (cap, 1)
    };
    let start = size.saturating_mul(page - 1).min(total);
    Ok(start..start.saturating_add(size).min(total))
}

/// `GET /api/X`: a bare array, or `{"record_count": N, "<key>": [...]}` where
/// N counts every object that passes the filters, not only this page's.
async fn list(
    State(shared): State<Arc<Shared>>,
    Path(entity): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = Params::from_query(query)?;
    if let Some((family, id_kind)) = generic_family(&entity) {
        let shown: Vec<&str> = generic::hiding_flags(family)
            .filter(|flag| params.flag(flag))
            .collect();
        return generic_api::list(
            &shared,
            family,
            id_kind,
            params.get("search"),
            &shown,
            |total, cap| page_range(&params, total, cap),
        );
    }
    let kind = kind_of(&entity)?;
    let details = params.flag("includedetails");
    let cap = shared.settings().page_cap;
    let store = lock(&shared.store);
    let kept: Vec<&Object> = store
        .list(kind)
        .iter()
        .filter(|obj| keep(kind, obj, &params))
        .collect();
    let total = kept.len();
    let items: Vec<Value> = kept[page_range(&params, total, cap)?]
        .iter()
        .map(|obj| store.render(kind, obj, details))
        .collect();
    drop(store);
    let answer = match kind.list_key() {
        Some(key) => json!({"record_count": total, key: items}),
        None => Value::Array(items),
    };
    Ok(Json(answer).into_response())
}

/// `GET /api/X/{id}`.
async fn get_one(
    State(shared): State<Arc<Shared>>,
    Path((entity, id)): Path<(String, String)>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let details = Params::from_query(query)?.flag("includedetails");
    if let Some((family, _)) = generic_family(&entity) {
        return generic_api::get_one(&shared, family, &id, details);
    }
    let kind = kind_of(&entity)?;
    let store = lock(&shared.store);
    let obj = store.get(kind, &id).ok_or_else(|| not_found(kind, &id))?;
    Ok(Json(store.render(kind, obj, details)).into_response())
}

/// `POST /api/X`: a JSON array of objects to create or update.
async fn save(
    State(shared): State<Arc<Shared>>,
    Path(entity): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let generic = generic_family(&entity);
    let kind = match generic {
        Some(_) => None,
        None => Some(writable_kind(&entity)?),
    };
    let first_only = shared.settings().answer_first_only;
    let partial = shared.settings().partial_batches;
    let Value::Array(elements) = parse_json(&body)? else {
        return Err(ApiError::BadRequest(
            "the request body must be a JSON array of objects".into(),
        ));
    };
    if elements.is_empty() {
        return Err(ApiError::BadRequest(
            "the request body is an empty array".into(),
        ));
    }
    let (Some(kind), None) = (kind, generic) else {
        let (family, id_kind) = generic.unwrap_or(("", halo_catalog::IdKind::None));
        return generic_api::save(&shared, family, id_kind, &elements);
    };
    // An injected refusal by name (`faults::RefusedNames`), and the elements
    // it spares.
    let refused = {
        let refusals = lock(&shared.refused_names);
        elements
            .iter()
            .find_map(|e| refusals.refusal(kind, e))
            .map(|refusal| {
                let kept: Vec<Value> = elements
                    .iter()
                    .filter(|e| refusals.refusal(kind, e).is_none())
                    .cloned()
                    .collect();
                (refusal, kept)
            })
    };
    let mut store = lock(&shared.store);
    if let Some((refusal, kept)) = refused {
        // As a refusal by the store: with partial batches the rest is saved.
        if partial && !kept.is_empty() {
            store.save_partial(kind, &kept)?;
        }
        return Err(ApiError::BadRequest(refusal));
    }
    let saved = if partial {
        store.save_partial(kind, &elements)?
    } else {
        store.save_all(kind, &elements)?
    };
    let status = if saved.iter().any(|s| s.created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut answers: Vec<Value> = saved
        .iter()
        .map(|s| store.render(kind, &s.answer, true))
        .collect();
    drop(store);
    if first_only {
        answers.truncate(1);
    }
    let answer = match answers.len() {
        1 => answers.remove(0),
        _ => Value::Array(answers),
    };
    Ok((status, Json(answer)).into_response())
}

/// `DELETE /api/X/{id}`: answers the deleted object.
async fn delete_one(
    State(shared): State<Arc<Shared>>,
    Path((entity, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    if let Some((family, id_kind)) = generic_family(&entity) {
        return generic_api::delete_one(&shared, family, id_kind, &id);
    }
    let kind = writable_kind(&entity)?;
    let mut store = lock(&shared.store);
    let deleted = store
        .delete(kind, &id)
        .ok_or_else(|| not_found(kind, &id))?;
    Ok(Json(store.render(kind, &deleted, true)).into_response())
}

/// Any path no route serves.
pub(crate) async fn fallback() -> ApiError {
    ApiError::NotFound("no such endpoint".into())
}
