//! The doctor's only way to Halo: raw `GET`s through the provider's client,
//! counted against a fixed request budget, with every secret seen remembered so
//! that the report can be scrubbed of it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::halo::HaloClient;

/// The most requests one doctor run sends (sign-in included).
pub const MAX_REQUESTS: usize = 60;

/// Keys whose values are secrets wherever they occur in an answer.
const SECRET_KEYS: &[&str] = &[
    "clientsecret",
    "client_secret",
    "access_token",
    "refresh_token",
    "password",
    "basic_password",
    "secret",
];

/// Why a `GET` gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// The request budget is spent: the request was not sent.
    Budget,
    /// Halo answered 404.
    NotFound,
    /// Any other failure, described (the description never holds a secret).
    Failed(String),
}

impl Miss {
    pub fn describe(&self) -> String {
        match self {
            Miss::Budget => format!("not asked: the request budget ({MAX_REQUESTS}) is spent"),
            Miss::NotFound => "Halo answered 404".to_owned(),
            Miss::Failed(why) => why.clone(),
        }
    }
}

/// Raw read access to Halo under a request budget.
pub struct Probe {
    client: HaloClient,
    used: usize,
    secrets: BTreeSet<String>,
}

impl Probe {
    /// `spent` requests were already sent (the sign-in).
    pub fn new(client: HaloClient, spent: usize, known_secrets: &[&str]) -> Self {
        let mut secrets = BTreeSet::new();
        for s in known_secrets {
            remember(&mut secrets, s);
        }
        Probe {
            client,
            used: spent,
            secrets,
        }
    }

    /// Requests sent so far.
    pub fn used(&self) -> usize {
        self.used
    }

    /// Requests still allowed.
    pub fn remaining(&self) -> usize {
        MAX_REQUESTS.saturating_sub(self.used)
    }

    /// `GET /api/{segments}?{query}`, unless the budget is spent.
    pub async fn get(&mut self, segments: &[&str], query: &[(&str, &str)]) -> Result<Value, Miss> {
        if self.remaining() == 0 {
            return Err(Miss::Budget);
        }
        self.used += 1;
        match self.client.get_raw(segments, query).await {
            Ok(value) => {
                collect_secrets(&value, &mut self.secrets);
                Ok(value)
            }
            Err(e) if e.is_not_found() => Err(Miss::NotFound),
            Err(e) => Err(Miss::Failed(e.to_string())),
        }
    }

    /// `text` with every secret seen (configured or answered by Halo) replaced.
    pub fn scrub(&self, text: &str) -> String {
        // Longest first, so a secret containing another is replaced whole.
        let mut secrets: Vec<&String> = self.secrets.iter().collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets
            .into_iter()
            .fold(text.to_owned(), |out, s| out.replace(s.as_str(), "***"))
    }
}

fn remember(secrets: &mut BTreeSet<String>, s: &str) {
    // Very short values ("", "x") would garble the report and are no secret worth
    // the name; everything longer is scrubbed.
    if s.trim().len() >= 4 {
        secrets.insert(s.to_owned());
    }
}

fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Remembers the value of every secret key in `value`, at any depth.
fn collect_secrets(value: &Value, secrets: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(s) if is_secret_key(key) => remember(secrets, s),
                    _ => collect_secrets(v, secrets),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_secrets(v, secrets)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_anywhere_are_collected() {
        let answer = json!({"applications": [
            {"id": "a", "clientSecret": "s3cret-value", "scopes": [{"name": "all"}]},
            {"id": "b", "clientSecret": null, "nested": {"password": "hunter22"}}
        ]});
        let mut secrets = BTreeSet::new();
        collect_secrets(&answer, &mut secrets);
        assert_eq!(
            secrets.into_iter().collect::<Vec<_>>(),
            vec!["hunter22".to_owned(), "s3cret-value".to_owned()]
        );
    }
}
