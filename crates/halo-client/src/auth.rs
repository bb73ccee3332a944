//! Auth server discovery and the client-credentials token, shared by every
//! clone of a client.

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::config::{check_url, ClientConfig, Secret};
use super::error::{describe_reqwest, halo_message, Failure, HaloError};
use super::ratelimit::RateLimiter;

/// Lifetime assumed when the token answer has no `expires_in`.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// A token is replaced this long before it expires (or at half its life
/// when it lives less than twice this).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// An access token and the generation it belongs to (used to invalidate
/// exactly the token that Halo refused).
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub value: Secret,
    pub generation: u64,
}

#[derive(Debug)]
struct CachedToken {
    value: Secret,
    refresh_at: Instant,
    generation: u64,
}

#[derive(Debug, Default)]
struct State {
    /// The auth server, once known (configured, discovered or the fallback).
    auth_url: Option<Url>,
    token: Option<CachedToken>,
    generation: u64,
}

/// Token source. One fetch at a time: concurrent callers wait on the lock
/// and then find the fresh token.
#[derive(Debug)]
pub(crate) struct Auth {
    base: Url,
    client_id: String,
    client_secret: Secret,
    tenant: Option<String>,
    scope: String,
    state: Mutex<State>,
}

#[derive(Deserialize)]
struct AuthInfo {
    #[serde(default)]
    auth_url: Option<String>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    access_token: Option<Secret>,
    #[serde(default, deserialize_with = "super::models::lenient::opt")]
    expires_in: Option<i64>,
}

/// `url` with `segments` appended to its path.
pub(crate) fn join_segments(url: &Url, segments: &[&str]) -> Result<Url, HaloError> {
    let mut out = url.clone();
    out.set_query(None);
    out.set_fragment(None);
    {
        let mut path = out
            .path_segments_mut()
            .map_err(|()| HaloError::Config(format!("{url} is not a usable base URL")))?;
        path.pop_if_empty();
        path.extend(segments);
    }
    Ok(out)
}

/// When a token obtained at `obtained` and living `lifetime` should be replaced.
fn refresh_at(obtained: Instant, lifetime: Duration) -> Instant {
    if lifetime >= REFRESH_MARGIN * 2 {
        obtained + (lifetime - REFRESH_MARGIN)
    } else {
        obtained + lifetime / 2
    }
}

impl Auth {
    pub(crate) fn new(config: &ClientConfig, base: Url) -> Self {
        Auth {
            base,
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
            tenant: config.tenant.clone(),
            scope: config.scope.clone(),
            state: Mutex::new(State {
                auth_url: config.auth_url.clone(),
                token: None,
                generation: 0,
            }),
        }
    }

