//! The kinds of Halo objects the emulator knows, and the one table that maps
//! each kind to its API path, list key, id style and detail fields.

use std::fmt;
use std::str::FromStr;

/// A kind of Halo object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Organisation,
    Department,
    Team,
    Workday,
    Agent,
    Role,
    Application,
    Client,
    Webhook,
}

/// How a kind's `id` is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdStyle {
    /// An integer from a per-kind counter.
    Counter,
    /// A string GUID.
    Guid,
}

struct KindInfo {
    /// The path segment after `/api/`.
    path: &'static str,
    /// The name used by `/__state` and `/__objects/{kind}`.
    plural: &'static str,
    /// The key holding the list when `GET /api/X` answers a wrapped object.
    list_key: Option<&'static str>,
    id: IdStyle,
    /// The field holding the object's name.
    name_field: &'static str,
    /// Lists only present with `includedetails=true`.
    details: &'static [&'static str],
    /// Whether `POST`/`DELETE` are allowed on the Halo API.
    writable: bool,
}

/// The table: one row per kind, in the order of [`Kind::ALL`].
const TABLE: [KindInfo; Kind::COUNT] = [
    KindInfo {
        path: "Organisation",
        plural: "organisations",
        list_key: Some("organisations"),
        id: IdStyle::Counter,
        name_field: "name",
        details: &[],
        writable: true,
    },
    KindInfo {
        path: "TopLevel",
        plural: "departments",
        list_key: Some("tree"),
        id: IdStyle::Counter,
        name_field: "name",
        details: &[],
        writable: true,
    },
    KindInfo {
        path: "Team",
        plural: "teams",
        list_key: None,
        id: IdStyle::Counter,
        name_field: "name",
        details: &[],
        writable: true,
    },
    KindInfo {
        path: "Workday",
        plural: "workdays",
        list_key: None,
        id: IdStyle::Counter,
        name_field: "name",
        details: &[],
        writable: true,
    },
    KindInfo {
        path: "Agent",
        plural: "agents",
        list_key: Some("agents"),
        id: IdStyle::Counter,
        name_field: "name",
        details: &["roles", "departments"],
        writable: true,
    },
    KindInfo {
        path: "Roles",
        plural: "roles",
        list_key: None,
        id: IdStyle::Guid,
        name_field: "name",
        details: &["claims", "departments"],
        writable: true,
    },
    KindInfo {
        path: "Application",
        plural: "applications",
        list_key: Some("applications"),
        id: IdStyle::Guid,
        name_field: "displayName",
        details: &["scopes"],
        writable: true,
    },
    KindInfo {
        path: "Client",
        plural: "clients",
        list_key: Some("clients"),
        id: IdStyle::Counter,
        name_field: "name",
        details: &[],
        writable: true,
    },
    KindInfo {
        path: "Webhook",
        plural: "webhooks",
        list_key: None,
        id: IdStyle::Guid,
        name_field: "name",
        details: &["events"],
        writable: true,
    },
];

impl Kind {
    /// Every kind, in table order.
    /// How many kinds there are.
    pub const COUNT: usize = 9;

    pub const ALL: [Kind; Kind::COUNT] = [
        Kind::Organisation,
        Kind::Department,
        Kind::Team,
        Kind::Workday,
        Kind::Agent,
        Kind::Role,
        Kind::Application,
        Kind::Client,
        Kind::Webhook,
    ];

    fn info(self) -> &'static KindInfo {
        &TABLE[self.index()]
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The plural name used by `/__state` and `/__objects/{kind}`, e.g. `"organisations"`.
    pub fn plural(&self) -> &'static str {
        self.info().plural
    }

    /// The Halo API path segment, e.g. `"TopLevel"` for departments.
    pub fn api_path(&self) -> &'static str {
        self.info().path
    }

    /// The key of the wrapped list answer, or `None` when the list is a bare array.
    pub fn list_key(&self) -> Option<&'static str> {
        self.info().list_key
    }

    /// The kind served at `/api/{segment}` (case-insensitive, like Halo).
    pub(crate) fn from_api_path(segment: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.info().path.eq_ignore_ascii_case(segment))
    }

    pub(crate) fn id_style(self) -> IdStyle {
        self.info().id
    }

    pub(crate) fn name_field(self) -> &'static str {
        self.info().name_field
    }

    pub(crate) fn detail_fields(self) -> &'static [&'static str] {
        self.info().details
    }

    pub(crate) fn writable(self) -> bool {
        self.info().writable
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plural())
    }
}

/// The error for a string that names no kind.
#[derive(Debug, thiserror::Error)]
#[error("unknown kind `{0}` (expected one of organisations, departments, teams, workdays, agents, roles, applications, clients, webhooks)")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    /// Parses a plural name such as `"agents"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.plural() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum() {
        for kind in Kind::ALL {
            assert_eq!(kind.plural().parse::<Kind>().ok(), Some(kind));
            assert_eq!(Kind::from_api_path(kind.api_path()), Some(kind));
        }
        assert_eq!(Kind::from_api_path("toplevel"), Some(Kind::Department));
    }
}
