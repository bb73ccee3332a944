//! The Halo HTTP client: one request path with rate limiting, bearer
//! token, re-authentication, retries and cancellation; generic CRUD on top.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::auth::{elapsed_ms, join_segments, Auth};
use super::backoff::{self, parse_retry_after, Backoff};
use super::batch::{self, Batcher, Settled};
use super::config::ClientConfig;
use super::config::Secret;
use super::error::{describe_reqwest, halo_message, Failure, HaloError};
use super::models::HaloObject;
use super::ratelimit::RateLimiter;
use super::snapshot::{self, Snapshots};

/// Result type of the client.
pub type Result<T, E = HaloError> = std::result::Result<T, E>;

/// A HaloPSA API client. Cloning is cheap: clones share the HTTP connection
/// pool, the token and the rate limiter.
#[derive(Clone)]
pub struct HaloClient {
    inner: Arc<Inner>,
    cancel: CancellationToken,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    max_retries: u32,
    backoff: Backoff,
    /// The backoff after a 429: longer, and never shorter than half its step.
    rate_limit_backoff: Backoff,
    page_size: usize,
    limiter: RateLimiter,
    auth: Auth,
    snapshots: Snapshots,
    /// Creates go in batches (`batch_creates`), gathered here.
    batch_creates: bool,
    batcher: Batcher,
    batch_window: std::time::Duration,
    /// API requests sent so far (every attempt, token requests not counted), for
    /// commands that report what a run cost (`export`).
    api_requests: std::sync::atomic::AtomicU64,
}

impl fmt::Debug for HaloClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HaloClient")
            .field("url", &self.inner.base.as_str())
            .field("max_retries", &self.inner.max_retries)
            .field("cancelled", &self.cancel.is_cancelled())
            .finish_non_exhaustive()
    }
}

/// One HTTP request, described once and sent as often as needed.
pub(super) struct Call<'a> {
    pub(super) method: Method,
    pub(super) url: Url,
    pub(super) query: &'a [(&'a str, &'a str)],
    pub(super) body: Option<Vec<u8>>,
}

impl Call<'_> {
    pub(super) fn path(&self) -> &str {
        self.url.path()
    }
}

/// A successful answer.
pub(super) struct Answer {
    pub(super) body: String,
}

/// How an attempt of a create ended well.
enum Created<T> {
    /// An earlier attempt had created it: found by the look-up.
    Found(T),
    /// Halo answered the create with this body.
    Answered(String),
}

