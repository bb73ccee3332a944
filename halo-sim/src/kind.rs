//! The kinds of Halo objects the emulator knows, declared once each in
//! `kinds!`: the declaration makes the [`Kind`] enum, [`Kind::ALL`],
//! [`Kind::COUNT`], the table row of the kind's facts (API path, list key, id
//! style, name field, field types and defaults, references, detail lists, list
//! filters, generated and secret fields) and the plural names [`UnknownKind`]
//! lists. The store, the checks and the API read the facts from here; only
//! behaviour that is truly one kind's own (an agent's inherited rows, a role's
//! claims, an application's credentials) is code in those modules.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

/// How a kind's `id` is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdStyle {
    /// An integer from a per-kind counter.
    Counter,
    /// A string GUID.
    Guid,
    /// A string GUID, and an integer `id_int` from the per-kind counter.
    GuidAndCounter,
}

impl IdStyle {
    /// Whether `id` is a string GUID.
    pub(crate) fn is_guid(self) -> bool {
        !matches!(self, IdStyle::Counter)
    }
}

/// The JSON type of a modelled field (null is always allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    Str,
    Int,
    Bool,
    Array,
}

impl Type {
    /// Whether `value` has this type.
    pub(crate) fn accepts(self, value: &Value) -> bool {
        match self {
            Type::Str => value.is_string(),
            Type::Int => value.is_i64(),
            Type::Bool => value.is_boolean(),
            Type::Array => value.is_array(),
        }
    }

    /// The type as a refusal names it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Type::Str => "a string",
            Type::Int => "an integer",
            Type::Bool => "a boolean",
            Type::Array => "an array",
        }
    }
}

/// The value Halo gives a field a new object leaves out (a `const` stand-in
/// for a JSON value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Preset {
    Bool(bool),
    Int(i64),
    EmptyArray,
}

impl Preset {
    pub(crate) fn value(self) -> Value {
        match self {
            Preset::Bool(b) => Value::Bool(b),
            Preset::Int(i) => Value::from(i),
            Preset::EmptyArray => Value::Array(Vec::new()),
        }
    }
}

/// A field the emulator models: its JSON type and its default on create.
#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) ty: Type,
    pub(crate) default: Option<Preset>,
}

/// A field holding the id of another object, which must exist when the field
/// is written. `field` is a top-level field (`workday_id`) or a key of the rows
/// of an array field (`roles[].id`); the id is an integer or a string GUID as
/// the target kind's ids are.
#[derive(Debug)]
pub(crate) struct Reference {
    pub(crate) field: &'static str,
    pub(crate) target: Kind,
    /// Whether every saved object must hold the (top-level) field.
    pub(crate) required: bool,
}

impl Reference {
    /// The array field and the key of its rows, for a `rows[].key` reference.
    pub(crate) fn rows(&self) -> Option<(&'static str, &'static str)> {
        self.field.split_once("[].")
    }
}

/// A list answer leaves out objects whose `field` is true unless one of
/// `shown_by` is a true query flag (docs/halo-api.md, "Agents").
#[derive(Debug)]
pub(crate) struct HiddenUnless {
    pub(crate) field: &'static str,
    pub(crate) shown_by: &'static [&'static str],
}

/// The facts of one kind: a row of the table.
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
    /// The modelled fields, their types and defaults.
    fields: &'static [Field],
    /// The fields naming other objects.
    references: &'static [Reference],
    /// Lists only present with `includedetails=true`.
    details: &'static [&'static str],
    /// List filters: the query parameter and the integer field it must equal.
    filters: &'static [(&'static str, &'static str)],
    /// Objects a list leaves out unless asked for.
    hidden: &'static [HiddenUnless],
    /// Fields Halo makes, never taken from a `POST` body.
    generated: &'static [&'static str],
    /// Fields stored but always answered as null.
    secrets: &'static [&'static str],
    /// Whether `POST`/`DELETE` are allowed on the Halo API.
    writable: bool,
}

