//! Halo objects, with Halo's exact field names (see `docs/halo-api.md`).
//!
//! Every field is optional and skipped when `None`, so a POST carries only
//! what the provider manages (fields absent from a POST keep their value in
//! Halo). Reading is lenient: numbers or booleans sent as strings are
//! accepted, unknown fields are ignored, a `null` list is `None`.

use std::fmt::{Debug, Display};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::config::Secret;

/// Ties a model to its Halo endpoint.
pub trait HaloObject: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Path below `/api`: `"Organisation"` is `/api/Organisation`.
    const PATH: &'static str;
    /// Human name for messages (`"organisation"`).
    const KIND: &'static str;
    /// The include flags that make a list hold every object of the kind, the
    /// hidden ones too (disabled, API-only, inactive): sent by every listing the
    /// client makes for itself (snapshots, `list_all`, `search`, the look-up
    /// after a create with an unknown outcome). Callers of `list` add it.
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] = &[];
    /// The id type: `i64`, or `String` for GUID ids.
    type Id: Display + Debug + Clone + PartialEq + Send + Sync + 'static;
    /// The object's id; `None` for an object not yet created.
    fn id(&self) -> Option<Self::Id>;
    /// Whether the detail lists (`?includedetails=true`) are present. Kinds
    /// without detail lists always have them.
    fn has_details(&self) -> bool {
        true
    }
}

/// Declares a Halo model: every field is an `Option`, absent from a POST when
/// `None`, and read leniently ([`lenient::Lenient`]). Field attributes (docs,
/// `#[serde(rename = ..)]`) pass through.
macro_rules! halo_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                #[serde(
                    default,
                    skip_serializing_if = "Option::is_none",
                    deserialize_with = "lenient::opt"
                )]
                pub $field: Option<$ty>,
            )*
        }
    };
}

halo_model! {
    /// `/api/Organisation` (schema `Organisation`).
    pub struct Organisation {
        id: i64,
        name: String,
        email: String,
        phone: String,
        website: String,
        reply_address: String,
    }
}

halo_model! {
    /// `/api/TopLevel` (schema `Tree`): a department.
    pub struct Department {
        id: i64,
        name: String,
        organisation_id: i64,
        notes: String,
    }
}

halo_model! {
    /// `/api/Team` (schema `SectionDetail`).
    pub struct Team {
        id: i64,
        name: String,
        department_id: i64,
        inactive: bool,
    }
}

halo_model! {
    /// `/api/Workday` (schema `Workdays`): work hours, and which days of the
    /// week they include (`incmonday` ... `incsunday`).
    pub struct Workday {
        id: i64,
        name: String,
        timezone: String,
        incmonday: bool,
        inctuesday: bool,
        incwednesday: bool,
        incthursday: bool,
        incfriday: bool,
        incsaturday: bool,
        incsunday: bool,
    }
}

/// An organisation a customer is allowed to (`allowed_organisations`, schema
/// `Organisation`): only its id is sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct OrganisationRef {
    #[serde(default, deserialize_with = "lenient::int")]
    pub id: i64,
}

halo_model! {
    /// `/api/Client` (schema `Area`): a customer.
    pub struct Client {
        id: i64,
        name: String,
        /// The department ("top level") the customer sits in.
        toplevel_id: i64,
        inactive: bool,
        notes: String,
        /// The organisations the customer is configured for (`AREAORGANISATION`).
        allowed_organisations: Vec<OrganisationRef>,
        all_organisations_allowed: bool,
    }
}

/// A role held by an agent: `{"id": ROLE_GUID}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct RoleRef {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: String,
}

/// A department membership (schema `UnameDepartment`), for agents and roles.
/// `membershiplevel`: 0 = modify all, 1 = read only (assumed encoding; any other
/// value is kept as read). `role_id` names a role: in a role's own list, that role
/// itself; in an agent's list, the role the row is inherited from (docs/halo-api.md,
/// "Department memberships"): not the agent's own, never to be written back. Every other field Halo sends is kept in `extra` and written back
/// as read, so a read-modify-write of a membership list leaves the rows it does
/// not change exactly as they were (a `null` `role_id` is written back absent).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DepartmentMembership {
    #[serde(default, deserialize_with = "lenient::int")]
    pub department_id: i64,
    #[serde(default, deserialize_with = "lenient::int")]
    pub membershiplevel: i64,
    /// The role this row comes from, when it is inherited.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub role_id: Option<String>,
    /// Every other field of the row, as Halo sent it.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl DepartmentMembership {
    /// An own (not inherited) membership with nothing else in it.
    pub fn new(department_id: i64, membershiplevel: i64) -> Self {
        DepartmentMembership {
            department_id,
            membershiplevel,
            ..Default::default()
        }
    }
}

