//! Client-side rate limiter: a sliding log of request start times.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::config::RateLimit;
use super::error::HaloError;

/// At most `requests` acquisitions in any rolling window of length `per`.
///
/// Shared by all clones of a client (it lives behind the client's `Arc`).
/// A sliding log never exceeds the rolling limit, unlike a token bucket
/// whose refill can let `2 * requests` through around a window edge.
#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    per: Duration,
    log: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// A limiter for `limit` (a zero request count is treated as one).
    pub fn new(limit: RateLimit) -> Self {
        let requests = usize::try_from(limit.requests.max(1)).unwrap_or(usize::MAX);
        RateLimiter {
            limit: requests,
            per: limit.per,
            log: Mutex::new(VecDeque::with_capacity(requests.min(4096))),
        }
    }

    /// Wait until one more request fits in the window, then record it.
    /// Returns [`HaloError::Cancelled`] as soon as `cancel` fires.
    pub async fn acquire(&self, cancel: &CancellationToken) -> Result<(), HaloError> {
        loop {
            if cancel.is_cancelled() {
                return Err(HaloError::Cancelled);
            }
            let wake_at = match self.try_acquire_at(Instant::now()) {
                None => return Ok(()),
                Some(at) => at,
            };
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(HaloError::Cancelled),
                _ = tokio::time::sleep_until(wake_at) => {}
            }
        }
    }

    /// Record a request at `now` when it fits (`None`), otherwise answer when
    /// the oldest recorded request leaves the window.
    fn try_acquire_at(&self, now: Instant) -> Option<Instant> {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(&oldest) = log.front() {
            if now.saturating_duration_since(oldest) >= self.per {
                log.pop_front();
            } else {
                break;
            }
        }
        if log.len() < self.limit {
            log.push_back(now);
            None
        } else {
            // The log is full, so it has a front.
            log.front().map(|&oldest| oldest + self.per).or(Some(now))
        }
    }
}
