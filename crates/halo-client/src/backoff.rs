//! Exponential backoff with full jitter, and cancellable sleeping.

use std::time::Duration;

use rand::Rng;
use tokio_util::sync::CancellationToken;

use super::error::HaloError;

/// The longest `Retry-After` the client is willing to honour; a longer one
/// is shortened to this (Halo's rate limit window is 5 minutes).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// Backoff policy: the wait before retry `n` (1-based) is random in
/// `0..=min(cap, base * 2^(n-1))`, or exactly `Retry-After` when Halo sent one.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// The upper bound of the wait before retry `retry` (1-based).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let factor = 1u32 << exp;
        self.base
            .checked_mul(factor)
            .unwrap_or(self.cap)
            .min(self.cap)
    }

    /// The wait before retry `retry` (1-based).
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(MAX_RETRY_AFTER);
        }
        let ceiling = self.ceiling(retry);
        let max_ms = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        if max_ms == 0 {
            return ceiling;
        }
        Duration::from_millis(rand::rng().random_range(0..=max_ms))
    }
}

impl Backoff {
    /// The wait before retry `retry` after a 429: `Retry-After` when Halo sent
    /// one, else random in `ceiling/2..=ceiling`, so that the waits really grow
    /// (Halo's window is 5 minutes; short retries keep failing, docs/halo-api.md).
    pub fn delay_rate_limited(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(MAX_RETRY_AFTER);
        }
        let ceiling = self.ceiling(retry);
        let half = ceiling / 2;
        let spread = u64::try_from((ceiling - half).as_millis()).unwrap_or(u64::MAX);
        if spread == 0 {
            return ceiling;
        }
        half + Duration::from_millis(rand::rng().random_range(0..=spread))
    }
}

/// Parse a `Retry-After` header given in seconds (HTTP dates are ignored).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    match v.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => Duration::try_from_secs_f64(secs).ok(),
        _ => None,
    }
}

/// Sleep for `dur` unless `cancel` fires first.
pub async fn sleep(dur: Duration, cancel: &CancellationToken) -> Result<(), HaloError> {
    if cancel.is_cancelled() {
        return Err(HaloError::Cancelled);
    }
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(HaloError::Cancelled),
        _ = tokio::time::sleep(dur) => Ok(()),
    }
}