fn lock_text(text: &std::sync::Mutex<String>) -> String {
    text.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// The error when the look-up after a create with an unknown outcome failed.
fn lookup_failed<T: HaloObject>(
    call: &Call<'_>,
    attempts: u32,
    last: &str,
    e: HaloError,
) -> HaloError {
    if e.is_cancelled() {
        return HaloError::Cancelled;
    }
    HaloError::GaveUp {
        method: call.method.to_string(),
        path: call.path().to_owned(),
        attempts,
        last: format!(
            "{last}; whether the {} was created is unknown, and listing to check failed: {e}",
            T::KIND
        ),
    }
}

/// Every query that lists a whole kind: its include flags, and the details when asked.
fn all_query<T: HaloObject>(details: bool) -> Vec<(&'static str, &'static str)> {
    let mut query = T::LIST_ALL_QUERY.to_vec();
    if details {
        query.push(("includedetails", "true"));
    }
    query
}

/// The most pages one list is followed through (a guard against an endpoint
/// that pages forever).
const MAX_PAGES: u32 = 10_000;

/// One page of a list answer.
pub(crate) struct Page {
    pub items: Vec<Value>,
    /// How many objects the whole list holds, when Halo says.
    pub record_count: Option<u64>,
}

/// Fetches pages 1, 2, ... with `fetch` and joins their items: goes on while
/// a page is full (`page_size` items) and `record_count`, when given, is not
/// reached; a page equal to the one before ends the list (and is left out).
pub(crate) async fn collect_pages<F, Fut>(page_size: usize, mut fetch: F) -> Result<Vec<Value>>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = Result<Page>>,
{
    let mut all: Vec<Value> = Vec::new();
    let mut previous: Option<Vec<Value>> = None;
    for page_no in 1..=MAX_PAGES {
        let page = fetch(page_no).await?;
        if previous.as_ref() == Some(&page.items) {
            break;
        }
        let full = !page.items.is_empty() && page.items.len() >= page_size;
        all.extend(page.items.iter().cloned());
        let counted_out = page
            .record_count
            .is_some_and(|count| u64::try_from(all.len()).unwrap_or(u64::MAX) >= count);
        if !full || counted_out {
            break;
        }
        previous = Some(page.items);
    }
    Ok(all)
}

impl HaloClient {
    /// Check the configuration and build the client. Nothing is sent to
    /// Halo here: auth discovery and the token wait for the first request.
    pub fn new(config: ClientConfig) -> Result<Self> {
        config.validate().map_err(HaloError::Config)?;
        let base = config.base_url();
        let connect_timeout = config.timeout.min(std::time::Duration::from_secs(10));
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(connect_timeout)
            .user_agent(concat!(
                "terraform-provider-halopsa/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| {
                HaloError::Config(format!(
                    "cannot build the HTTP client: {}",
                    describe_reqwest(&e)
                ))
            })?;
        let auth = Auth::new(&config, base.clone());
        let limiter = match &config.budget_dir {
            Some(dir) => RateLimiter::shared(
                config.rate_limit,
                dir,
                &format!("{}\n{}", base.as_str(), config.client_id),
            ),
            None => RateLimiter::new(config.rate_limit),
        };
        Ok(HaloClient {
            inner: Arc::new(Inner {
                http,
                base,
                max_retries: config.max_retries,
                backoff: Backoff {
                    base: config.backoff_base,
                    cap: config.backoff_cap,
                },
                rate_limit_backoff: Backoff {
                    base: config.rate_limit_backoff_base,
                    cap: config.rate_limit_backoff_cap,
                },
                page_size: config.page_size,
                limiter,
                auth,
                snapshots: Snapshots::default(),
                batch_creates: config.batch_creates,
                batcher: Batcher::default(),
                batch_window: config.batch_window,
                api_requests: std::sync::atomic::AtomicU64::new(0),
            }),
            cancel: CancellationToken::new(),
        })
    }

    /// A clone whose calls stop with [`HaloError::Cancelled`] as soon as
    /// `token` is cancelled (while waiting on the limiter, a backoff, the
    /// token or Halo itself). The clone shares everything else.
    pub fn with_cancel(&self, token: CancellationToken) -> Self {
        HaloClient {
            inner: Arc::clone(&self.inner),
            cancel: token,
        }
    }

    /// The cancellation token this handle's calls obey.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    /// How many API requests (attempts, retries included; not the token's) this
    /// client and its clones have sent.
    pub fn api_requests(&self) -> u64 {
        self.inner
            .api_requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The instance URL (normalised: no trailing `/` or `/api`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// Discover the auth server and fetch a token now (normally done lazily
    /// by the first request), to check the credentials early.
    pub async fn authenticate(&self) -> Result<()> {
        let inner = &*self.inner;
        self.retrying("POST", "token", |_| {
            inner.auth.token(&inner.http, &inner.limiter, &self.cancel)
        })
        .await
        .map(|_| ())
    }

    /// A fresh access token for the configured client credentials and `scope`
    /// (the configured scope when `None`), apart from the token this client
    /// itself uses. Answers the token, its lifetime and the scope asked for.
    pub async fn issue_token(
        &self,
        scope: Option<&str>,
    ) -> Result<(Secret, std::time::Duration, String)> {
        let inner = &*self.inner;
        let scope = scope.unwrap_or(inner.auth.scope()).to_owned();
        let (token, lifetime) = self
            .retrying("POST", "token", |_| {
                inner
                    .auth
                    .issue(&inner.http, &inner.limiter, &self.cancel, &scope)
            })
            .await?;
        Ok((token, lifetime, scope))
    }

    // ----- generic CRUD -------------------------------------------------

    /// `GET /api/X/{id}` (`?includedetails=true` when `details`).
    /// `Ok(None)` when Halo answers 404.
    pub async fn get<T: HaloObject>(&self, id: T::Id, details: bool) -> Result<Option<T>> {
        let id = id_segment::<T>(&id)?;
        let url = self.endpoint(&[T::PATH, &id])?;
        let query: &[(&str, &str)] = if details {
            &[("includedetails", "true")]
        } else {
            &[]
        };
        let call = Call {
            method: Method::GET,
            url,
            query,
            body: None,
        };
        match self.run(&call).await {
            Ok(answer) => decode_single::<T>(&call, &answer.body),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads one object for a refresh: from the run's snapshot of the kind's list
    /// (every page of it, with [`HaloObject::LIST_ALL_QUERY`], fetched once, with
    /// `?includedetails=true` when `details`), falling back to a single `get`
    /// when the object is not in the list or the list left out its details.
    /// `Ok(None)` when the object is gone.
    pub async fn read<T: HaloObject>(&self, id: T::Id, details: bool) -> Result<Option<T>> {
        let snapshot = self.snapshot::<T>(details).await?;
        if let Some(found) = snapshot.get(&id.to_string()) {
            if let Ok(obj) = serde_json::from_value::<T>(found.clone()) {
                if !details || obj.has_details() {
                    return Ok(Some(obj));
                }
            }
        }
        self.get::<T>(id, details).await
    }

    /// Every `T` of the run's snapshot of the kind (the list [`HaloClient::read`]
    /// answers from, fetched once per run and kind; hidden objects included,
    /// without details): what a plan-time check looks through, so that many
    /// checks of one kind cost one list. An item that does not decode is left out.
    pub async fn listed<T: HaloObject>(&self) -> Result<Vec<T>> {
        let snapshot = self.snapshot::<T>(false).await?;
        Ok(snapshot
            .values()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect())
    }

    /// The run's snapshot of `T`'s list, fetched by the first caller (single
    /// flight) and kept until a write of the kind.
    async fn snapshot<T: HaloObject>(&self, details: bool) -> Result<snapshot::Snapshot> {
        let cell = self.inner.snapshots.cell(T::PATH, details);
        let snapshot = cell
            .get_or_try_init(|| async {
                let items = self.list_values(T::PATH, &all_query::<T>(details)).await?;
                Ok::<_, HaloError>(Arc::new(snapshot::index(items)))
            })
            .await?;
        Ok(Arc::clone(snapshot))
    }

    /// Every `T` Halo has, hidden ones included ([`HaloObject::LIST_ALL_QUERY`]),
    /// from every page, with the detail lists when `details`
    /// (`?includedetails=true`). An object the list answered without its details
    /// is read again on its own (`get`), so with `details` every object answered
    /// has them; one gone meanwhile is left out.
    pub async fn list_all<T: HaloObject>(&self, details: bool) -> Result<Vec<T>> {
        let listed = self.list::<T>(&all_query::<T>(details)).await?;
        let mut all = Vec::with_capacity(listed.len());
        for obj in listed {
            match obj.id() {
                Some(id) if details && !obj.has_details() => {
                    all.extend(self.get::<T>(id, true).await?);
                }
                _ => all.push(obj),
            }
        }
        Ok(all)
    }

    /// The objects whose name Halo matches with `text` (`search=TEXT`, a
    /// server-side filter that may match more than the name, or match loosely),
    /// from every page, hidden ones included. The caller picks the exact match.
    pub async fn search<T: HaloObject>(&self, text: &str) -> Result<Vec<T>> {
        let mut query = all_query::<T>(false);
        query.push(("search", text));
        self.list::<T>(&query).await
    }

    /// `GET /api/X` with `query`, every page of it ([`HaloClient::list_values`]).
    /// The include flags are the caller's: add [`HaloObject::LIST_ALL_QUERY`] to
    /// see hidden objects.
    pub async fn list<T: HaloObject>(&self, query: &[(&str, &str)]) -> Result<Vec<T>> {
        let path = self.endpoint(&[T::PATH])?.path().to_owned();
        self.list_values(T::PATH, query)
            .await?
            .into_iter()
            .map(|v| {
                serde_json::from_value(v).map_err(|e| HaloError::Decode {
                    method: "GET".into(),
                    path: path.clone(),
                    message: format!("not a valid {} ({e})", T::KIND),
                })
            })
            .collect()
    }

    /// The one paging loop of every list: `GET /api/{path}` with `query` plus
    /// `pageinate=true&page_size=N&page_no=P` for P = 1, 2, ..., going on while a
    /// page is full and `record_count` (when given) is not reached, and stopping
    /// when a page repeats the one before (an endpoint that ignores paging).
    /// Each page may be a bare array or an object holding one array
    /// (docs/halo-api.md, "Pages").
    pub async fn list_values(
        &self,
        path: &'static str,
        query: &[(&str, &str)],
    ) -> Result<Vec<Value>> {
        let url = self.endpoint(&[path])?;
        let page_size = self.inner.page_size;
        let size = page_size.to_string();
        collect_pages(page_size, |page_no| {
            let (url, size) = (url.clone(), &size);
            async move {
                let page_no = page_no.to_string();
                let mut paged: Vec<(&str, &str)> = query.to_vec();
                paged.extend([
                    ("pageinate", "true"),
                    ("page_size", size.as_str()),
                    ("page_no", page_no.as_str()),
                ]);
                let call = Call {
                    method: Method::GET,
                    url,
                    query: &paged,
                    body: None,
                };
                let answer = self.run(&call).await?;
                decode_page(&call, &answer.body)
            }
        })
        .await
    }

    /// Create `obj` (which must have no id) with `POST /api/X [obj]`.
    ///
    /// A create is not blindly repeated: when its outcome is unknown (a
    /// timeout, a broken connection or a 502/503/504 after it was sent),
    /// the objects are listed afresh and the one for which `same` holds
    /// (compare the natural key, e.g. the name) is returned; only when
    /// there is none is the create sent again (counting as a retry).
    ///
    /// With `batch_creates`, creates of one kind made at the same time go as
    /// one array POST (`crates/halo-client/src/batch.rs`); what the batch did not surely
    /// create goes on alone by the path above.
    pub async fn create<T: HaloObject>(&self, obj: &T, same: impl Fn(&T) -> bool) -> Result<T> {
        self.writing::<T, _>(async {
            let mut unknown = false;
            if self.inner.batch_creates && obj.id().is_none() {
                for _ in 0..batch::MAX_BATCH_ROUNDS {
                    match batch::settle(self.batched(obj).await?, &same) {
                        Settled::Created(created) => return Ok(created),
                        Settled::Again => continue,
                        Settled::Alone { unknown: u } => {
                            unknown = u;
                            break;
                        }
                    }
                }
            }
            self.create_once(obj, same, unknown).await
        })
        .await
    }

    /// The run's list snapshots (batch reads), for the generic families.
    pub(super) fn snapshots(&self) -> &super::snapshot::Snapshots {
        &self.inner.snapshots
    }

    /// The batches being gathered.
    pub(super) fn batcher(&self) -> &Batcher {
        &self.inner.batcher
    }

    pub(super) fn batch_window(&self) -> std::time::Duration {
        self.inner.batch_window
    }

    /// Runs a write of kind `T`, dropping the kind's snapshot before and after it
    /// so no read in between or later sees the old state.
    async fn writing<T: HaloObject, R>(&self, write: impl std::future::Future<Output = R>) -> R {
        self.inner.snapshots.invalidate(T::PATH);
        let result = write.await;
        self.inner.snapshots.invalidate(T::PATH);
        result
    }

    /// The one-object create. `unknown`: an earlier attempt (a batch) may have
    /// created it, so look for it before the first POST.
    async fn create_once<T: HaloObject>(
        &self,
        obj: &T,
        same: impl Fn(&T) -> bool,
        unknown: bool,
    ) -> Result<T> {
        if let Some(id) = obj.id() {
            return Err(HaloError::InvalidArgument(format!(
                "cannot create the {} {id}: it already has an id (update it instead)",
                T::KIND
            )));
        }
        // Counted as in flight, so that a batch of the kind gathers meanwhile.
        let _sending = self.batcher().sending(T::PATH);
        let call = Call {
            method: Method::POST,
            url: self.endpoint(&[T::PATH])?,
            query: &[],
            body: Some(encode_array(obj)?),
        };
        let reauthed = AtomicBool::new(false);
        // Set when the last attempt may have created the object: the next one
        // looks for it before sending the create again.
        let unknown = AtomicBool::new(unknown);
        let last = std::sync::Mutex::new(if unknown.load(Ordering::Relaxed) {
            "the batch create's answer was lost".to_owned()
        } else {
            String::new()
        });
        let same = &same;
        let tried = self
            .retrying(call.method.as_str(), call.path(), |attempt| {
                let (call, reauthed, unknown, last) = (&call, &reauthed, &unknown, &last);
                async move {
                    if unknown.load(Ordering::Relaxed) {
                        tracing::debug!(
                            method = "POST",
                            path = call.path(),
                            attempt,
                            "outcome of the create unknown; listing {} objects to check",
                            T::KIND
                        );
                        match self.find_existing(same).await {
                            Ok(Some(found)) => return Ok(Created::Found(found)),
                            Ok(None) => {}
                            Err(e) => {
                                return Err(Failure::Fatal(lookup_failed::<T>(
                                    call,
                                    attempt - 1,
                                    &lock_text(last),
                                    e,
                                )))
                            }
                        }
                    }
                    match self.attempt(call, attempt, reauthed).await {
                        Ok(answer) => Ok(Created::Answered(answer.body)),
                        Err(Failure::Retry {
                            last: text,
                            retry_after,
                            sent,
                            rate_limited,
                        }) => {
                            unknown.store(sent, Ordering::Relaxed);
                            *last
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner) = text.clone();
                            Err(Failure::Retry {
                                last: text,
                                retry_after,
                                sent,
                                rate_limited,
                            })
                        }
                        Err(fatal) => Err(fatal),
                    }
                }
            })
            .await;
        match tried {
            Ok(Created::Found(found)) => Ok(found),
            Ok(Created::Answered(body)) => match decode_single::<T>(&call, &body)? {
                Some(created) => Ok(created),
                // An empty answer: the object is there, find it.
                None => self.find_existing(same).await?.ok_or_else(|| {
                    decode_error(
                        &call,
                        format!(
                            "the create answer is empty and no such {} can be found",
                            T::KIND
                        ),
                    )
                }),
            },
            // Out of retries after an attempt that may have created it: one last look.
            Err(e @ (HaloError::GaveUp { .. } | HaloError::RateLimited { .. }))
                if unknown.load(Ordering::Relaxed) =>
            {
                let attempts = match &e {
                    HaloError::GaveUp { attempts, .. }
                    | HaloError::RateLimited { attempts, .. } => *attempts,
                    _ => 0,
                };
                match self.find_existing(same).await {
                    Ok(Some(found)) => Ok(found),
                    Ok(None) => Err(e),
                    Err(lookup) => Err(lookup_failed::<T>(
                        &call,
                        attempts,
                        &lock_text(&last),
                        lookup,
                    )),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Update `obj` (which must have an id) with `POST /api/X [obj]`. The
    /// answer may be one object or an array; an empty answer is followed by
    /// a fresh `get`.
    pub async fn update<T: HaloObject>(&self, obj: &T) -> Result<T> {
        self.writing::<T, _>(self.update_once(obj)).await
    }

    async fn update_once<T: HaloObject>(&self, obj: &T) -> Result<T> {
        let id = obj.id().ok_or_else(|| {
            HaloError::InvalidArgument(format!("cannot update a {} that has no id", T::KIND))
        })?;
        let call = Call {
            method: Method::POST,
            url: self.endpoint(&[T::PATH])?,
            query: &[],
            body: Some(encode_array(obj)?),
        };
        let answer = self.run(&call).await?;
        match decode_single::<T>(&call, &answer.body)? {
            Some(saved) => Ok(saved),
            None => {
                let path = join_segments(&self.inner.base, &["api", T::PATH, &id.to_string()])
                    .map(|u| u.path().to_owned())
                    .unwrap_or_default();
                self.get::<T>(id, true)
                    .await?
                    .ok_or_else(|| HaloError::NotFound {
                        method: "GET".into(),
                        path,
                        message: format!("the {} is gone after the update", T::KIND),
                    })
            }
        }
    }

    /// `DELETE /api/X/{id}`. A 404 means it is already gone: `Ok(())`.
    pub async fn delete<T: HaloObject>(&self, id: T::Id) -> Result<()> {
        self.writing::<T, _>(self.delete_once::<T>(id)).await
    }

    async fn delete_once<T: HaloObject>(&self, id: T::Id) -> Result<()> {
        let id = id_segment::<T>(&id)?;
        let call = Call {
            method: Method::DELETE,
            url: self.endpoint(&[T::PATH, &id])?,
            query: &[],
            body: None,
        };
        match self.run(&call).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }

    // ----- the request path ---------------------------------------------

    pub(super) fn endpoint(&self, segments: &[&str]) -> Result<Url> {
        let mut all = Vec::with_capacity(segments.len() + 1);
        all.push("api");
        all.extend_from_slice(segments);
        join_segments(&self.inner.base, &all)
    }

    /// List every `T` afresh and return the one `same` picks.
    async fn find_existing<T: HaloObject>(&self, same: &impl Fn(&T) -> bool) -> Result<Option<T>> {
        let all = self.list::<T>(&all_query::<T>(false)).await?;
        Ok(all.into_iter().find(|o| same(o)))
    }

    /// Send an idempotent call, retrying what is worth retrying.
    pub(super) async fn run(&self, call: &Call<'_>) -> Result<Answer> {
        let reauthed = AtomicBool::new(false);
        self.retrying(call.method.as_str(), call.path(), |attempt| {
            self.attempt(call, attempt, &reauthed)
        })
        .await
    }

    /// The retry loop of idempotent work: runs `once` (given the attempt's number,
    /// from 1) until it succeeds, fails for good, or has been retried
    /// `max_retries` times, waiting the backoff (or Halo's `Retry-After`) between
    /// attempts. `method` and `path` name the work in logs and in the final error.
    pub(super) async fn retrying<T, Fut>(
        &self,
        method: &str,
        path: &str,
        mut once: impl FnMut(u32) -> Fut,
    ) -> Result<T>
    where
        Fut: std::future::Future<Output = std::result::Result<T, Failure>>,
    {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match once(attempt).await {
                Ok(answer) => return Ok(answer),
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Retry {
                    last,
                    retry_after,
                    rate_limited,
                    ..
                }) => {
                    let wait = match rate_limited {
                        Some(_) => self
                            .inner
                            .rate_limit_backoff
                            .delay_rate_limited(attempt, retry_after),
                        None => self.inner.backoff.delay(attempt, retry_after),
                    };
                    if attempt > self.inner.max_retries {
                        return Err(gave_up(method, path, attempt, last, rate_limited));
                    }
                    tracing::debug!(
                        method,
                        path,
                        attempt,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "retrying halo request"
                    );
                    backoff::sleep(wait, &self.cancel).await?;
                }
            }
        }
    }

    /// One attempt: token, limiter, send. A 401 fetches a new token and
    /// repeats the request once per call (`reauthed`), never more.
    pub(super) async fn attempt(
        &self,
        call: &Call<'_>,
        attempt: u32,
        reauthed: &AtomicBool,
    ) -> Result<Answer, Failure> {
        let inner = &*self.inner;
        loop {
            let token = inner
                .auth
                .token(&inner.http, &inner.limiter, &self.cancel)
                .await?;
            inner.limiter.acquire(&self.cancel).await?;

            let mut request = inner
                .http
                .request(call.method.clone(), call.url.clone())
                .bearer_auth(token.value.expose())
                .header(ACCEPT, HeaderValue::from_static("application/json"));
            if !call.query.is_empty() {
                request = request.query(call.query);
            }
            if let Some(body) = &call.body {
                request = request
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(body.clone());
            }

            inner
                .api_requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let start = Instant::now();
            let sent = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => return Err(HaloError::Cancelled.into()),
                r = request.send() => r,
            };
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    let detail = describe_reqwest(&e);
                    tracing::debug!(
                        method = call.method.as_str(),
                        path = call.path(),
                        error = %detail,
                        elapsed_ms = elapsed_ms(start),
                        attempt,
                        "halo request failed"
                    );
                    if e.is_builder() || e.is_redirect() {
                        return Err(HaloError::Transport {
                            method: call.method.to_string(),
                            path: call.path().to_owned(),
                            detail,
                            source: e,
                        }
                        .into());
                    }
                    return Err(Failure::Retry {
                        last: detail,
                        retry_after: None,
                        // A refused connection never carried the request.
                        sent: !e.is_connect(),
                        rate_limited: None,
                    });
                }
            };
            let status = response.status();
            tracing::debug!(
                method = call.method.as_str(),
                path = call.path(),
                status = status.as_u16(),
                elapsed_ms = elapsed_ms(start),
                attempt,
                "halo request"
            );
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            let body = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => return Err(HaloError::Cancelled.into()),
                b = response.bytes() => b,
            };
            let body = match body {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    return Err(Failure::Retry {
                        last: format!(
                            "{status}, then reading the answer failed: {}",
                            describe_reqwest(&e)
                        ),
                        retry_after: None,
                        sent: true,
                        rate_limited: None,
                    })
                }
            };
            if status.is_success() {
                return Ok(Answer { body });
            }
            let message = halo_message(&body);
            match status {
                StatusCode::UNAUTHORIZED if !reauthed.swap(true, Ordering::Relaxed) => {
                    tracing::debug!(
                        method = call.method.as_str(),
                        path = call.path(),
                        "halo refused the access token; fetching a new one"
                    );
                    inner.auth.invalidate(token.generation).await;
                    continue;
                }
                StatusCode::UNAUTHORIZED => {
                    return Err(HaloError::Api {
                        method: call.method.to_string(),
                        path: call.path().to_owned(),
                        status,
                        message: format!(
                            "Halo refused a freshly issued access token{}; check that the API \
                             application (client_id/HALOPSA_CLIENT_ID) is active and its agent \
                             may use the API",
                            if message.is_empty() {
                                String::new()
                            } else {
                                format!(" ({message})")
                            }
                        ),
                    }
                    .into())
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    return Err(Failure::Retry {
                        last: status_text(status, &message),
                        retry_after,
                        sent: false,
                        rate_limited: Some(message),
                    })
                }
                StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT => {
                    return Err(Failure::Retry {
                        last: status_text(status, &message),
                        retry_after,
                        sent: true,
                        rate_limited: None,
                    })
                }
                StatusCode::NOT_FOUND => {
                    return Err(HaloError::NotFound {
                        method: call.method.to_string(),
                        path: call.path().to_owned(),
                        message,
                    }
                    .into())
                }
                _ => {
                    return Err(HaloError::Api {
                        method: call.method.to_string(),
                        path: call.path().to_owned(),
                        status,
                        message,
                    }
                    .into())
                }
            }
        }
    }
}

fn status_text(status: StatusCode, message: &str) -> String {
    if message.is_empty() {
        status.to_string()
    } else {
        format!("{status}: {message}")
    }
}

fn gave_up(
    method: &str,
    path: &str,
    attempts: u32,
    last: String,
    rate_limited: Option<String>,
) -> HaloError {
    match rate_limited {
        Some(message) => HaloError::RateLimited {
            method: method.to_owned(),
            path: path.to_owned(),
            attempts,
            message,
        },
        None => HaloError::GaveUp {
            method: method.to_owned(),
            path: path.to_owned(),
            attempts,
            last,
        },
    }
}

fn id_segment<T: HaloObject>(id: &T::Id) -> Result<String> {
    let s = id.to_string();
    if s.trim().is_empty() {
        return Err(HaloError::InvalidArgument(format!(
            "the {} id must not be empty",
            T::KIND
        )));
    }
    Ok(s)
}

/// The POST body: always a JSON array.
fn encode_array<T: HaloObject>(obj: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(std::slice::from_ref(obj)).map_err(|e| {
        HaloError::InvalidArgument(format!("cannot encode the {} as JSON: {e}", T::KIND))
    })
}

fn decode_error(call: &Call<'_>, message: String) -> HaloError {
    HaloError::Decode {
        method: call.method.to_string(),
        path: call.path().to_owned(),
        message,
    }
}

pub(super) fn parse_value(call: &Call<'_>, body: &str) -> Result<Value> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(trimmed).map_err(|e| {
        decode_error(
            call,
            format!(
                "not JSON ({e}); the answer starts with {:?}",
                trimmed.chars().take(80).collect::<String>()
            ),
        )
    })
}