/// Declares every kind, one block each, in table order; see the module doc.
/// A field is `"name": Type` or `"name": Type = default` (`true`, `false`, an
/// integer or `[]`); a reference is `"field" -> Kind`, or
/// `"field" -> Kind required`.
macro_rules! kinds {
    (@preset) => { None };
    (@preset true) => { Some(Preset::Bool(true)) };
    (@preset false) => { Some(Preset::Bool(false)) };
    (@preset []) => { Some(Preset::EmptyArray) };
    (@preset $n:literal) => { Some(Preset::Int($n)) };
    (@required) => { false };
    (@required required) => { true };
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            path: $path:literal,
            plural: $plural:literal,
            list_key: $list_key:expr,
            id: $id:ident,
            name_field: $name:literal,
            fields: { $($field:literal : $ty:ident $(= $default:tt)?),* $(,)? },
            references: { $($rfield:literal -> $target:ident $($required:ident)?),* $(,)? },
            details: [$($detail:literal),* $(,)?],
            filters: { $($param:literal => $pfield:literal),* $(,)? },
            hidden: { $($hfield:literal unless [$($flag:literal),* $(,)?]),* $(,)? },
            generated: [$($generated:literal),* $(,)?],
            secrets: [$($secret:literal),* $(,)?],
            writable: $writable:literal $(,)?
        }
    ),* $(,)?) => {
        /// A kind of Halo object.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($(#[$doc])* $variant),*
        }

        impl Kind {
            /// Every kind, in table order.
            pub const ALL: [Kind; Kind::COUNT] = [$(Kind::$variant),*];
            /// How many kinds there are.
            pub const COUNT: usize = [$(Kind::$variant),*].len();
        }

        /// The table: one row per kind, in the order of [`Kind::ALL`].
        const TABLE: [KindInfo; Kind::COUNT] = [$(
            KindInfo {
                path: $path,
                plural: $plural,
                list_key: $list_key,
                id: IdStyle::$id,
                name_field: $name,
                fields: &[$(Field {
                    name: $field,
                    ty: Type::$ty,
                    default: kinds!(@preset $($default)?),
                }),*],
                references: &[$(Reference {
                    field: $rfield,
                    target: Kind::$target,
                    required: kinds!(@required $($required)?),
                }),*],
                details: &[$($detail),*],
                filters: &[$(($param, $pfield)),*],
                hidden: &[$(HiddenUnless { field: $hfield, shown_by: &[$($flag),*] }),*],
                generated: &[$($generated),*],
                secrets: &[$($secret),*],
                writable: $writable,
            }
        ),*];
    };
}

kinds! {
    /// A customer (`/api/Organisation`).
    Organisation {
        path: "Organisation",
        plural: "organisations",
        list_key: Some("organisations"),
        id: Counter,
        name_field: "name",
        fields: {
            "name": Str,
            "email": Str,
            "phone": Str,
            "website": Str,
            "reply_address": Str,
        },
        references: {},
        details: [],
        filters: {},
        hidden: {},
        generated: ["id"],
        secrets: [],
        writable: true,
    },
    /// A department, served at `/api/TopLevel`.
    Department {
        path: "TopLevel",
        plural: "departments",
        list_key: Some("tree"),
        id: Counter,
        name_field: "name",
        fields: { "name": Str, "organisation_id": Int, "notes": Str },
        references: { "organisation_id" -> Organisation required },
        details: [],
        filters: { "org_id" => "organisation_id" },
        hidden: {},
        generated: ["id"],
        secrets: [],
        writable: true,
    },
    /// A team of a department.
    Team {
        path: "Team",
        plural: "teams",
        list_key: None,
        id: Counter,
        name_field: "name",
        fields: { "name": Str, "department_id": Int, "inactive": Bool = false },
        references: { "department_id" -> Department required },
        details: [],
        filters: { "department_id" => "department_id" },
        hidden: { "inactive" unless ["includeinactive", "includedisabled"] },
        generated: ["id"],
        secrets: [],
        writable: true,
    },
    /// A work-hours profile.
    Workday {
        path: "Workday",
        plural: "workdays",
        list_key: None,
        id: Counter,
        name_field: "name",
        fields: {
            "name": Str,
            "timezone": Str,
            "incmonday": Bool,
            "inctuesday": Bool,
            "incwednesday": Bool,
            "incthursday": Bool,
            "incfriday": Bool,
            "incsaturday": Bool,
            "incsunday": Bool,
        },
        references: {},
        details: [],
        filters: {},
        hidden: {},
        generated: ["id"],
        secrets: [],
        writable: true,
    },
    /// An agent (a person or an API agent).
    Agent {
        path: "Agent",
        plural: "agents",
        list_key: Some("agents"),
        id: Counter,
        name_field: "name",
        fields: {
            "name": Str,
            "email": Str,
            "firstname": Str,
            "surname": Str,
            "isapiagent": Bool = false,
            "team": Str,
            "workday_id": Int,
            "isdisabled": Bool = false,
            "roles": Array = [],
            "departments": Array = [],
        },
        references: {
            "workday_id" -> Workday,
            "roles[].id" -> Role,
            "departments[].department_id" -> Department,
        },
        details: ["roles", "departments"],
        filters: {},
        hidden: {
            "isapiagent" unless ["includeapiagents"],
            "isdisabled" unless ["includedisabled"],
        },
        generated: ["id"],
        secrets: [],
        writable: true,
    },
    /// A role: claims and department memberships agents inherit.
    Role {
        path: "Roles",
        plural: "roles",
        list_key: None,
        id: GuidAndCounter,
        name_field: "name",
        fields: {
            "name": Str,
            "notes": Str,
            "claims": Array = [],
            "departments": Array = [],
        },
        references: { "departments[].department_id" -> Department },
        details: ["claims", "departments"],
        filters: {},
        hidden: {},
        generated: ["id", "id_int"],
        secrets: [],
        writable: true,
    },
    /// An API application (client id and secret, scopes, login agent).
    Application {
        path: "Application",
        plural: "applications",
        list_key: Some("applications"),
        id: Guid,
        name_field: "displayName",
        fields: {
            "displayName": Str,
            "grant_type": Str,
            "loginentity": Int = 0,
            "loginas_agent_id": Int,
            "scopes": Array = [],
            "inactive": Bool = false,
            "organisation_id": Int,
        },
        // `loginas_agent_id` names an agent only for client credentials: that
        // rule is code (`validate::check_application`).
        references: { "organisation_id" -> Organisation },
        details: ["scopes"],
        filters: {},
        hidden: {},
        generated: ["id", "clientId", "clientSecret"],
        secrets: [],
        writable: true,
    },
    /// A client (an integration's site record) of a department.
    Client {
        path: "Client",
        plural: "clients",
        list_key: Some("clients"),
        id: Counter,
        name_field: "name",
        fields: {
            "name": Str,
            "toplevel_id": Int,
            "inactive": Bool = false,
            "notes": Str,
            "allowed_organisations": Array,
            "all_organisations_allowed": Bool,
        },
        references: {
            "toplevel_id" -> Department,
            "allowed_organisations[].id" -> Organisation,
        },
        details: [],
        filters: { "toplevel_id" => "toplevel_id" },
        hidden: { "inactive" unless ["includeinactive"] },
        generated: ["id"],
        secrets: [],
        writable: true,
    },
    /// A webhook: a URL called on events. Its password and authentication
    /// header are stored but never shown again (docs/halo-api.md, "Webhook"
    /// \[assumed\]).
    Webhook {
        path: "Webhook",
        plural: "webhooks",
        list_key: None,
        id: Guid,
        name_field: "name",
        fields: {
            "name": Str,
            "url": Str,
            "method": Int,
            "content_type": Str,
            "authentication_type": Int,
            "basic_username": Str,
            "basic_password": Str,
            "authentication_header": Str,
            "active": Bool = true,
            "events": Array = [],
        },
        references: {},
        details: ["events"],
        filters: {},
        hidden: {},
        generated: ["id"],
        secrets: ["basic_password", "authentication_header"],
        writable: true,
    },
}

