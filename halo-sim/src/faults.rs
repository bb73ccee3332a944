//! Injected faults: the next N requests matching a method and path prefix
//! get a chosen treatment instead of (or around) their normal answer.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kind::Kind;

/// Elements refused by name: a `POST` element of the kind whose name is one of
/// these is refused (400) as Halo refuses an element it cannot save, whatever
/// else the element holds, until the faults are cleared. With partial batches
/// on, the other elements of the body are still saved: a way to get one
/// element of a batch refused that no plan-time check of the provider can
/// foresee.
#[derive(Debug, Default)]
pub struct RefusedNames {
    names: Vec<(Kind, String)>,
}

impl RefusedNames {
    pub fn push(&mut self, kind: Kind, name: &str) {
        self.names.push((kind, name.trim().to_lowercase()));
    }

    pub fn clear(&mut self) {
        self.names.clear();
    }

    /// The refusal of `element` of `kind`, if its name is refused.
    pub fn refusal(&self, kind: Kind, element: &Value) -> Option<String> {
        let name = element
            .get(kind.name_field())?
            .as_str()?
            .trim()
            .to_lowercase();
        self.names
            .iter()
            .any(|(k, n)| *k == kind && *n == name)
            .then(|| format!("{} {name:?} was refused (an injected fault)", kind.plural()))
    }
}

/// A fault to inject.
///
/// JSON form: `{"method": "POST", "path_prefix": "/api/Organisation", "count": 1,
/// "action": {"status": 503} | {"status": 429, "retry_after_secs": 1} |
/// "commit_then_drop" | {"delay_ms": 500}}`. `method` is optional (any
/// method), `count` defaults to 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    pub path_prefix: String,
    #[serde(default = "one")]
    pub count: u32,
    pub action: FaultAction,
}

fn one() -> u32 {
    1
}

/// What a matching request gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ActionRepr", into = "ActionRepr")]
pub enum FaultAction {
    /// Answer this status without doing the request (429 also sends
    /// `Retry-After` when `retry_after_secs` is set).
    Status {
        status: u16,
        retry_after_secs: Option<u64>,
    },
    /// Do the request for real, then close the connection instead of answering.
    CommitThenDrop,
    /// Wait this long, then answer normally.
    Delay { ms: u64 },
}

/// The wire form of [`FaultAction`].
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum ActionRepr {
    Named(NamedAction),
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_secs: Option<u64>,
    },
    Delay {
        delay_ms: u64,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum NamedAction {
    CommitThenDrop,
}

impl From<ActionRepr> for FaultAction {
    fn from(repr: ActionRepr) -> Self {
        match repr {
            ActionRepr::Named(NamedAction::CommitThenDrop) => FaultAction::CommitThenDrop,
            ActionRepr::Status {
                status,
                retry_after_secs,
            } => FaultAction::Status {
                status,
                retry_after_secs,
            },
            ActionRepr::Delay { delay_ms } => FaultAction::Delay { ms: delay_ms },
        }
    }
}

impl From<FaultAction> for ActionRepr {
    fn from(action: FaultAction) -> Self {
        match action {
            FaultAction::CommitThenDrop => ActionRepr::Named(NamedAction::CommitThenDrop),
            FaultAction::Status {
                status,
                retry_after_secs,
            } => ActionRepr::Status {
                status,
                retry_after_secs,
            },
            FaultAction::Delay { ms } => ActionRepr::Delay { delay_ms: ms },
        }
    }
}

impl Fault {
    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.starts_with(&self.path_prefix)
    }
}

/// The faults waiting to fire, oldest first.
#[derive(Debug, Default)]
pub struct Faults {
    pending: Vec<Fault>,
}

impl Faults {
    pub fn push(&mut self, fault: Fault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// The action for this request, if a fault matches; uses up one of its count.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultAction> {
        let index = self.pending.iter().position(|f| f.matches(method, path))?;
        let fault = &mut self.pending[index];
        let action = fault.action.clone();
        fault.count -= 1;
        if fault.count == 0 {
            self.pending.remove(index);
        }
        Some(action)
    }
}

/// Random faults for soak tests: each `/api` request (but `/api/authinfo`) is
/// answered 503 with probability `status_503`, 429 with `status_429`, and a
/// create (a `POST /api/X` with an element that has no id) that got through is
/// committed and its answer dropped with probability `drop_creates`. The draws
/// come from a generator seeded with `seed`, so one sequence of requests meets
/// the same faults every time. Faults injected one by one fire first.
///
/// JSON form (in `POST /__config`): `{"seed": 7, "status_503": 0.05,
/// "status_429": 0.02, "drop_creates": 0.01}`; absent rates are 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRate {
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub status_503: f64,
    #[serde(default)]
    pub status_429: f64,
    #[serde(default)]
    pub drop_creates: f64,
}

impl FaultRate {
    /// Why the rates are unusable, if they are.
    pub fn check(&self) -> Result<(), String> {
        let rates = [
            ("status_503", self.status_503),
            ("status_429", self.status_429),
            ("drop_creates", self.drop_creates),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!(
                    "`{name}` must be a probability in 0..=1, not {rate}"
                ));
            }
        }
        if self.status_503 + self.status_429 > 1.0 {
            return Err("`status_503` and `status_429` together must not exceed 1".into());
        }
        Ok(())
    }
}

