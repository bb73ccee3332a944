//! Test-side access to the generic families (`generic`): set-up and
//! out-of-band changes, as [`Sim::insert`] and [`Sim::patch`] give for typed kinds.

use serde_json::Value;

use crate::sync::lock;
use crate::Sim;

impl Sim {
    /// Stores an object of a generic family (`TicketType`, `SLA`, ... or
    /// `Control`) out of band, without validation; a missing id is assigned.
    /// Answers the stored object, `null` for an unknown family or a non-object.
    pub fn insert_generic(&self, family: &str, obj: Value) -> Value {
        let (Some((name, id_kind)), Value::Object(obj)) = (crate::generic::family(family), obj)
        else {
            return Value::Null;
        };
        Value::Object(lock(&self.shared.generic).insert_raw(name, id_kind, obj))
    }

    /// Merges `patch` into a stored object of a generic family out of band
    /// (for `Control`, into its one object). Answers whether it exists.
    pub fn patch_generic(&self, family: &str, id: &str, patch: Value) -> bool {
        let (Some((name, _)), Value::Object(patch)) = (crate::generic::family(family), patch)
        else {
            return false;
        };
        lock(&self.shared.generic).patch_raw(name, id, &patch)
    }

    /// The stored objects of a generic family (for `Control`, its one object).
    pub fn generic_objects(&self, family: &str) -> Vec<Value> {
        let Some((name, _)) = crate::generic::family(family) else {
            return Vec::new();
        };
        let store = lock(&self.shared.generic);
        if crate::generic::is_setting(name) && name == "Control" {
            return vec![store.control()];
        }
        store
            .list(name)
            .iter()
            .map(|o| Value::Object(o.clone()))
            .collect()
    }
}
