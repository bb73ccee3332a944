//! Client-side rate limiter: a sliding log of request start times, kept in the
//! process, or shared by every provider process on the machine that talks to
//! the same instance with the same client id (a small file, locked while it is
//! read and written).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::config::RateLimit;
use super::error::HaloError;

/// At most `requests` acquisitions in any rolling window of length `per`.
///
/// Shared by all clones of a client (it lives behind the client's `Arc`).
/// A sliding log never exceeds the rolling limit, unlike a token bucket
/// whose refill can let `2 * requests` through around a window edge.
///
/// With a budget file ([`RateLimiter::shared`]) the log lives in that file and
/// is shared by every process that uses it: Terraform starts the provider
/// several times per run (validate, plan, apply) and runs follow each other,
/// while Halo counts all their requests in one window. When the file cannot
/// be used (no cache directory, no file locks on the platform, an I/O error)
/// the limiter falls back to its in-process log for the rest of the process.
#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    per: Duration,
    log: Mutex<VecDeque<Instant>>,
    file: Option<BudgetFile>,
}

impl RateLimiter {
    /// An in-process limiter for `limit` (a zero request count is treated as one).
    pub fn new(limit: RateLimit) -> Self {
        let requests = usize::try_from(limit.requests.max(1)).unwrap_or(usize::MAX);
        RateLimiter {
            limit: requests,
            per: limit.per + margin(limit.per),
            log: Mutex::new(VecDeque::with_capacity(requests.min(4096))),
            file: None,
        }
    }

    /// A limiter whose log is the budget file for `key` (the instance URL and
    /// client id) in `dir`, shared with other processes; in-process when the
    /// file cannot be used.
    pub fn shared(limit: RateLimit, dir: &Path, key: &str) -> Self {
        let mut limiter = RateLimiter::new(limit);
        limiter.file = Some(BudgetFile {
            path: dir.join(format!("budget-{:016x}", fnv1a(key.as_bytes()))),
            broken: AtomicBool::new(false),
            guard: Mutex::new(()),
        });
        limiter
    }

    /// The budget file in use, if any (`None` once it has failed).
    #[cfg(test)]
    pub fn budget_file(&self) -> Option<&Path> {
        self.file
            .as_ref()
            .filter(|f| !f.broken.load(Ordering::Relaxed))
            .map(|f| f.path.as_path())
    }

    /// Wait until one more request fits in the window, then record it.
    /// Returns [`HaloError::Cancelled`] as soon as `cancel` fires.
    pub async fn acquire(&self, cancel: &CancellationToken) -> Result<(), HaloError> {
        loop {
            if cancel.is_cancelled() {
                return Err(HaloError::Cancelled);
            }
            let wake_at = match self.try_shared() {
                Some(None) => return Ok(()),
                Some(Some(wait)) => Instant::now() + wait,
                None => match self.try_acquire_at(Instant::now()) {
                    None => return Ok(()),
                    Some(at) => at,
                },
            };
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(HaloError::Cancelled),
                _ = tokio::time::sleep_until(wake_at) => {}
            }
        }
    }

    /// One try on the budget file: `Some(None)` when the request was recorded,
    /// `Some(Some(wait))` when the window is full, `None` when there is no
    /// usable file (the in-process log decides).
    fn try_shared(&self) -> Option<Option<Duration>> {
        let file = self.file.as_ref()?;
        if file.broken.load(Ordering::Relaxed) {
            return None;
        }
        match file.try_acquire(self.limit, self.per) {
            Ok(outcome) => Some(outcome),
            Err(e) => {
                if !file.broken.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        path = %file.path.display(),
                        error = %e,
                        "the shared request budget file cannot be used; pacing this process alone"
                    );
                }
                None
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

/// Halo counts a request when it arrives, the limiter when it starts: a
/// request that took longer to arrive than the one a window later would let
/// Halo see `limit + 1` in its window. The limiter's window is this much
/// longer (1/20 of the window, at most 1 s).
fn margin(per: Duration) -> Duration {
    (per / 20).min(Duration::from_secs(1))
}

/// The shared log: request start times as Unix milliseconds, 8 bytes each
/// (little-endian), only those inside the window kept.
#[derive(Debug)]
struct BudgetFile {
    path: PathBuf,
    /// Set after the first failure: the process then paces itself alone.
    broken: AtomicBool,
    /// Keeps this process's tasks from queueing on the OS lock.
    guard: Mutex<()>,
}

impl BudgetFile {
    fn try_acquire(&self, limit: usize, per: Duration) -> std::io::Result<Option<Duration>> {
        let _guard = self.guard.lock().unwrap_or_else(PoisonError::into_inner);
        let now = unix_ms(SystemTime::now());
        let per_ms = u64::try_from(per.as_millis()).unwrap_or(u64::MAX);
        locked::update(&self.path, |times: &mut Vec<u64>| {
            // Entries from a clock that jumped back are dropped too.
            times.retain(|&t| t <= now.saturating_add(1000) && now.saturating_sub(t) < per_ms);
            times.sort_unstable();
            if times.len() < limit {
                times.push(now);
                None
            } else {
                // The oldest of the `limit` newest leaves the window first.
                let oldest = times[times.len() - limit];
                let wait = oldest.saturating_add(per_ms).saturating_sub(now).max(1);
                Some(Duration::from_millis(wait))
            }
        })
    }
}

fn unix_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// FNV-1a, 64 bits: a stable file name for the key (the same in every build).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Where budget files go: `$XDG_CACHE_HOME`, else `~/.cache` (on Windows
/// `%LOCALAPPDATA%`), else the temporary directory; in a
/// `terraform-provider-halopsa` folder.
pub fn default_budget_dir() -> PathBuf {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = absolute("XDG_CACHE_HOME")
        .or_else(|| {
            if cfg!(windows) {
                absolute("LOCALAPPDATA")
            } else {
                absolute("HOME").map(|h| h.join(".cache"))
            }
        })
        .unwrap_or_else(std::env::temp_dir);
    base.join("terraform-provider-halopsa")
}

#[cfg(unix)]
mod locked {
    use std::fs::{self, OpenOptions};
    use std::io::{Read, Seek, SeekFrom, Write};
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    use std::path::Path;

    use rustix::fs::{flock, FlockOperation};

    /// Opens (creating) the file at `path`, holds an exclusive `flock` on it,
    /// hands its times to `change` and writes them back.
    pub(super) fn update<R>(
        path: &Path,
        change: impl FnOnce(&mut Vec<u64>) -> R,
    ) -> std::io::Result<R> {
        if let Some(dir) = path.parent() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)?;
        flock(&file, FlockOperation::LockExclusive)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let mut times: Vec<u64> = bytes
            .chunks_exact(8)
            .filter_map(|c| <[u8; 8]>::try_from(c).ok())
            .map(u64::from_le_bytes)
            .collect();
        let result = change(&mut times);
        let out: Vec<u8> = times.iter().flat_map(|t| t.to_le_bytes()).collect();
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&out)?;
        file.set_len(u64::try_from(out.len()).unwrap_or(u64::MAX))?;
        // Closing the file releases the lock.
        Ok(result)
    }
}

