//! Issued access tokens and their expiry.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids;

/// Issued access tokens and when they expire.
#[derive(Debug, Default)]
pub struct Tokens {
    expiry: HashMap<String, Instant>,
    /// Every token ever issued, so tests can check none of them leaked into logs.
    issued: Vec<String>,
}

impl Tokens {
    /// A new random token valid for `ttl`.
    pub fn issue(&mut self, ttl: Duration) -> String {
        let token = ids::random_string(64);
        let now = Instant::now();
        self.expiry.retain(|_, expires| *expires > now);
        self.expiry.insert(token.clone(), now + ttl);
        self.issued.push(token.clone());
        token
    }

    pub fn is_valid(&self, token: &str, now: Instant) -> bool {
        self.expiry.get(token).is_some_and(|expires| *expires > now)
    }

    pub fn issued(&self) -> Vec<String> {
        self.issued.clone()
    }

    pub fn revoke_all(&mut self) {
        self.expiry.clear();
    }
}
