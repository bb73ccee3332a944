//! The error type of the Halo client.

use reqwest::StatusCode;

/// Anything that can go wrong talking to Halo. Every variant that concerns a
/// request names it (method and path) so the provider can show it as is.
#[derive(Debug, thiserror::Error)]
pub enum HaloError {
    /// The provider settings are unusable (bad URL, empty credentials, ...).
    #[error("invalid HaloPSA provider configuration: {0}")]
    Config(String),

    /// A call was made with an argument the client refuses before sending
    /// anything (e.g. creating an object that already has an id).
    #[error("{0}")]
    InvalidArgument(String),

    /// The auth server refused the credentials or the scope.
    #[error("{message}")]
    Auth { message: String },

    /// Halo answered with an error status that is not retried.
    #[error("{method} {path}: {}", status_and_message(*.status, .message))]
    Api {
        method: String,
        path: String,
        status: StatusCode,
        message: String,
    },

    /// Halo answered 404.
    #[error("{method} {path}: {}", status_and_message(StatusCode::NOT_FOUND, .message))]
    NotFound {
        method: String,
        path: String,
        message: String,
    },

    /// The request could not be sent or its answer not received, and it was
    /// not retried.
    #[error("{method} {path}: {detail}")]
    Transport {
        method: String,
        path: String,
        detail: String,
        #[source]
        source: reqwest::Error,
    },

    /// The request kept failing with a retryable error.
    #[error("{method} {path}: gave up after {attempts} {}: {last}", plural_attempts(*.attempts))]
    GaveUp {
        method: String,
        path: String,
        attempts: u32,
        last: String,
    },

    /// Halo's rate limit (429) was still reached when the retries ran out.
    #[error(
        "{method} {path}: gave up after {attempts} {}: Halo's rate limit was reached \
         (429 Too Many Requests{}); lower the provider's client-side rate limit or try again later",
        plural_attempts(*.attempts),
        if .message.is_empty() { String::new() } else { format!(": {}", .message) }
    )]
    RateLimited {
        method: String,
        path: String,
        attempts: u32,
        message: String,
    },

    /// The operation was cancelled (e.g. Terraform was interrupted).
    #[error("the HaloPSA request was cancelled")]
    Cancelled,

    /// Halo answered something that cannot be read.
    #[error("{method} {path}: Halo answered something the provider cannot read: {message}")]
    Decode {
        method: String,
        path: String,
        message: String,
    },
}

impl HaloError {
    /// True when Halo said the object does not exist.
    pub fn is_not_found(&self) -> bool {
        match self {
            HaloError::NotFound { .. } => true,
            HaloError::Api { status, .. } => *status == StatusCode::NOT_FOUND,
            _ => false,
        }
    }

    /// True when the operation was cancelled.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, HaloError::Cancelled)
    }

    /// The HTTP status Halo answered with, when the error carries one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            HaloError::Api { status, .. } => Some(*status),
            HaloError::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            HaloError::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            _ => None,
        }
    }
}

fn status_and_message(status: StatusCode, message: &str) -> String {
    if message.is_empty() {
        status.to_string()
    } else {
        format!("{status}: {message}")
    }
}

fn plural_attempts(n: u32) -> &'static str {
    if n == 1 {
        "attempt"
    } else {
        "attempts"
    }
}

/// A reqwest error with its causes ("error sending request: connection
/// refused"), without the URL (the caller names the request itself).
pub(crate) fn describe_reqwest(err: &reqwest::Error) -> String {
    let mut out = if err.is_timeout() {
        "the request timed out".to_owned()
    } else if err.is_connect() {
        match err
            .url()
            .and_then(|u| Some((u.host_str()?.to_owned(), u.port_or_known_default()?)))
        {
            Some((host, port)) => {
                format!("could not connect to {host}:{port} (check url / HALOPSA_URL)")
            }
            None => "could not connect".to_owned(),
        }
    } else {
        String::new()
    };
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut seen: Vec<String> = Vec::new();
    while let Some(e) = cur {
        let mut text = e.to_string();
        // reqwest's own text repeats the URL; drop it.
        if let Some(idx) = text.find(" for url (") {
            text.truncate(idx);
        }
        if !text.is_empty() && !seen.iter().any(|s| s == &text) {
            seen.push(text.clone());
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
        cur = e.source();
    }
    if out.is_empty() {
        out.push_str("transport error");
    }
    out
}

/// The outcome of one failed attempt, before the retry loop decides.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Worth retrying.
    Retry {
        /// What went wrong, for the final error ("503 Service Unavailable: ...").
        last: String,
        /// `Retry-After` sent by Halo.
        retry_after: Option<std::time::Duration>,
        /// The request may have reached Halo (its outcome is unknown).
        sent: bool,
        /// Halo's text when the failure was a 429.
        rate_limited: Option<String>,
    },
    /// Not worth retrying.
    Fatal(HaloError),
}

impl From<HaloError> for Failure {
    fn from(e: HaloError) -> Self {
        Failure::Fatal(e)
    }
}

/// The most useful text of an error answer: a JSON `message` / `error` /
/// `ClassName` ... field, or the plain text, on one line and at most
/// [`MAX_MESSAGE_CHARS`] characters.
pub(crate) fn halo_message(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return String::new();
    }
    let text = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => json_message(&v).unwrap_or_else(|| body.to_owned()),
        Err(_) => body.to_owned(),
    };
    shorten(&text)
}

/// Longest Halo message kept in an error.
pub(crate) const MAX_MESSAGE_CHARS: usize = 500;

fn json_message(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_message).collect();
            if parts.is_empty() {
                None
            } else {
                Some(parts.join("; "))
            }
        }
        Value::Object(map) => {
            let get = |k: &str| {
                map.iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .and_then(|(_, v)| match v {
                        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                        Value::Array(_) | Value::Object(_) => json_message(v),
                        _ => None,
                    })
            };
            // OAuth style: error + error_description.
            if let Some(err) = get("error") {
                return Some(match get("error_description") {
                    Some(desc) => format!("{err}: {desc}"),
                    None => err,
                });
            }
            for key in [
                "message",
                "title",
                "detail",
                "errors",
                "ClassName",
                "exceptionmessage",
            ] {
                if let Some(m) = get(key) {
                    return Some(m);
                }
            }
            None
        }
        _ => None,
    }
}

fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_MESSAGE_CHARS {
        one_line
    } else {
        let mut s: String = one_line.chars().take(MAX_MESSAGE_CHARS).collect();
        s.push_str("...");
        s
    }
}
