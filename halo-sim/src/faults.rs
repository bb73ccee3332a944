//! Injected faults: the next N requests matching a method and path prefix
//! get a chosen treatment instead of (or around) their normal answer.

use serde::{Deserialize, Serialize};

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
