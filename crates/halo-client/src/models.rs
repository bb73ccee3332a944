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

halo_model! {
    /// `/api/Status` (schema `TStatus`): a ticket status. `type` and `slaaction`
    /// are Halo's raw values: any value reads and writes back as it is (the
    /// provider's words for them are in `src/resources/status.rs`).
    pub struct Status {
        id: i64,
        name: String,
        /// The "icon text" Halo shows on the ticket list.
        shortname: String,
        #[serde(rename = "type")]
        kind: i64,
        sequence: i64,
        colour: String,
        slaaction: String,
    }
}

halo_model! {
    /// `/api/Outcome` (schema `TOutcome`): an action (a button agents press on a
    /// ticket). Its name is `outcome`.
    pub struct Outcome {
        id: i64,
        outcome: String,
        buttonname: String,
        colour: String,
        sequence: i64,
        hidden: bool,
        /// The status a ticket moves to (a `TStatus` id); 0 or absent: none.
        newstatus: i64,
        slaholdischecked: bool,
        slareleaseischecked: bool,
    }
}

halo_model! {
    /// `/api/Category` (schema `CategoryDetail`): one entry of a ticket category
    /// tree. `value` is its whole path (`Hardware>Laptop`), `type_id` which of a
    /// ticket's four category fields it belongs to (docs/halo-api.md).
    pub struct Category {
        id: i64,
        value: String,
        type_id: i64,
    }
}

/// A priority of an SLA: an element of `priorities` (schema `Policy`), Halo's
/// row for one priority level of one SLA. Its `id` is the row's GUID;
/// `priorityid` is the number a ticket carries, unique within its SLA only
/// (docs/halo-api.md, "SLA"). `responseunits` and `fixunits` are Halo's raw text
/// (the provider's words for them are in `src/resources/sla.rs`). Every other
/// field Halo sends is kept in `extra` and written back as read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SlaPriority {
    /// The row's GUID; `None` for a row not yet saved.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub priorityid: i64,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub responsetime: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub responseunits: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub fixtime: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub fixunits: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub colour: Option<String>,
    /// Every other field of the row, as Halo sent it.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

halo_model! {
    /// `/api/SLA` (schema `SlaHead`): a service level agreement and its priorities
    /// (`priorities`, answered with `includedetails=true`).
    pub struct Sla {
        id: i64,
        name: String,
        workday_id: i64,
        priorities: Vec<SlaPriority>,
    }
}

/// A row of a detail list that points at another object by one integer field
/// (`key`), with every other field Halo sends kept in `extra` and written back as
/// read: a ticket type's `allowed_status` (schema `RequestTypeStatus`,
/// `status_id`), `allowed_teams` (`SectionRequestType`, `section_id`) and a field
/// group's `fields` (`RequestTypeField`, `fieldid`).
macro_rules! keyed_row {
    ($(#[$meta:meta])* $name:ident, $key:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        pub struct $name {
            #[serde(default, deserialize_with = "lenient::int")]
            pub $key: i64,
            /// Every other field of the row, as Halo sent it.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}

keyed_row!(
    /// A status a ticket type allows (schema `RequestTypeStatus`).
    AllowedStatus,
    status_id
);
keyed_row!(
    /// A team a ticket type allows (schema `SectionRequestType`; Halo calls teams
    /// sections).
    AllowedTeam,
    section_id
);
keyed_row!(
    /// A custom field in a field group (schema `RequestTypeField`).
    GroupField,
    fieldid
);

/// A row of a ticket type's `fields` (schema `RequestTypeField`): a custom field
/// (`fieldid`) or a field group (`groupid`) on the ticket type's form. Only
/// `groupid` is read; every other field is kept in `extra` and written back as
/// read, and a row without `groupid` goes back without one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TicketTypeField {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub groupid: Option<i64>,
    /// Every other field of the row, as Halo sent it.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

halo_model! {
    /// `/api/TicketType` (schema `RequestType`): a ticket type. `allowed_status`,
    /// `allowed_teams` and `fields` are answered with `includedetails=true`.
    pub struct TicketType {
        id: i64,
        name: String,
        group_id: i64,
        default_sla: i64,
        default_priority: i64,
        agentscanselect: bool,
        enduserscanselect: bool,
        allowall_status: bool,
        allowed_status: Vec<AllowedStatus>,
        allowall_team: bool,
        allowed_teams: Vec<AllowedTeam>,
        fields: Vec<TicketTypeField>,
    }
}

/// A choice of a selection custom field: an element of `values` (schema
/// `Lookup`): its id and text; every other field is kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldChoice {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt"
    )]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
    /// Every other field of the row, as Halo sent it.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

halo_model! {
    /// `/api/FieldInfo` (schema `FieldInfo`): a custom field. `type` and
    /// `inputtype` are Halo's raw ints (the provider's words for them are in
    /// `src/resources/custom_field.rs`); `values` are a selection field's choices.
    pub struct CustomField {
        id: i64,
        name: String,
        label: String,
        #[serde(rename = "type")]
        field_type: i64,
        inputtype: i64,
        values: Vec<FieldChoice>,
    }
}

halo_model! {
    /// `/api/FieldGroup` (schema `FieldGroup`): a named group of custom fields
    /// (`fields`, answered with `includedetails=true`).
    pub struct FieldGroup {
        id: i64,
        name: String,
        fields: Vec<GroupField>,
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

impl HaloObject for Status {
    const PATH: &'static str = "Status";
    const KIND: &'static str = "status";
    /// `showall` is documented without a description \[spec\]; it is taken to
    /// list every status \[assumed\].
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] = &[("showall", "true")];
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Outcome {
    const PATH: &'static str = "Outcome";
    const KIND: &'static str = "outcome";
    /// `/api/Outcome` documents `showhidden` \[spec\]: hidden actions are taken to
    /// be left out without it \[assumed\].
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] = &[("showhidden", "true")];
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Category {
    const PATH: &'static str = "Category";
    const KIND: &'static str = "category";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Sla {
    const PATH: &'static str = "SLA";
    const KIND: &'static str = "SLA";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn has_details(&self) -> bool {
        self.priorities.is_some()
    }
}

impl HaloObject for TicketType {
    const PATH: &'static str = "TicketType";
    const KIND: &'static str = "ticket type";
    /// `/api/TicketType` documents `showinactive` and `showall` \[spec\].
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] =
        &[("showall", "true"), ("showinactive", "true")];
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn has_details(&self) -> bool {
        self.allowed_status.is_some() && self.allowed_teams.is_some()
    }
}

impl HaloObject for CustomField {
    const PATH: &'static str = "FieldInfo";
    const KIND: &'static str = "custom field";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn has_details(&self) -> bool {
        self.values.is_some()
    }
}

impl HaloObject for FieldGroup {
    const PATH: &'static str = "FieldGroup";
    const KIND: &'static str = "field group";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn has_details(&self) -> bool {
        self.fields.is_some()
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

    impl Lenient for f64 {
        fn from_json(v: Value) -> Result<Option<Self>, String> {
            match &v {
                Value::Null => Ok(None),
                Value::Number(n) => n
                    .as_f64()
                    .map(Some)
                    .ok_or_else(|| format!("expected a number, found {n}")),
                Value::String(s) if s.trim().is_empty() => Ok(None),
                Value::String(s) => s
                    .trim()
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| format!("expected a number, found {s:?}")),
                other => Err(format!("expected a number, found {other}")),
            }
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
