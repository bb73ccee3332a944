//! Halo's auth server: discovery (`/api/authinfo`), the client-credentials
//! token endpoint, and the bearer-token check in front of the API.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::FormRejection;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::json;

use crate::error::ApiError;
use crate::state::Shared;
use crate::sync::lock;

/// `GET /api/authinfo`: where the auth server is, and the tenant.
pub(crate) async fn authinfo(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let tenant = shared.credentials.tenant.clone().unwrap_or_default();
    Json(json!({"auth_url": format!("http://{host}/auth"), "tenant_id": tenant})).into_response()
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// `POST /auth/token[?tenant=T]`, form-encoded client credentials.
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let creds = &shared.credentials;
    if let Some(tenant) = &creds.tenant {
        if query.get("tenant") != Some(tenant) {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the tenant query parameter is missing or unknown",
            );
        }
    }
    let Ok(Form(form)) = form else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        );
    };
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    if field("grant_type") != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    let provider =
        field("client_id") == creds.client_id && field("client_secret") == creds.client_secret;
    let application =
        || lock(&shared.store).application_credentials(field("client_id"), field("client_secret"));
    if !provider && !application() {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "the client id or secret is wrong",
        );
    }
    let ttl = shared.settings().token_ttl;
    let access_token = lock(&shared.tokens).issue(ttl);
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ttl.as_secs(),
    }))
    .into_response()
}

/// The bearer token of a request, if it sends one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Lets a request through only with a valid bearer token.
pub(crate) async fn require_token(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let valid = bearer(request.headers())
        .is_some_and(|token| lock(&shared.tokens).is_valid(token, Instant::now()));
    if valid {
        next.run(request).await
    } else {
        ApiError::Unauthorized("a valid bearer token is required".into()).into_response()
    }
}