halo_model! {
    /// `/api/Agent` (schema `Uname`).
    pub struct Agent {
        id: i64,
        /// The username.
        name: String,
        email: String,
        firstname: String,
        surname: String,
        isapiagent: bool,
        /// The default team's name.
        team: String,
        workday_id: i64,
        isdisabled: bool,
        /// The agent's whole role set.
        roles: Vec<RoleRef>,
        /// Own rows and, in answers, rows inherited from roles (those with a
        /// `role_id`).
        departments: Vec<DepartmentMembership>,
    }
}

/// A role claim: `{"type": "Tx", "value": "2"}`. Type and value
/// are Halo's raw text: the client knows no table of them, so any claim reads
/// and writes back as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Claim {
    #[serde(rename = "type", default, deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub value: String,
}

halo_model! {
    /// `/api/Roles` (schema `NHD_Roles`).
    pub struct Role {
        /// The role's GUID.
        id: String,
        id_int: i64,
        name: String,
        notes: String,
        claims: Vec<Claim>,
        departments: Vec<DepartmentMembership>,
    }
}

/// A scope of an API application: `{"name": "read:tickets"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Scope {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
}

halo_model! {
    /// `/api/Application` (schema `NHD_Identity_Application`). `grant_type` and
    /// `loginentity` are Halo's raw values: any value reads and writes back as it is.
    pub struct Application {
        /// The application's GUID.
        id: String,
        #[serde(rename = "displayName")]
        display_name: String,
        grant_type: String,
        loginentity: i64,
        loginas_agent_id: i64,
        scopes: Vec<Scope>,
        inactive: bool,
        /// Restricts the application to one organisation.
        organisation_id: i64,
        #[serde(rename = "clientId")]
        client_id: String,
        /// Only in the create answer; `null` afterwards.
        #[serde(rename = "clientSecret")]
        client_secret: Secret,
    }
}

/// An event a webhook is subscribed to: an element of `events` (schema
/// `UnameNotification`). Which event it is is held in `eventno` \[assumed\]
/// (docs/halo-api.md, "Webhook"). Every other field Halo sends is kept in
/// `extra` and written back as read, so changing a webhook's events leaves the
/// rows it keeps exactly as they were.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WebhookEvent {
    #[serde(default, deserialize_with = "lenient::int")]
    pub eventno: i64,
    /// Every other field of the row, as Halo sent it.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

halo_model! {
    /// `/api/Webhook` (schema `Webhook`): an outgoing webhook. `method` and
    /// `authentication_type` are Halo's raw ints: any value reads and writes back
    /// as it is (the provider's words for them are in `src/resources/webhook.rs`).
    pub struct Webhook {
        /// The webhook's GUID.
        id: String,
        name: String,
        url: String,
        method: i64,
        content_type: String,
        authentication_type: i64,
        basic_username: String,
        /// Sent, never shown back \[assumed\].
        basic_password: Secret,
        authentication_header: Secret,
        active: bool,
        events: Vec<WebhookEvent>,
    }
}

fn non_empty(id: &Option<String>) -> Option<String> {
    id.as_ref().filter(|s| !s.trim().is_empty()).cloned()
}

impl HaloObject for Organisation {
    const PATH: &'static str = "Organisation";
    const KIND: &'static str = "organisation";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Department {
    const PATH: &'static str = "TopLevel";
    const KIND: &'static str = "department";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Team {
    const PATH: &'static str = "Team";
    const KIND: &'static str = "team";
    /// `/api/Team` documents `includeenabled` and `includedisabled` ("Include
    /// disabled Teams in the response") \[spec\]; `includeinactive` is sent as well
    /// \[assumed\] (docs/halo-api.md, "Pages").
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] = &[
        ("includeenabled", "true"),
        ("includedisabled", "true"),
        ("includeinactive", "true"),
    ];
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Workday {
    const PATH: &'static str = "Workday";
    const KIND: &'static str = "work hours";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Client {
    const PATH: &'static str = "Client";
    const KIND: &'static str = "client";
    /// `/api/Client` documents `includeactive` and `includeinactive`, and
    /// `includenotes` ("Include client notes in the response"), without which a
    /// listed client would read as having no notes \[spec\].
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] = &[
        ("includeactive", "true"),
        ("includeinactive", "true"),
        ("includenotes", "true"),
    ];
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Agent {
    const PATH: &'static str = "Agent";
    const KIND: &'static str = "agent";
    /// API-only agents are listed only with `includeapiagents=true`; disabled ones
    /// are asked for with `includeenabled` and `includedisabled` \[spec\].
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] = &[
        ("includeapiagents", "true"),
        ("includeenabled", "true"),
        ("includedisabled", "true"),
    ];
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn has_details(&self) -> bool {
        self.roles.is_some() && self.departments.is_some()
    }
}

