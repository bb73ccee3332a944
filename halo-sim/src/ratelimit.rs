//! Halo's rate limit: a rolling window of N requests per W seconds.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// N requests per rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub window: Duration,
}

/// Counts admitted requests in the current window.
#[derive(Debug, Default)]
pub struct RateLimiter {
    limit: Option<RateLimit>,
    admitted: VecDeque<Instant>,
}

impl RateLimiter {
    pub fn new(limit: Option<RateLimit>) -> Self {
        RateLimiter {
            limit,
            admitted: VecDeque::new(),
        }
    }

    /// Changes the limit and starts a fresh window.
    pub fn set(&mut self, limit: Option<RateLimit>) {
        self.limit = limit;
        self.admitted.clear();
    }

    pub fn limit(&self) -> Option<RateLimit> {
        self.limit
    }

    /// Whether a request arriving at `now` is within the limit (and counts it if so).
    pub fn admit(&mut self, now: Instant) -> bool {
        let Some(limit) = self.limit else {
            return true;
        };
        while self
            .admitted
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.window)
        {
            self.admitted.pop_front();
        }
        if self.admitted.len() >= limit.requests as usize {
            return false;
        }
        self.admitted.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_window() {
        let mut limiter = RateLimiter::new(Some(RateLimit {
            requests: 2,
            window: Duration::from_secs(10),
        }));
        let t0 = Instant::now();
        assert!(limiter.admit(t0));
        assert!(limiter.admit(t0 + Duration::from_secs(1)));
        assert!(!limiter.admit(t0 + Duration::from_secs(2)));
        assert!(limiter.admit(t0 + Duration::from_secs(10)));
        assert!(!limiter.admit(t0 + Duration::from_secs(10)));
    }
}
