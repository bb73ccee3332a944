//! The state shared by every request: objects, tokens, journal, faults,
//! rate limiter and the settings that can change at run time.

use std::io;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::faults::{Fault, FaultRate, Faults, RandomFaults, RefusedNames};
use crate::journal::Journal;
use crate::kind::Kind;
use crate::options::SimOptions;
use crate::ratelimit::{RateLimit, RateLimiter};
use crate::seed;
use crate::store::{self, Store};
use crate::sync::lock;
use crate::tokens::Tokens;

/// What the token endpoint checks.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    pub client_id: String,
    pub client_secret: String,
    pub tenant: Option<String>,
}

/// Settings changeable at run time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub latency: Duration,
    pub token_ttl: Duration,
    /// The most objects one list answer holds.
    pub page_cap: usize,
    /// Answer a `POST` of several elements with only the first saved object
    /// (all are saved), as a Halo that answers one object per POST would.
    pub answer_first_only: bool,
    /// A `POST` of several elements with a refused one saves every other element
    /// and answers the refusal (400): one of the outcomes Halo's unknown handling
    /// of a refused array allows (docs/halo-api.md).
    pub partial_batches: bool,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub credentials: Credentials,
    pub store: Mutex<Store>,
    pub tokens: Mutex<Tokens>,
    pub journal: Journal,
    pub faults: Mutex<Faults>,
    pub random_faults: Mutex<RandomFaults>,
    pub refused_names: Mutex<RefusedNames>,
    pub limiter: Mutex<RateLimiter>,
    pub settings: Mutex<Settings>,
    /// The endpoint families without a typed kind (`generic`).
    pub generic: Mutex<crate::generic::GenericStore>,
}

impl Shared {
    pub fn new(opts: &SimOptions) -> io::Result<Shared> {
        if let Some(rate) = &opts.fault_rate {
            rate.check().map_err(|e| {
                io::Error::new(io::ErrorKind::InvalidInput, format!("fault_rate: {e}"))
            })?;
        }
        let mut store = Store::default();
        let mut generic = crate::generic::GenericStore::default();
        if opts.seed {
            seed::seed(&mut store);
            seed::seed_generic(&mut generic);
        }
        Ok(Shared {
            credentials: Credentials {
                client_id: opts.client_id.clone(),
                client_secret: opts.client_secret.clone(),
                tenant: opts.tenant.clone().filter(|t| !t.is_empty()),
            },
            store: Mutex::new(store),
            tokens: Mutex::new(Tokens::default()),
            journal: Journal::open(opts.journal_path.as_deref())?,
            faults: Mutex::new(Faults::default()),
            random_faults: Mutex::new(RandomFaults::new(opts.fault_rate)),
            refused_names: Mutex::new(RefusedNames::default()),
            limiter: Mutex::new(RateLimiter::new(opts.rate_limit)),
            settings: Mutex::new(Settings {
                latency: opts.latency,
                token_ttl: opts.token_ttl,
                page_cap: opts.page_cap.max(1),
                answer_first_only: false,
                partial_batches: false,
            }),
            generic: Mutex::new(generic),
        })
    }

    pub fn settings(&self) -> Settings {
        *lock(&self.settings)
    }

    /// The objects of one kind as `/__state` shows them.
    pub fn objects(&self, kind: Kind) -> Vec<Value> {
        let store = lock(&self.store);
        store
            .list(kind)
            .iter()
            .map(|obj| store::render_state(kind, obj))
            .collect()
    }

    /// Every object, by kind: the answer of `GET /__state`.
    pub fn state(&self) -> Value {
        let by_kind: Map<String, Value> = Kind::ALL
            .into_iter()
            .map(|kind| (kind.plural().to_owned(), Value::Array(self.objects(kind))))
            .collect();
        Value::Object(by_kind)
    }
}

/// Operations shared by the control endpoints and `Sim`.
impl Shared {
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        lock(&self.limiter).set(limit);
    }

    pub fn set_fault_rate(&self, rate: Option<FaultRate>) {
        lock(&self.random_faults).set(rate);
    }

    pub fn set_page_cap(&self, cap: usize) {
        lock(&self.settings).page_cap = cap.max(1);
    }

    pub fn set_answer_first_only(&self, on: bool) {
        lock(&self.settings).answer_first_only = on;
    }

    pub fn set_partial_batches(&self, on: bool) {
        lock(&self.settings).partial_batches = on;
    }

    pub fn set_latency(&self, latency: Duration) {
        lock(&self.settings).latency = latency;
    }

    pub fn set_token_ttl(&self, ttl: Duration) {
        lock(&self.settings).token_ttl = ttl;
    }

    pub fn revoke_tokens(&self) {
        lock(&self.tokens).revoke_all();
    }

    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.tokens).issued()
    }

    pub fn inject(&self, fault: Fault) {
        lock(&self.faults).push(fault);
    }

    pub fn clear_faults(&self) {
        lock(&self.faults).clear();
        lock(&self.refused_names).clear();
    }

    pub fn refuse_named(&self, kind: Kind, name: &str) {
        lock(&self.refused_names).push(kind, name);
    }

    /// Inserts out of band; answers the object as `/__state` shows it.
    pub fn insert(&self, kind: Kind, obj: store::Object) -> Value {
        let stored = lock(&self.store).insert_raw(kind, obj);
        store::render_state(kind, &stored)
    }

    /// Merges fields out of band; answers the object, or `None` when absent.
    pub fn patch(&self, kind: Kind, id: &str, patch: &store::Object) -> Option<Value> {
        let patched = lock(&self.store).patch_raw(kind, id, patch)?;
        Some(store::render_state(kind, &patched))
    }

    /// Deletes out of band; answers the deleted object, or `None` when absent.
    pub fn remove(&self, kind: Kind, id: &str) -> Option<Value> {
        let removed = lock(&self.store).delete(kind, id)?;
        Some(store::render_state(kind, &removed))
    }
}