impl Kind {
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

    /// The singular name a refusal uses, e.g. `"role"`.
    pub(crate) fn noun(self) -> &'static str {
        let plural = self.plural();
        plural.strip_suffix('s').unwrap_or(plural)
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

    pub(crate) fn fields(self) -> &'static [Field] {
        self.info().fields
    }

    pub(crate) fn references(self) -> &'static [Reference] {
        self.info().references
    }

    pub(crate) fn detail_fields(self) -> &'static [&'static str] {
        self.info().details
    }

    pub(crate) fn filters(self) -> &'static [(&'static str, &'static str)] {
        self.info().filters
    }

    pub(crate) fn hidden(self) -> &'static [HiddenUnless] {
        self.info().hidden
    }

    pub(crate) fn generated_fields(self) -> &'static [&'static str] {
        self.info().generated
    }

    pub(crate) fn secret_fields(self) -> &'static [&'static str] {
        self.info().secrets
    }

    pub(crate) fn writable(self) -> bool {
        self.info().writable
    }

    /// The plural names of every kind, comma-separated.
    fn plurals() -> String {
        Kind::ALL.map(|k| k.plural()).join(", ")
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plural())
    }
}

/// The error for a string that names no kind.
#[derive(Debug, thiserror::Error)]
#[error("unknown kind `{0}` (expected one of {plurals})", plurals = Kind::plurals())]
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

    #[test]
    fn the_unknown_kind_error_lists_every_plural() {
        let message = UnknownKind("x".into()).to_string();
        assert_eq!(
            message,
            "unknown kind `x` (expected one of organisations, departments, teams, workdays, \
             agents, roles, applications, clients, webhooks)"
        );
    }

    /// The table's facts hold together: names, references, defaults and
    /// detail lists name modelled fields of the right type.
    #[test]
    fn every_row_names_modelled_fields() {
        for kind in Kind::ALL {
            let ty = |name: &str| kind.fields().iter().find(|f| f.name == name).map(|f| f.ty);
            assert_eq!(ty(kind.name_field()), Some(Type::Str), "{kind}");
            for field in kind.fields() {
                if let Some(preset) = field.default {
                    assert!(field.ty.accepts(&preset.value()), "{kind}.{}", field.name);
                }
            }
            for reference in kind.references() {
                match reference.rows() {
                    Some((rows, _)) => {
                        assert_eq!(ty(rows), Some(Type::Array), "{kind}.{}", reference.field);
                        assert!(!reference.required, "{kind}.{}", reference.field);
                    }
                    None => assert_eq!(ty(reference.field), Some(Type::Int), "{kind}"),
                }
            }
            for detail in kind.detail_fields() {
                assert_eq!(ty(detail), Some(Type::Array), "{kind}.{detail}");
            }
            for (_, field) in kind.filters() {
                assert_eq!(ty(field), Some(Type::Int), "{kind}.{field}");
            }
            for hidden in kind.hidden() {
                assert_eq!(
                    ty(hidden.field),
                    Some(Type::Bool),
                    "{kind}.{}",
                    hidden.field
                );
            }
            assert!(kind.generated_fields().contains(&"id"), "{kind}");
        }
    }
}
