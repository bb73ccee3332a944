//! Client configuration and URL validation; [`Secret`] is the `secret` crate's.

use std::net::IpAddr;
use std::time::Duration;

use url::{Host, Url};

pub use secret::Secret;

/// Client-side rate limit: at most `requests` requests in any rolling window
/// of length `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub per: Duration,
}

impl Default for RateLimit {
    /// Halo's hosted limit: 300 requests per rolling 5 minutes.
    fn default() -> Self {
        RateLimit {
            requests: 300,
            per: Duration::from_secs(300),
        }
    }
}

/// Default OAuth scope requested for the token.
pub const DEFAULT_SCOPE: &str = "all";
/// Default per-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 5;
/// Default first backoff step (full jitter: the wait is random in `0..=step`).
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Default upper bound of one backoff step.
pub const DEFAULT_BACKOFF_CAP: Duration = Duration::from_secs(30);
/// Default first backoff step after a 429.
pub const DEFAULT_RATE_LIMIT_BACKOFF_BASE: Duration = Duration::from_secs(5);
/// Default upper bound of one backoff step after a 429: retries 5 s apart kept
/// failing against Halo's rolling 5-minute window (docs/halo-api.md).
pub const DEFAULT_RATE_LIMIT_BACKOFF_CAP: Duration = Duration::from_secs(60);
/// Objects asked for per list page; Halo serves at most 100 (docs/halo-api.md, "Pages").
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// How long the first create of a batch waits for others of its kind to join.
pub const DEFAULT_BATCH_WINDOW: Duration = Duration::from_millis(5);

/// Everything the Halo client needs. Build it with [`ClientConfig::new`] and
/// adjust the public fields.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Instance URL, e.g. `https://acme.halopsa.com` (a trailing `/api` is ignored).
    pub url: Url,
    pub client_id: String,
    pub client_secret: Secret,
    /// Hosted tenant, sent as `?tenant=` to the token endpoint.
    pub tenant: Option<String>,
    /// Auth server; discovered through `/api/authinfo` when absent.
    pub auth_url: Option<Url>,
    pub scope: String,
    /// Timeout of one HTTP request.
    pub timeout: Duration,
    /// Retries after the first attempt (so at most `max_retries + 1` attempts).
    pub max_retries: u32,
    pub rate_limit: RateLimit,
    /// First backoff step; doubles on each retry up to `backoff_cap`.
    pub backoff_base: Duration,
    /// Upper bound of one backoff step.
    pub backoff_cap: Duration,
    /// First backoff step after a 429 (the wait is at least half a step).
    pub rate_limit_backoff_base: Duration,
    /// Upper bound of one backoff step after a 429.
    pub rate_limit_backoff_cap: Duration,
    /// Objects asked for per list page (`page_size`).
    pub page_size: usize,
    /// Creates of one kind made at the same time go as one array `POST`
    /// (`crates/halo-client/src/batch.rs`).
    pub batch_creates: bool,
    /// How long a batch gathers creates before it is sent (it waits a little
    /// longer while more keep arriving).
    pub batch_window: Duration,
    /// Where the request budget shared with other processes is kept
    /// ([`super::ratelimit::default_budget_dir`] for the provider); `None`
    /// paces this process alone.
    pub budget_dir: Option<std::path::PathBuf>,
}

impl ClientConfig {
    /// A configuration with the defaults: scope `all`, timeout 30 s, 5
    /// retries, 300 requests per 300 s, backoff 500 ms doubling up to 30 s
    /// (after a 429: 5 s doubling up to 60 s), pages of 100, batch creates on
    /// (5 ms window), and a budget of this process alone.
    pub fn new(url: Url, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        ClientConfig {
            url,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            tenant: None,
            auth_url: None,
            scope: DEFAULT_SCOPE.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            rate_limit: RateLimit::default(),
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_cap: DEFAULT_BACKOFF_CAP,
            rate_limit_backoff_base: DEFAULT_RATE_LIMIT_BACKOFF_BASE,
            rate_limit_backoff_cap: DEFAULT_RATE_LIMIT_BACKOFF_CAP,
            page_size: DEFAULT_PAGE_SIZE,
            batch_creates: true,
            batch_window: DEFAULT_BATCH_WINDOW,
            budget_dir: None,
        }
    }

    /// Check every setting; the message names the attribute and its env var.
    pub fn validate(&self) -> Result<(), String> {
        check_url(&self.url).map_err(|e| format!("url (HALOPSA_URL): {e}"))?;
        if let Some(auth) = &self.auth_url {
            check_url(auth).map_err(|e| format!("auth_url (HALOPSA_AUTH_URL): {e}"))?;
        }
        if self.client_id.trim().is_empty() {
            return Err("client_id (HALOPSA_CLIENT_ID) must not be empty".into());
        }
        if self.client_secret.expose().trim().is_empty() {
            return Err("client_secret (HALOPSA_CLIENT_SECRET) must not be empty".into());
        }
        if let Some(t) = &self.tenant {
            if t.trim().is_empty() {
                return Err("tenant (HALOPSA_TENANT) must not be empty when set".into());
            }
        }
        if self.scope.trim().is_empty() {
            return Err("scope (HALOPSA_SCOPE) must not be empty".into());
        }
        if self.timeout.is_zero() {
            return Err("the request timeout must be greater than zero".into());
        }
        if self.rate_limit.requests == 0 {
            return Err("the rate limit must allow at least one request".into());
        }
        if self.rate_limit.per.is_zero() {
            return Err("the rate limit window must be greater than zero".into());
        }
        if self.backoff_cap < self.backoff_base {
            return Err("the backoff cap must not be smaller than the backoff base".into());
        }
        if self.rate_limit_backoff_cap < self.rate_limit_backoff_base {
            return Err("the rate-limit backoff cap must not be smaller than its base".into());
        }
        if self.page_size == 0 {
            return Err("the page size must be at least 1".into());
        }
        Ok(())
    }

    /// The instance URL without a trailing slash or `/api` suffix, so that
    /// `{base}/api/X` and `{base}/auth` can be built from it.
    pub(crate) fn base_url(&self) -> Url {
        let mut url = self.url.clone();
        url.set_query(None);
        url.set_fragment(None);
        let trimmed = {
            let p = url.path().trim_end_matches('/');
            let p = p.strip_suffix("/api").unwrap_or(p);
            p.trim_end_matches('/').to_owned()
        };
        url.set_path(&trimmed);
        url
    }
}

/// Only `https`, or `http` when the host is a loopback address
/// (127.0.0.0/8, ::1, `localhost`).
pub fn check_url(url: &Url) -> Result<(), String> {
    if url.cannot_be_a_base() {
        return Err(format!("{url} is not a usable base URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the URL must not contain a user name or password".into());
    }
    let host = url
        .host()
        .ok_or_else(|| format!("{url} has no host name"))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" => {
            let loopback = match host {
                Host::Domain(d) => {
                    let d = d.trim_end_matches('.');
                    d.eq_ignore_ascii_case("localhost")
                }
                Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
                Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
            };
            if loopback {
                Ok(())
            } else {
                Err(format!(
                    "{url} uses plain http, which is only allowed for a loopback host \
                     (127.0.0.1, ::1, localhost); use https"
                ))
            }
        }
        other => Err(format!(
            "{url} has the scheme {other:?}; only https is supported"
        )),
    }
}
