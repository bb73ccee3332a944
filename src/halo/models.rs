//! Halo objects, with Halo's exact field names (see `halo/CONTRACT.md`).
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
    /// Key of the array when a list answer is an object (`"organisations"`).
    const LIST_KEY: &'static str;
    /// Human name for messages (`"organisation"`).
    const KIND: &'static str;
    /// Query used when the client lists every object itself (to find an
    /// object whose create had an unknown outcome).
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

/// `/api/Organisation` (schema `Organisation`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Organisation {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub id: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub email: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub phone: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub website: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub reply_address: Option<String>,
}

/// `/api/TopLevel` (schema `Tree`): a department.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Department {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub id: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub organisation_id: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub notes: Option<String>,
}

/// `/api/Team` (schema `SectionDetail`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Team {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub id: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub department_id: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub inactive: Option<bool>,
}

/// `/api/Workday` (schema `Workdays`): work hours. Read-only for the provider.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Workday {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub id: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub timezone: Option<String>,
}

/// A role held by an agent: `{"id": ROLE_GUID}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct RoleRef {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: String,
}

/// A department membership (schema `UnameDepartment`), for agents and roles.
/// `membershiplevel`: 0 = modify all, 1 = read only (assumed encoding).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct DepartmentMembership {
    #[serde(default, deserialize_with = "lenient::int")]
    pub department_id: i64,
    #[serde(default, deserialize_with = "lenient::int")]
    pub membershiplevel: i64,
}

/// `/api/Agent` (schema `Uname`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Agent {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub id: Option<i64>,
    /// The username.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub email: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub firstname: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub surname: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub isapiagent: Option<bool>,
    /// The default team's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub team: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub workday_id: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub isdisabled: Option<bool>,
    /// The agent's whole role set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<RoleRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departments: Option<Vec<DepartmentMembership>>,
}

/// A role permission: `{"type": "access:tickets", "value": "read"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Claim {
    #[serde(rename = "type", default, deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub value: String,
}

/// `/api/Roles` (schema `NHD_Roles`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Role {
    /// The role's GUID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub id_int: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<Claim>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departments: Option<Vec<DepartmentMembership>>,
}

/// A scope of an API application: `{"name": "read:tickets"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Scope {
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: String,
}

/// `/api/Application` (schema `NHD_Identity_Application`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Application {
    /// The application's GUID.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub id: Option<String>,
    #[serde(
        rename = "displayName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub display_name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub grant_type: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub loginentity: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_i64"
    )]
    pub loginas_agent_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_bool"
    )]
    pub inactive: Option<bool>,
    #[serde(
        rename = "clientId",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub client_id: Option<String>,
    /// Only in the create answer; `null` afterwards.
    #[serde(
        rename = "clientSecret",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_secret"
    )]
    pub client_secret: Option<Secret>,
}

fn non_empty(id: &Option<String>) -> Option<String> {
    id.as_ref().filter(|s| !s.trim().is_empty()).cloned()
}

impl HaloObject for Organisation {
    const PATH: &'static str = "Organisation";
    const LIST_KEY: &'static str = "organisations";
    const KIND: &'static str = "organisation";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Department {
    const PATH: &'static str = "TopLevel";
    const LIST_KEY: &'static str = "tree";
    const KIND: &'static str = "department";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Team {
    const PATH: &'static str = "Team";
    const LIST_KEY: &'static str = "teams";
    const KIND: &'static str = "team";
    /// `/api/Team` documents `includeenabled` and `includedisabled` ("Include
    /// disabled Teams in the response") [spec]: both, so inactive teams are listed
    /// too (read, looked up, and found after a create with an unknown outcome).
    const LIST_ALL_QUERY: &'static [(&'static str, &'static str)] =
        &[("includeenabled", "true"), ("includedisabled", "true")];
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Workday {
    const PATH: &'static str = "Workday";
    const LIST_KEY: &'static str = "workdays";
    const KIND: &'static str = "work hours";
    type Id = i64;
    fn id(&self) -> Option<i64> {
        self.id
    }
}

impl HaloObject for Agent {
    const PATH: &'static str = "Agent";
    const LIST_KEY: &'static str = "agents";
    const KIND: &'static str = "agent";
    /// API-only agents are listed only with `includeapiagents=true`; disabled ones
    /// are asked for with `includeenabled` and `includedisabled` [spec].
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
    const LIST_KEY: &'static str = "roles";
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
    const LIST_KEY: &'static str = "applications";
    const KIND: &'static str = "API application";
    type Id = String;
    fn id(&self) -> Option<String> {
        non_empty(&self.id)
    }
    fn has_details(&self) -> bool {
        self.scopes.is_some()
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

    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        value_to_i64(&Value::deserialize(d)?).map_err(D::Error::custom)
    }

    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        Ok(opt_i64(d)?.unwrap_or_default())
    }

    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        value_to_bool(&Value::deserialize(d)?).map_err(D::Error::custom)
    }

    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        value_to_string(Value::deserialize(d)?).map_err(D::Error::custom)
    }

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(opt_string(d)?.unwrap_or_default())
    }

    pub fn opt_secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(opt_string(d)?.map(Secret::new))
    }
}