impl HaloObject for Role {
    const PATH: &'static str = "Roles";
    const KIND: &'static str = "role";
    type Id = String;
    fn id(&self) -> Option<String> {
        non_empty(&self.id)
    }
    fn has_details(&self) -> bool {
        self.claims.is_some() && self.departments.is_some()
    }
}

impl HaloObject for Application {
    const PATH: &'static str = "Application";
    const KIND: &'static str = "API application";
    type Id = String;
    fn id(&self) -> Option<String> {
        non_empty(&self.id)
    }
    fn has_details(&self) -> bool {
        self.scopes.is_some()
    }
}

impl HaloObject for Webhook {
    const PATH: &'static str = "Webhook";
    const KIND: &'static str = "webhook";
    type Id = String;
    fn id(&self) -> Option<String> {
        non_empty(&self.id)
    }
    fn has_details(&self) -> bool {
        self.events.is_some()
    }
}

/// Tolerant deserializers: Halo (and proxies in front of it) sometimes send
/// numbers or booleans as strings.
pub(crate) mod lenient {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    use super::Secret;

    fn value_to_i64(v: &Value) -> Result<Option<i64>, String> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Ok(Some(i))
                } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                {
                    // Integral and well inside i64's range, so the cast is exact.
                    Ok(Some(f as i64))
                } else {
                    Err(format!("expected an integer, found {n}"))
                }
            }
            Value::String(s) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                if let Ok(i) = t.parse::<i64>() {
                    return Ok(Some(i));
                }
                value_to_i64(&Value::Number(
                    t.parse::<serde_json::Number>()
                        .map_err(|_| format!("expected an integer, found {s:?}"))?,
                ))
            }
            Value::Bool(b) => Ok(Some(i64::from(*b))),
            other => Err(format!("expected an integer, found {other}")),
        }
    }

    fn value_to_bool(v: &Value) -> Result<Option<bool>, String> {
        match v {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(*b)),
            Value::Number(n) => match n.as_f64() {
                Some(f) => Ok(Some(f != 0.0)),
                None => Err(format!("expected a boolean, found {n}")),
            },
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" | "1" | "yes" | "y" => Ok(Some(true)),
                "false" | "0" | "no" | "n" => Ok(Some(false)),
                _ => Err(format!("expected a boolean, found {s:?}")),
            },
            other => Err(format!("expected a boolean, found {other}")),
        }
    }

    fn value_to_string(v: Value) -> Result<Option<String>, String> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            other => Err(format!("expected a string, found {other}")),
        }
    }

    /// A type a model field holds, read from whatever JSON Halo sends for it.
    pub trait Lenient: Sized {
        fn from_json(v: Value) -> Result<Option<Self>, String>;
    }

    impl Lenient for i64 {
        fn from_json(v: Value) -> Result<Option<Self>, String> {
            value_to_i64(&v)
        }
    }

    impl Lenient for bool {
        fn from_json(v: Value) -> Result<Option<Self>, String> {
            value_to_bool(&v)
        }
    }

    impl Lenient for String {
        fn from_json(v: Value) -> Result<Option<Self>, String> {
            value_to_string(v)
        }
    }

    impl Lenient for Secret {
        fn from_json(v: Value) -> Result<Option<Self>, String> {
            Ok(value_to_string(v)?.map(Secret::new))
        }
    }

    /// Lists: `null` is `None`; the elements are read by their own rules.
    impl<T: serde::de::DeserializeOwned> Lenient for Vec<T> {
        fn from_json(v: Value) -> Result<Option<Self>, String> {
            match v {
                Value::Null => Ok(None),
                v => serde_json::from_value(v)
                    .map(Some)
                    .map_err(|e| e.to_string()),
            }
        }
    }

    /// The deserializer of every model field.
    pub fn opt<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
        T::from_json(Value::deserialize(d)?).map_err(D::Error::custom)
    }

    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        Ok(opt::<D, i64>(d)?.unwrap_or_default())
    }

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(opt::<D, String>(d)?.unwrap_or_default())
    }
}
