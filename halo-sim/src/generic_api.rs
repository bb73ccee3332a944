//! The HTTP handlers of the generic families (`generic`), called by `api` when
//! no typed kind serves a path, and the out-of-band access `Sim` offers tests.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use halo_catalog::IdKind;
use serde_json::Value;

use crate::error::ApiError;
use crate::state::Shared;
use crate::sync::lock;

/// `GET /X`: `range` picks the page of a list of the given length.
pub(crate) fn list(
    shared: &Arc<Shared>,
    family: &'static str,
    id_kind: IdKind,
    search: Option<&str>,
    shown: &[&str],
    range: impl FnOnce(usize, usize) -> Result<std::ops::Range<usize>, ApiError>,
) -> Result<Response, ApiError> {
    let store = lock(&shared.generic);
    if id_kind == IdKind::None {
        return Ok(Json(store.control()).into_response());
    }
    let cap = shared.settings().page_cap;
    let mut bad = None;
    let answer = store.page(family, search, shown, |total| {
        range(total, cap).unwrap_or_else(|e| {
            bad = Some(e);
            0..0
        })
    });
    match bad {
        Some(e) => Err(e),
        None => Ok(Json(answer).into_response()),
    }
}

/// `GET /X/{id}`: the detail lists only with `details` (`families`).
pub(crate) fn get_one(
    shared: &Arc<Shared>,
    family: &'static str,
    id: &str,
    details: bool,
) -> Result<Response, ApiError> {
    let store = lock(&shared.generic);
    store
        .get(family, id)
        .map(|o| Json(crate::families::render(family, o, details)).into_response())
        .ok_or_else(|| ApiError::NotFound(format!("{family} id {id} was not found")))
}

pub(crate) fn save(
    shared: &Arc<Shared>,
    family: &'static str,
    id_kind: IdKind,
    elements: &[Value],
) -> Result<Response, ApiError> {
    let mut saved = lock(&shared.generic).save(family, id_kind, elements)?;
    let status = if saved.iter().any(|(_, created)| *created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let answer = match saved.len() {
        1 => saved.remove(0).0,
        _ => Value::Array(saved.into_iter().map(|(v, _)| v).collect()),
    };
    Ok((status, Json(answer)).into_response())
}

pub(crate) fn delete_one(
    shared: &Arc<Shared>,
    family: &'static str,
    id_kind: IdKind,
    id: &str,
) -> Result<Response, ApiError> {
    if id_kind == IdKind::None || crate::generic::is_setting(family) {
        return Err(ApiError::MethodNotAllowed(format!(
            "/api/{family} has no DELETE"
        )));
    }
    lock(&shared.generic)
        .delete(family, id)
        .map(|o| Json(Value::Object(o)).into_response())
        .ok_or_else(|| ApiError::NotFound(format!("{family} id {id} was not found")))
}

/// Stores an object of a generic family out of band (see `Sim::insert_generic`).
pub(crate) fn insert(shared: &Shared, family: &str, obj: Value) -> Value {
    let (Some((name, id_kind)), Value::Object(obj)) = (crate::generic::family(family), obj) else {
        return Value::Null;
    };
    Value::Object(lock(&shared.generic).insert_raw(name, id_kind, obj))
}

/// Deletes a stored object out of band (see `Sim::remove_generic`).
pub(crate) fn remove(shared: &Shared, family: &str, id: &str) -> bool {
    let Some((name, _)) = crate::generic::family(family) else {
        return false;
    };
    lock(&shared.generic).delete(name, id).is_some()
}

/// Merges `patch` into a stored object out of band (see `Sim::patch_generic`).
pub(crate) fn patch(shared: &Shared, family: &str, id: &str, patch: Value) -> bool {
    let (Some((name, _)), Value::Object(patch)) = (crate::generic::family(family), patch) else {
        return false;
    };
    lock(&shared.generic).patch_raw(name, id, &patch)
}

/// The stored objects of a family (for `Control`, its one object).
pub(crate) fn objects(shared: &Shared, family: &str) -> Vec<Value> {
    let Some((name, id_kind)) = crate::generic::family(family) else {
        return Vec::new();
    };
    let store = lock(&shared.generic);
    if id_kind == IdKind::None {
        return vec![store.control()];
    }
    store
        .list(name)
        .iter()
        .map(|o| Value::Object(o.clone()))
        .collect()
}