    /// A valid token, fetched when none is cached or it is about to expire.
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        limiter: &RateLimiter,
        cancel: &CancellationToken,
    ) -> Result<Token, Failure> {
        let mut state = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(HaloError::Cancelled.into()),
            guard = self.state.lock() => guard,
        };
        if let Some(t) = &state.token {
            if Instant::now() < t.refresh_at {
                return Ok(Token {
                    value: t.value.clone(),
                    generation: t.generation,
                });
            }
        }
        state.token = None;
        let auth_url = match &state.auth_url {
            Some(u) => u.clone(),
            None => {
                let (url, definitive) = self.discover(http, limiter, cancel).await?;
                if definitive {
                    state.auth_url = Some(url.clone());
                }
                url
            }
        };
        let obtained = Instant::now();
        let (value, lifetime) = self
            .fetch(http, limiter, cancel, &auth_url, &self.scope)
            .await?;
        state.generation += 1;
        let generation = state.generation;
        state.token = Some(CachedToken {
            value: value.clone(),
            refresh_at: refresh_at(obtained, lifetime),
            generation,
        });
        Ok(Token { value, generation })
    }

    /// The configured scope (`scope`/`HALOPSA_SCOPE`).
    pub(crate) fn scope(&self) -> &str {
        &self.scope
    }

    /// A new token for the configured client credentials and `scope`, never
    /// cached or shared (the `halopsa_access_token` ephemeral resource hands it
    /// to other tools). Answers the token and its lifetime.
    pub(crate) async fn issue(
        &self,
        http: &reqwest::Client,
        limiter: &RateLimiter,
        cancel: &CancellationToken,
        scope: &str,
    ) -> Result<(Secret, Duration), Failure> {
        let known = self.state.lock().await.auth_url.clone();
        let auth_url = match known {
            Some(u) => u,
            None => {
                let (url, definitive) = self.discover(http, limiter, cancel).await?;
                if definitive {
                    self.state.lock().await.auth_url = Some(url.clone());
                }
                url
            }
        };
        self.fetch(http, limiter, cancel, &auth_url, scope).await
    }

    /// Forget the token of `generation` (Halo refused it). A newer token,
    /// fetched meanwhile by another caller, is kept.
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|t| t.generation == generation)
        {
            state.token = None;
        }
    }

    /// `GET {url}/api/authinfo`. Answers the auth server and whether the
    /// answer is definitive (a transport error is not: try again next time).
    async fn discover(
        &self,
        http: &reqwest::Client,
        limiter: &RateLimiter,
        cancel: &CancellationToken,
    ) -> Result<(Url, bool), Failure> {
        let fallback = join_segments(&self.base, &["auth"])?;
        let info_url = join_segments(&self.base, &["api", "authinfo"])?;
        limiter.acquire(cancel).await?;
        let start = Instant::now();
        let sent = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(HaloError::Cancelled.into()),
            r = http.get(info_url.clone()).header(reqwest::header::ACCEPT, "application/json").send() => r,
        };
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(
                    method = "GET",
                    path = info_url.path(),
                    error = %describe_reqwest(&e),
                    elapsed_ms = elapsed_ms(start),
                    "halo auth discovery failed; using {}",
                    fallback.path()
                );
                return Ok((fallback, false));
            }
        };
        let status = response.status();
        tracing::debug!(
            method = "GET",
            path = info_url.path(),
            status = status.as_u16(),
            elapsed_ms = elapsed_ms(start),
            attempt = 1,
            "halo auth discovery"
        );
        if !status.is_success() {
            return Ok((fallback, true));
        }
        let body = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(HaloError::Cancelled.into()),
            b = response.text() => b,
        };
        let discovered = body
            .ok()
            .and_then(|b| serde_json::from_str::<AuthInfo>(&b).ok())
            .and_then(|i| i.auth_url)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .and_then(|s| Url::parse(&s).ok());
        match discovered {
            Some(url) => match check_url(&url) {
                Ok(()) => Ok((url, true)),
                Err(why) => {
                    tracing::warn!(
                        "ignoring the auth server announced by /api/authinfo ({why}); using {}",
                        fallback.path()
                    );
                    Ok((fallback, true))
                }
            },
            None => Ok((fallback, true)),
        }
    }

    /// `POST {auth_url}/token[?tenant=T]` with the client credentials.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        limiter: &RateLimiter,
        cancel: &CancellationToken,
        auth_url: &Url,
        scope: &str,
    ) -> Result<(Secret, Duration), Failure> {
        let token_url = join_segments(auth_url, &["token"])?;
        let path = token_url.path().to_owned();
        let mut request = http
            .post(token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.client_secret.expose()),
                ("scope", scope),
            ]);
        if let Some(tenant) = &self.tenant {
            request = request.query(&[("tenant", tenant.as_str())]);
        }
        limiter.acquire(cancel).await?;
        let start = Instant::now();
        let sent = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(HaloError::Cancelled.into()),
            r = request.send() => r,
        };
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let detail = describe_reqwest(&e);
                tracing::debug!(
                    method = "POST",
                    path = %path,
                    error = %detail,
                    elapsed_ms = elapsed_ms(start),
                    "halo token request failed"
                );
                if e.is_builder() {
                    return Err(HaloError::Transport {
                        method: "POST".into(),
                        path,
                        detail,
                        source: e,
                    }
                    .into());
                }
                return Err(Failure::Retry {
                    last: format!("token request POST {path}: {detail}"),
                    retry_after: None,
                    sent: false,
                    rate_limited: None,
                });
            }
        };
        let status = response.status();
        tracing::debug!(
            method = "POST",
            path = %path,
            status = status.as_u16(),
            elapsed_ms = elapsed_ms(start),
            "halo token request"
        );
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(super::backoff::parse_retry_after);
        let body = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(HaloError::Cancelled.into()),
            b = response.text() => b,
        };
        let body = match body {
            Ok(b) => b,
            Err(e) => {
                return Err(Failure::Retry {
                    last: format!("token request POST {path}: {}", describe_reqwest(&e)),
                    retry_after: None,
                    sent: false,
                    rate_limited: None,
                })
            }
        };
        if status.is_success() {
            let answer: TokenAnswer =
                serde_json::from_str(&body).map_err(|e| HaloError::Decode {
                    method: "POST".into(),
                    path: path.clone(),
                    message: format!(
                        "the token answer is not the expected JSON (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                })?;
            let value = answer
                .access_token
                .filter(|t| !t.is_empty())
                .ok_or_else(|| HaloError::Decode {
                    method: "POST".into(),
                    path: path.clone(),
                    message: "the token answer has no access_token".into(),
                })?;
            let lifetime = match answer.expires_in {
                Some(secs) => Duration::from_secs(u64::try_from(secs).unwrap_or(0)),
                None => DEFAULT_TOKEN_LIFETIME,
            };
            return Ok((value, lifetime));
        }
        let message = halo_message(&body);
        match status {
            StatusCode::TOO_MANY_REQUESTS => Err(Failure::Retry {
                last: format!("token request POST {path}: {status}: {message}"),
                retry_after,
                sent: false,
                rate_limited: Some(message),
            }),
            StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => Err(Failure::Retry {
                last: format!("token request POST {path}: {status}: {message}"),
                retry_after,
                sent: false,
                rate_limited: None,
            }),
            StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Err(HaloError::Auth {
                    message: self.rejection(status, &message, scope),
                }
                .into())
            }
            StatusCode::NOT_FOUND => Err(HaloError::Api {
                method: "POST".into(),
                path,
                status,
                message: format!(
                    "no token endpoint here; check url (HALOPSA_URL) and auth_url (HALOPSA_AUTH_URL){}",
                    if message.is_empty() {
                        String::new()
                    } else {
                        format!(" ({message})")
                    }
                ),
            }
            .into()),
            _ => Err(HaloError::Api {
                method: "POST".into(),
                path,
                status,
                message,
            }
            .into()),
        }
    }

    fn rejection(&self, status: StatusCode, message: &str, scope: &str) -> String {
        let detail = if message.is_empty() {
            status.to_string()
        } else {
            message.to_owned()
        };
        if message.starts_with("invalid_scope") {
            format!("Halo rejected the requested scope {scope:?} (scope/HALOPSA_SCOPE): {detail}")
        } else if message.starts_with("invalid_tenant") || message.contains("tenant") {
            format!("Halo rejected the token request (tenant/HALOPSA_TENANT): {detail}")
        } else {
            format!(
                "Halo rejected the client credentials (client_id/HALOPSA_CLIENT_ID, \
                 client_secret/HALOPSA_CLIENT_SECRET): {detail}"
            )
        }
    }
}

pub(crate) fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn refresh_margin() {
        let t0 = Instant::now();
        assert_eq!(
            refresh_at(t0, Duration::from_secs(3600)),
            t0 + Duration::from_secs(3540)
        );
        assert_eq!(
            refresh_at(t0, Duration::from_secs(100)),
            t0 + Duration::from_secs(50)
        );
    }
}