#[cfg(not(unix))]
mod locked {
    use std::path::Path;

    /// No file locks here: the in-process limiter paces alone.
    pub(super) fn update<R>(
        _path: &Path,
        _change: impl FnOnce(&mut Vec<u64>) -> R,
    ) -> std::io::Result<R> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "a shared request budget needs file locks, which this build does not have on this platform",
        ))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn limit(requests: u32, secs: u64) -> RateLimit {
        RateLimit {
            requests,
            per: Duration::from_secs(secs),
        }
    }

    #[test]
    fn two_limiters_on_one_file_share_the_window() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let a = RateLimiter::shared(limit(3, 3600), dir.path(), "https://x\nid");
        let b = RateLimiter::shared(limit(3, 3600), dir.path(), "https://x\nid");
        let other = RateLimiter::shared(limit(3, 3600), dir.path(), "https://x\nother");
        assert_eq!(a.try_shared(), Some(None));
        assert_eq!(b.try_shared(), Some(None));
        assert_eq!(a.try_shared(), Some(None));
        let wait = b.try_shared().flatten();
        assert!(
            wait.is_some_and(|w| w > Duration::from_secs(3500)),
            "the fourth request waits for the window: {wait:?}"
        );
        assert_eq!(
            other.try_shared(),
            Some(None),
            "another client id, another budget"
        );
        assert_eq!(a.budget_file(), b.budget_file());
        assert_ne!(a.budget_file(), other.budget_file());
    }

    #[test]
    fn old_entries_leave_the_window() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let a = RateLimiter::shared(
            RateLimit {
                requests: 1,
                per: Duration::from_millis(30),
            },
            dir.path(),
            "k",
        );
        assert_eq!(a.try_shared(), Some(None));
        assert!(a.try_shared().flatten().is_some());
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(a.try_shared(), Some(None));
    }

    #[test]
    fn an_unusable_file_falls_back_to_the_process() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        // A regular file where the directory should be.
        let blocker = dir.path().join("not-a-dir");
        std::fs::write(&blocker, b"x").unwrap_or_else(|e| panic!("write: {e}"));
        let a = RateLimiter::shared(limit(1, 3600), &blocker, "k");
        assert_eq!(a.try_shared(), None);
        assert_eq!(a.budget_file(), None);
        assert!(a.try_acquire_at(Instant::now()).is_none());
        assert!(a.try_acquire_at(Instant::now()).is_some());
    }
}