fn from_value<T: HaloObject>(call: &Call<'_>, v: Value) -> Result<T> {
    serde_json::from_value(v)
        .map_err(|e| decode_error(call, format!("not a valid {} ({e})", T::KIND)))
}

/// One object from an answer that is an object or an array of objects.
/// `None` for an empty answer (empty body, `null`, `[]`).
fn decode_single<T: HaloObject>(call: &Call<'_>, body: &str) -> Result<Option<T>> {
    match parse_value(call, body)? {
        Value::Null => Ok(None),
        Value::Array(items) => match items.into_iter().next() {
            None | Some(Value::Null) => Ok(None),
            Some(first @ Value::Object(_)) => from_value(call, first).map(Some),
            Some(other) => Err(decode_error(
                call,
                format!("expected a {} object, found {}", T::KIND, kind_of(&other)),
            )),
        },
        obj @ Value::Object(_) => from_value(call, obj).map(Some),
        other => Err(decode_error(
            call,
            format!("expected a {} object, found {}", T::KIND, kind_of(&other)),
        )),
    }
}

/// One page of a list: a bare array, or an object holding `record_count` and
/// one array-valued key, whatever its name (`agents`, `clients`, `tree`, ...).
fn decode_page(call: &Call<'_>, body: &str) -> Result<Page> {
    let (items, record_count) = match parse_value(call, body)? {
        Value::Null => (Vec::new(), None),
        Value::Array(items) => (items, None),
        Value::Object(map) => {
            let record_count = map.get("record_count").and_then(|v| match v {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            });
            let mut arrays = map.into_iter().filter(|(_, v)| v.is_array());
            match (arrays.next(), arrays.next()) {
                (Some((_, Value::Array(items))), None) => (items, record_count),
                (Some((first, _)), Some((second, _))) => {
                    return Err(decode_error(
                        call,
                        format!(
                            "expected a list (an array, or an object with one array), found \
                             an object with several arrays ({first}, {second}, ...)"
                        ),
                    ))
                }
                // No array: an empty list only when Halo says so.
                _ if record_count == Some(0) => (Vec::new(), record_count),
                _ => {
                    return Err(decode_error(
                        call,
                        "expected a list (an array, or an object with one array), found an \
                         object without any array"
                            .to_owned(),
                    ))
                }
            }
        }
        other => {
            return Err(decode_error(
                call,
                format!("expected a list, found {}", kind_of(&other)),
            ))
        }
    };
    Ok(Page {
        items: items.into_iter().filter(|v| !v.is_null()).collect(),
        record_count,
    })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
impl HaloClient {
    pub(crate) fn inner_auth_for_tests(&self) -> &Auth {
        &self.inner.auth
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// Exposes the answer parsing to the tests without a server.
    pub(crate) struct CallForTests {
        url: Url,
    }

    impl CallForTests {
        pub(crate) fn new(path: &str) -> Self {
            let url = Url::parse("https://halo.test")
                .and_then(|u| u.join(path))
                .unwrap_or_else(|e| panic!("bad test path {path}: {e}"));
            CallForTests { url }
        }

        /// One page decoded into `T`s.
        pub(crate) fn decode_list<T: HaloObject>(&self, body: &str) -> Result<Vec<T>> {
            let call = Call {
                method: Method::GET,
                url: self.url.clone(),
                query: &[],
                body: None,
            };
            decode_page(&call, body)?
                .items
                .into_iter()
                .map(|v| from_value::<T>(&call, v))
                .collect()
        }

        pub(crate) fn record_count(&self, body: &str) -> Result<Option<u64>> {
            let call = Call {
                method: Method::GET,
                url: self.url.clone(),
                query: &[],
                body: None,
            };
            decode_page(&call, body).map(|p| p.record_count)
        }

        pub(crate) fn decode_single<T: HaloObject>(&self, body: &str) -> Result<Option<T>> {
            let call = Call {
                method: Method::GET,
                url: self.url.clone(),
                query: &[],
                body: None,
            };
            decode_single::<T>(&call, body)
        }
    }
}
