//! The options an emulator starts with.

use std::path::PathBuf;
use std::time::Duration;

use crate::faults::FaultRate;
use crate::ratelimit::RateLimit;

/// How an emulator starts.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// The client id the token endpoint accepts.
    pub client_id: String,
    /// The client secret the token endpoint accepts.
    pub client_secret: String,
    /// When set, `/auth/token` requires `?tenant=` with this value and
    /// `/api/authinfo` reports it.
    pub tenant: Option<String>,
    /// Whether to start with the seed objects.
    pub seed: bool,
    /// A file the journal is appended to, as JSON lines.
    pub journal_path: Option<PathBuf>,
    /// How long an access token lives.
    pub token_ttl: Duration,
    /// A delay added to every `/api` and `/auth` request.
    pub latency: Duration,
    /// Halo's rate limit, off when `None`.
    pub rate_limit: Option<RateLimit>,
    /// The most objects one list answer holds, paged or not (Halo: 100).
    pub page_cap: usize,
    /// Random seeded faults for soak tests, off when `None`.
    pub fault_rate: Option<FaultRate>,
}

/// Halo's page cap: no list answer holds more than 100 objects.
pub const DEFAULT_PAGE_CAP: usize = 100;

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            client_id: "halo-sim".into(),
            client_secret: "halo-sim-secret".into(),
            tenant: None,
            seed: true,
            journal_path: None,
            token_ttl: Duration::from_secs(3600),
            latency: Duration::ZERO,
            rate_limit: None,
            page_cap: DEFAULT_PAGE_CAP,
            fault_rate: None,
        }
    }
}