/// The random faults in force and their generator.
#[derive(Debug)]
pub struct RandomFaults {
    rate: Option<FaultRate>,
    rng: StdRng,
}

impl RandomFaults {
    pub fn new(rate: Option<FaultRate>) -> Self {
        RandomFaults {
            rng: StdRng::seed_from_u64(rate.map_or(0, |r| r.seed)),
            rate,
        }
    }

    /// Replaces the rates; the generator starts again from the new seed.
    pub fn set(&mut self, rate: Option<FaultRate>) {
        *self = RandomFaults::new(rate);
    }

    pub fn rate(&self) -> Option<FaultRate> {
        self.rate
    }

    /// The random fault for a request, if one is drawn.
    pub fn draw(&mut self, path: &str, is_create: bool) -> Option<FaultAction> {
        let rate = self.rate?;
        if !path.starts_with("/api/") || path.eq_ignore_ascii_case("/api/authinfo") {
            return None;
        }
        let roll: f64 = self.rng.random();
        if roll < rate.status_503 {
            return Some(FaultAction::Status {
                status: 503,
                retry_after_secs: None,
            });
        }
        if roll < rate.status_503 + rate.status_429 {
            return Some(FaultAction::Status {
                status: 429,
                retry_after_secs: None,
            });
        }
        if is_create && self.rng.random::<f64>() < rate.drop_creates {
            return Some(FaultAction::CommitThenDrop);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_forms() {
        let parse = |v| serde_json::from_value::<Fault>(v).map(|f| f.action).ok();
        assert_eq!(
            parse(json!({"path_prefix": "/api", "action": "commit_then_drop"})),
            Some(FaultAction::CommitThenDrop)
        );
        assert_eq!(
            parse(json!({"path_prefix": "/api", "action": {"status": 429, "retry_after_secs": 1}})),
            Some(FaultAction::Status {
                status: 429,
                retry_after_secs: Some(1)
            })
        );
        assert_eq!(
            parse(json!({"path_prefix": "/api", "action": {"delay_ms": 5}})),
            Some(FaultAction::Delay { ms: 5 })
        );
        let fault = Fault {
            method: None,
            path_prefix: "/api".into(),
            count: 2,
            action: FaultAction::Delay { ms: 3 },
        };
        let round = serde_json::to_value(&fault)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok());
        assert_eq!(round, Some(fault));
    }

    #[test]
    fn count_is_used_up() {
        let mut faults = Faults::default();
        faults.push(Fault {
            method: Some("post".into()),
            path_prefix: "/api/Team".into(),
            count: 2,
            action: FaultAction::CommitThenDrop,
        });
        assert_eq!(faults.take("GET", "/api/Team"), None);
        assert!(faults.take("POST", "/api/Team").is_some());
        assert!(faults.take("POST", "/api/Team/3").is_some());
        assert_eq!(faults.take("POST", "/api/Team"), None);
    }
}

#[cfg(test)]
mod random_tests {
    use super::*;

    fn draws(rate: FaultRate, n: usize, is_create: bool) -> Vec<Option<FaultAction>> {
        let mut faults = RandomFaults::new(Some(rate));
        (0..n)
            .map(|_| faults.draw("/api/Agent", is_create))
            .collect()
    }

    #[test]
    fn seeded_rates_repeat_and_roughly_hold() {
        let rate = FaultRate {
            seed: 42,
            status_503: 0.05,
            status_429: 0.02,
            drop_creates: 0.5,
        };
        let first = draws(rate, 4000, true);
        assert_eq!(
            first,
            draws(rate, 4000, true),
            "the same seed, the same faults"
        );
        let other = draws(FaultRate { seed: 43, ..rate }, 4000, true);
        assert_ne!(first, other, "another seed, other faults");
        let count = |want: &FaultAction| first.iter().filter(|f| f.as_ref() == Some(want)).count();
        let unavailable = count(&FaultAction::Status {
            status: 503,
            retry_after_secs: None,
        });
        let limited = count(&FaultAction::Status {
            status: 429,
            retry_after_secs: None,
        });
        let dropped = count(&FaultAction::CommitThenDrop);
        assert!((120..=280).contains(&unavailable), "503s: {unavailable}");
        assert!((40..=130).contains(&limited), "429s: {limited}");
        assert!((1600..=2100).contains(&dropped), "drops: {dropped}");
        let not_creates = draws(rate, 4000, false);
        assert!(!not_creates.contains(&Some(FaultAction::CommitThenDrop)));
    }

    #[test]
    fn rates_are_checked_and_control_paths_spared() {
        let bad = FaultRate {
            seed: 0,
            status_503: 0.7,
            status_429: 0.7,
            drop_creates: 0.0,
        };
        assert!(bad.check().is_err());
        assert!(FaultRate {
            status_503: -0.1,
            ..bad
        }
        .check()
        .is_err());
        let always = FaultRate {
            seed: 1,
            status_503: 1.0,
            status_429: 0.0,
            drop_creates: 0.0,
        };
        assert!(always.check().is_ok());
        let mut faults = RandomFaults::new(Some(always));
        assert_eq!(faults.draw("/api/authinfo", false), None);
        assert_eq!(faults.draw("/auth/token", false), None);
        assert!(faults.draw("/api/Team", false).is_some());
        faults.set(None);
        assert_eq!(faults.draw("/api/Team", false), None);
    }
}
