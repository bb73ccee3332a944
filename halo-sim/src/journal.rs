//! The request journal: one entry per `/api` and `/auth` request, kept in
//! memory and optionally appended to a file as JSON lines. Secrets never
//! reach it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::sync::lock;

/// One journaled request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Milliseconds since the Unix epoch when the answer was sent.
    pub ts_ms: u64,
    pub method: String,
    pub path: String,
    /// The raw query string (secret values redacted), empty when none.
    pub query: String,
    /// The status the client saw; 0 when the connection was dropped.
    pub status: u16,
    /// The JSON body of an `/api` write, secrets redacted; `null` otherwise.
    pub body: Option<Value>,
}

/// Keys whose values are replaced by `"REDACTED"` wherever they occur.
const SECRET_KEYS: &[&str] = &[
    "clientsecret",
    "client_secret",
    "access_token",
    "refresh_token",
    "password",
    "basic_password",
    "authentication_header",
];

const REDACTED: &str = "REDACTED";

fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Replaces the value of every secret key in `value`, at any depth.
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_secret_key(key) && !v.is_null() {
                    *v = Value::String(REDACTED.into());
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Replaces the value of every secret parameter in a query string.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if is_secret_key(key) => format!("{key}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The journal itself.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Vec<JournalEntry>>,
    file: Mutex<Option<File>>,
}

impl Journal {
    /// A journal that also appends to `path` when given.
    pub fn open(path: Option<&Path>) -> io::Result<Journal> {
        let file = match path {
            Some(path) => Some(OpenOptions::new().create(true).append(true).open(path)?),
            None => None,
        };
        Ok(Journal {
            entries: Mutex::new(Vec::new()),
            file: Mutex::new(file),
        })
    }

    /// Appends an entry (in memory, and to the file if any).
    pub fn record(&self, entry: JournalEntry) {
        if let Some(file) = lock(&self.file).as_mut() {
            let written = serde_json::to_string(&entry)
                .map_err(io::Error::from)
                .and_then(|line| writeln!(file, "{line}"))
                .and_then(|()| file.flush());
            if let Err(err) = written {
                tracing::warn!("cannot write the journal file: {err}");
            }
        }
        lock(&self.entries).push(entry);
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        lock(&self.entries).clone()
    }

    /// Forgets the in-memory entries (the file is left as it is).
    pub fn clear(&self) {
        lock(&self.entries).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_nested_secrets() {
        let mut v =
            json!([{"clientSecret": "s", "scopes": [{"name": "all"}], "x": {"access_token": "t"}}]);
        redact(&mut v);
        assert_eq!(
            v,
            json!([{"clientSecret": "REDACTED", "scopes": [{"name": "all"}], "x": {"access_token": "REDACTED"}}])
        );
    }

    #[test]
    fn redacts_query() {
        assert_eq!(
            redact_query("a=1&client_secret=x&b"),
            "a=1&client_secret=REDACTED&b"
        );
    }
}
