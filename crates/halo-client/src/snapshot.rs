//! Batch reads: the first read of a kind in a run fetches the kind's whole list
//! once, and later reads of that kind are answered from it. Refreshing a thousand
//! objects then costs a handful of requests instead of a thousand, which is what
//! Halo's hosted rate limit (300 requests per 5 minutes) makes matter.
//!
//! A write of a kind drops its snapshot, so nothing read after a write is stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::OnceCell;

/// The snapshot of one kind: objects keyed by their id as text.
pub type Snapshot = Arc<HashMap<String, Value>>;

type Cell = Arc<OnceCell<Snapshot>>;

/// Snapshots per (kind path, with details).
#[derive(Default)]
pub struct Snapshots {
    cells: Mutex<HashMap<(&'static str, bool), Cell>>,
}

impl Snapshots {
    /// The cell for a kind; the caller fills it once (single flight: concurrent
    /// readers wait for the one list request).
    pub fn cell(&self, path: &'static str, details: bool) -> Cell {
        let mut cells = match self.cells.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(cells.entry((path, details)).or_default())
    }

    /// Forgets every snapshot of a kind (after a write to it).
    pub fn invalidate(&self, path: &'static str) {
        let mut cells = match self.cells.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        cells.retain(|(p, _), _| *p != path);
    }
}

/// Keys a list answer by id (numbers and strings alike).
pub fn index(items: Vec<Value>) -> HashMap<String, Value> {
    items
        .into_iter()
        .filter_map(|item| {
            let id = match item.get("id")? {
                Value::Number(n) => n.to_string(),
                Value::String(s) if !s.is_empty() => s.clone(),
                _ => return None,
            };
            Some((id, item))
        })
        .collect()
}
