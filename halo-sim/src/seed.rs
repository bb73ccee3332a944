//! The objects a fresh Halo instance starts with.

use serde_json::{json, Value};

use crate::generic::GenericStore;
use crate::kind::Kind;
use crate::object::Object;
use crate::store::Store;

fn object(value: Value) -> Object {
    match value {
        Value::Object(map) => map,
        _ => Object::new(),
    }
}

/// Adds the seed objects: one organisation with a department and two
/// teams, two work-hour profiles and a human `admin` agent.
pub fn seed(store: &mut Store) {
    let org = store.insert_raw(
        Kind::Organisation,
        object(json!({
            "name": "Main Organisation",
            "email": "",
            "phone": "",
            "website": "",
            "reply_address": ""
        })),
    );
    let department = store.insert_raw(
        Kind::Department,
        object(json!({"name": "Service Desk", "organisation_id": org["id"], "notes": ""})),
    );
    for team in ["1st Line Support", "2nd Line Support"] {
        store.insert_raw(
            Kind::Team,
            object(json!({"name": team, "department_id": department["id"], "inactive": false})),
        );
    }
    let standard = store.insert_raw(
        Kind::Workday,
        object(json!({"name": "Standard Hours", "timezone": "GMT Standard Time"})),
    );
    store.insert_raw(
        Kind::Workday,
        object(json!({"name": "24/7 Support", "timezone": "GMT Standard Time"})),
    );
    store.insert_raw(
        Kind::Agent,
        object(json!({
            "name": "admin",
            "email": "admin@example.com",
            "firstname": "Admin",
            "surname": "",
            "isapiagent": false,
            "team": "1st Line Support",
            "workday_id": standard["id"],
            "isdisabled": false,
            "roles": [],
            "departments": [{"department_id": department["id"], "membershiplevel": 0}]
        })),
    );
}

/// The ticket statuses a new Halo comes with, by their fixed ids: `1` is the
/// status of a ticket just logged (a create's answer holds `status_id: 1`) and
/// `9` is Closed (public report-writer SQL filters closed tickets with
/// `Status = 9`, and open ones with `status not in (8,9)`); 2 "In Progress" and 8
/// "Pending Closure" are assumed from Halo's screens and API flags
/// (`excludepending`) (docs/halo-api.md, "Statuses, actions and categories").
pub(crate) const BUILT_IN_STATUSES: [(i64, &str); 4] = [
    (1, "New"),
    (2, "In Progress"),
    (8, "Pending Closure"),
    (9, "Closed"),
];

/// Adds the built-in statuses to the generic families' store.
pub fn seed_generic(store: &mut GenericStore) {
    for (sequence, (id, name)) in (1..).zip(BUILT_IN_STATUSES) {
        store.insert_raw(
            "Status",
            halo_catalog::IdKind::Int,
            object(json!({"id": id, "name": name, "shortname": name, "sequence": sequence})),
        );
    }
}
