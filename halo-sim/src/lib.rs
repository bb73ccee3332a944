//! `halo-sim`: an emulator of the HaloPSA REST API as described in
//! `docs/halo-api.md`, for the provider's demo and acceptance tests.
//!
//! [`Sim::start`] runs one on a loopback port in a thread of its own, so
//! synchronous tests can use it; [`serve`] is the async entry point of the
//! `halo-sim` binary.

mod api;
mod auth;
mod conn;
mod control;
mod error;
mod families;
mod faults;
mod gate;
mod generic;
mod generic_api;
mod ids;
mod journal;
mod kind;
mod object;
mod options;
mod ratelimit;
mod seed;
mod state;
mod store;
mod sync;
mod tokens;
mod validate;

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::middleware::from_fn_with_state;
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use faults::{Fault, FaultAction, FaultRate};
pub use journal::JournalEntry;
pub use kind::{Kind, UnknownKind};
pub use options::{SimOptions, DEFAULT_PAGE_CAP};
pub use ratelimit::RateLimit;

use conn::{ConnKill, KillableListener};
use state::Shared;

fn router(shared: Arc<Shared>) -> Router {
    let halo = Router::new()
        .merge(api::routes(shared.clone()))
        .route("/auth/token", post(auth::token))
        .fallback(api::fallback)
        .layer(from_fn_with_state(shared.clone(), gate::gate));
    halo.merge(control::routes()).with_state(shared)
}

async fn serve_shared(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let app = router(shared).into_make_service_with_connect_info::<ConnKill>();
    axum::serve(KillableListener(listener), app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves the emulator on `listener` until `shutdown` completes, then
/// finishes the requests under way.
pub async fn serve(
    listener: TcpListener,
    opts: SimOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let shared = Arc::new(Shared::new(&opts)?);
    serve_shared(listener, shared, shutdown).await
}

/// A running emulator on 127.0.0.1 with its own thread and tokio runtime
/// (so synchronous `#[test]`s can use it); it stops when dropped.
pub struct Sim {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Sim {
    /// Starts an emulator on a free loopback port.
    pub fn start(opts: SimOptions) -> io::Result<Sim> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(&opts)?);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let served = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("halo-sim-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(err) => {
                            tracing::error!("halo-sim cannot listen: {err}");
                            return;
                        }
                    };
                    // A hard stop: connections still open are dropped with the runtime.
                    tokio::select! {
                        result = serve_shared(listener, served, std::future::pending()) => {
                            if let Err(err) = result {
                                tracing::error!("halo-sim stopped: {err}");
                            }
                        }
                        _ = stopped => {}
                    }
                });
            })?;
        Ok(Sim {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every object by kind, as `GET /__state` answers.
    pub fn state(&self) -> Value {
        self.shared.state()
    }

    /// The objects of one kind, with details and without secrets.
    pub fn objects(&self, kind: Kind) -> Vec<Value> {
        self.shared.objects(kind)
    }

    /// The journal so far.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.shared.journal.entries()
    }

    /// Forgets the journal kept in memory.
    pub fn clear_journal(&self) {
        self.shared.journal.clear();
    }

    /// Adds a fault for the next matching requests.
    pub fn inject(&self, fault: Fault) {
        self.shared.inject(fault);
    }

    /// Drops every pending fault and refused name.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// Refuses (400) every `POST` element of `kind` named `name` (ignoring
    /// case) until the faults are cleared; with partial batches on, the other
    /// elements of its body are still saved.
    pub fn refuse_named(&self, kind: Kind, name: &str) {
        self.shared.refuse_named(kind, name);
    }

    /// Sets (or with `None` turns off) the rate limit; a new window starts.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.shared.set_rate_limit(limit);
    }

    /// Sets (or with `None` turns off) the random faults; their generator
    /// starts again from the seed.
    pub fn set_fault_rate(&self, rate: Option<FaultRate>) {
        self.shared.set_fault_rate(rate);
    }

    /// Sets the most objects one list answer holds (at least 1).
    pub fn set_page_cap(&self, cap: usize) {
        self.shared.set_page_cap(cap);
    }

    /// When on, a `POST` of several elements saves them all but answers only
    /// the first saved object (the answer shape for arrays is not known).
    pub fn set_answer_first_only(&self, on: bool) {
        self.shared.set_answer_first_only(on);
    }

    /// When on, a `POST` of several elements with a refused one saves every other
    /// element and still answers the refusal (400).
    pub fn set_partial_batches(&self, on: bool) {
        self.shared.set_partial_batches(on);
    }

    /// Sets the delay added to every `/api` and `/auth` request.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.set_latency(latency);
    }

    /// Sets the lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, ttl: Duration) {
        self.shared.set_token_ttl(ttl);
    }

    /// Makes every issued token invalid.
    pub fn revoke_tokens(&self) {
        self.shared.revoke_tokens();
    }

    /// Every access token issued so far (valid or not), for secret-leak checks.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.issued_tokens()
    }

    /// Inserts an object out of band, without validation; missing ids are
    /// assigned. Answers the stored object (`null` when `obj` is not a JSON object).
    pub fn insert(&self, kind: Kind, obj: Value) -> Value {
        match obj {
            Value::Object(obj) => self.shared.insert(kind, obj),
            _ => Value::Null,
        }
    }

    /// Merges the fields of `patch` (a JSON object) into a stored object
    /// out of band. Answers whether the object exists.
    pub fn patch(&self, kind: Kind, id: &str, patch: Value) -> bool {
        match patch {
            Value::Object(patch) => self.shared.patch(kind, id, &patch).is_some(),
            _ => false,
        }
    }

    /// Stores an object of a generic family (`TicketType`, `SLA`, ... or
    /// `Control`) out of band, without validation; a missing id is assigned.
    /// Answers the stored object, `null` for an unknown family or a non-object.
    pub fn insert_generic(&self, family: &str, obj: Value) -> Value {
        generic_api::insert(&self.shared, family, obj)
    }

    /// Merges `patch` into a stored object of a generic family out of band
    /// (for `Control`, into its one object). Answers whether it exists.
    pub fn patch_generic(&self, family: &str, id: &str, patch: Value) -> bool {
        generic_api::patch(&self.shared, family, id, patch)
    }

    /// Deletes an object of a generic family out of band. Answers whether it
    /// existed.
    pub fn remove_generic(&self, family: &str, id: &str) -> bool {
        generic_api::remove(&self.shared, family, id)
    }

    /// The stored objects of a generic family (for `Control`, its one object).
    pub fn generic_objects(&self, family: &str) -> Vec<Value> {
        generic_api::objects(&self.shared, family)
    }

    /// Deletes an object out of band. Answers whether it existed.
    pub fn remove(&self, kind: Kind, id: &str) -> bool {
        self.shared.remove(kind, id).is_some()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The server may already have stopped; nothing to tell it then.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("the halo-sim thread panicked");
            }
        }
    }
}
