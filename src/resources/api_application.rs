//! `halopsa_api_application`: an API application (Configuration > Integrations >
//! HaloPSA API > View Applications), with its client id and secret.
//!
//! The client secret is in Halo's create answer only (every later read answers
//! `null`), so it is kept from the state; after an import it is null.

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::halo_values::{halo_id, one_of_or_halo, HALO_PREFIX};
use super::object::{write_fields, ObjectResource, Write};
use super::support::{int_id, non_empty, write_error_on, NameFilter, WriteField};
use crate::framework::{
    ApplyError, AttrPath, Diagnostic, Diagnostics, Planned, Semantic, Validator, Value,
};
use crate::halo::{Application, HaloClient, HaloError, Organisation, Scope, Secret};

pub struct ApiApplicationResource;

/// `authentication_method` for "Client ID and Secret (Services)": Halo's `grant_type`
/// of the same name, logging in as the agent in `loginas_agent_id`.
const CLIENT_CREDENTIALS: &str = "client_credentials";
/// `authentication_method` for "Authorization Code".
const AUTHORIZATION_CODE: &str = "authorization_code";
pub(crate) const METHODS: &[&str] = &[CLIENT_CREDENTIALS, AUTHORIZATION_CODE];
/// Halo's `loginentity` for an application that logs in as an agent.
pub(crate) const LOGIN_AS_AGENT: i64 = 0;

/// The scope Halo's screen shows as "All: Teams" (docs/halo-api.md, "The \"All:
/// Teams\" permission"): an application restricted to an organisation should not
/// hold it.
const ALL_TEAMS: &str = "all:teams";

/// Halo's scope names (docs/halo-api.md): the only values `permissions` accepts.
pub const SCOPES: &[&str] = &[
    "all",
    "all:standard",
    "admin",
    ALL_TEAMS,
    "read:tickets",
    "edit:tickets",
    "read:calendar",
    "edit:calendar",
    "read:customers",
    "edit:customers",
    "read:crm",
    "edit:crm",
    "read:timesheets",
    "edit:timesheets",
    "read:contracts",
    "edit:contracts",
    "read:suppliers",
    "edit:suppliers",
    "read:items",
    "edit:items",
    "read:projects",
    "edit:projects",
    "read:sales",
    "edit:sales",
    "read:quotes",
    "edit:quotes",
    "read:sos",
    "edit:sos",
    "read:pos",
    "edit:pos",
    "read:invoices",
    "edit:invoices",
    "read:reporting",
    "edit:reporting",
    "read:software",
    "edit:software",
    "read:softwarelicensing",
    "edit:softwarelicensing",
    "read:kb",
    "edit:kb",
    "read:assets",
    "edit:assets",
    "editMine:timesheets",
    "access:chat",
    "access:adpasswordreset",
    // Seen in public clients and a vendor's required-permissions page \[seen\].
    "admin:webhooks",
    "read:distributionlists",
    "edit:distributionlists",
];

/// Halo fields a refused write may name, and the attributes they come from.
const WRITE_FIELDS: &[WriteField] = &[
    ("loginas_agent_id", ApiApplicationModel::login_as_agent_id),
    ("scopes", ApiApplicationModel::permissions),
    ("displayName", ApiApplicationModel::name),
    ("grant_type", ApiApplicationModel::authentication_method),
    ("inactive", ApiApplicationModel::active),
];

crate::model! {
    /// The state. `Debug` prints the secret as `***` (it is a [`Secret`]).
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct ApiApplicationModel {
        id: Option<String> = computed()
            .use_state_for_unknown()
            .semantic_equality(Semantic::IgnoreCase)
            .description("The application's Halo id (a GUID)."),
        name: String = required()
            .validate(Validator::length(1, 255))
            .description("The application's name (1 to 255 characters)."),
        authentication_method: String = optional_computed()
            .default(Value::string(CLIENT_CREDENTIALS))
            .validate(one_of_or_halo(METHODS))
            .description(
                "How the application authenticates: `client_credentials` (\"Client ID and \
                 Secret (Services)\", logging in as the agent `login_as_agent_id`; the \
                 default) or `authorization_code` (\"Authorization Code\"). Another \
                 method Halo holds reads as `halo:GRANT_TYPE` and is kept as it is.",
            ),
        login_as_agent_id: Option<String> = optional_computed()
            .references("halopsa_agent")
            .validate(halo_id())
            .description(
                "The Halo id of the agent the application acts as (e.g. \
                 `halopsa_agent.x.id`). Required when `authentication_method` is \
                 `client_credentials`.",
            ),
        permissions: Option<BTreeSet<String>> = optional()
            // Some answers leave the scopes out; Halo's empty list is "none".
            .keep_prior_when_absent()
            .semantic_equality(Semantic::EmptyIsNull)
            .validate(Validator::EachOneOf(SCOPES))
            .description(
                "The Halo scopes the application may use, e.g. `read:tickets`, \
                 `edit:customers`, `all`. Unset and empty both mean none.",
            ),
        active: bool = optional_computed()
            .default(Value::Bool(true))
            .description("Whether the application may be used (default true)."),
        organisation_id: Option<String> = optional_computed()
            .references("halopsa_organisation")
            .use_state_for_unknown()
            .validate(halo_id())
            .description(
                "The id of the one organisation the application is restricted to (e.g. \
                 `halopsa_organisation.example.id`; Halo's guide \"API Applications with \
                 Organisation access\"). Can be changed in place. Left out, Halo's value is \
                 kept and read back: removing it from the configuration does not lift a \
                 restriction.",
            ),
        client_id: Option<String> = computed()
            .use_state_for_unknown()
            .description("The OAuth client id Halo generated for the application."),
        client_secret: Option<Secret> = computed()
            .sensitive()
            .use_state_for_unknown()
            // Halo shows it in the create's answer only.
            .keep_prior_when_absent()
            .description(
                "The OAuth client secret Halo generated for the application. Halo shows \
                 it once, when the application is created; it is null for an imported \
                 application. Null when `client_secret_wo` is set.",
            ),
        client_secret_wo: Option<Secret> = optional()
            .sensitive()
            .write_only()
            .validate(Validator::length(1, 255))
            .description(
                "A client secret you supply instead of Halo's (e.g. an ephemeral \
                 `random_password`): sent to Halo as the application's secret and never \
                 stored in plan or state. Write-only: requires Terraform 1.11+. Halo gets \
                 it on create and whenever `client_secret_wo_version` changes; \
                 `client_secret` is then null.",
            ),
        client_secret_wo_version: Option<i64> = optional()
            // Halo does not hold it: it is the configuration's own.
            .keep_prior_when_absent()
            .description(
                "Any number; change it to send `client_secret_wo` to Halo again (an \
                 in-place update that rotates the secret). Terraform cannot see a change \
                 of a write-only value itself.",
            ),
    }
}

/// `authentication_method` for Halo's `grant_type`: the provider's word, or
/// `halo:GRANT_TYPE` for a method it has no word for (kept unchanged on import).
fn method_from_halo(grant_type: Option<String>) -> String {
    match non_empty(grant_type) {
        None => CLIENT_CREDENTIALS.to_string(),
        Some(g) if METHODS.contains(&g.as_str()) => g,
        Some(g) => format!("{HALO_PREFIX}{g}"),
    }
}

impl ApiApplicationModel {
    /// The state for Halo's answer, read as it is: a client secret or scope list
    /// Halo left out is null (the attributes keep the known ones, and an empty
    /// scope list reads as unset unless an empty set was configured).
    fn from_halo(a: Application) -> Self {
        let permissions = a
            .scopes
            .map(|scopes| scopes.into_iter().map(|s| s.name).collect());
        ApiApplicationModel {
            client_secret_wo: None,
            client_secret_wo_version: None,
            id: a.id,
            name: a.display_name.unwrap_or_default(),
            authentication_method: method_from_halo(a.grant_type),
            login_as_agent_id: a.loginas_agent_id.filter(|i| *i > 0).map(|i| i.to_string()),
            permissions,
            active: !a.inactive.unwrap_or(false),
            organisation_id: a.organisation_id.filter(|i| *i > 0).map(|i| i.to_string()),
            client_id: non_empty(a.client_id),
            client_secret: a.client_secret.filter(|s| !s.is_empty()),
        }
    }

    /// The Halo object for a create (`id: None`) or an update. An unset
    /// `permissions` is sent as an empty scope list on update, so that it removes
    /// them.
    fn to_halo(&self, id: Option<String>) -> Result<Application, Diagnostic> {
        let method = self.authentication_method.clone();
        let grant_type = method
            .strip_prefix(HALO_PREFIX)
            .map_or_else(|| method.clone(), |raw| raw.trim().to_string());
        let clear = id.is_some();
        let agent = match &self.login_as_agent_id {
            Some(raw) => Some(int_id(Some(raw), ApiApplicationModel::login_as_agent_id)?),
            None => None,
        };
        let scopes = match &self.permissions {
            Some(names) => Some(names.iter().map(|n| Scope { name: n.clone() }).collect()),
            None if clear => Some(Vec::new()),
            None => None,
        };
        Ok(Application {
            id,
            display_name: Some(self.name.clone()),
            loginentity: (method == CLIENT_CREDENTIALS).then_some(LOGIN_AS_AGENT),
            grant_type: Some(grant_type),
            loginas_agent_id: agent,
            scopes,
            inactive: Some(!self.active),
            organisation_id: organisation_id(self)?,
            client_id: None,
            client_secret: None,
        })
    }
}

/// `organisation_id` as Halo's int; `None` when it is not configured (Halo's
/// value is kept).
fn organisation_id(model: &ApiApplicationModel) -> Result<Option<i64>, Diagnostic> {
    model
        .organisation_id
        .as_deref()
        .map(|o| int_id(Some(o), ApiApplicationModel::organisation_id))
        .transpose()
}

/// The guide "API Applications with Organisation access": an application
/// restricted to an organisation must not hold the "All: Teams" permission, the
/// scope `all:teams` (docs/halo-api.md), or it sees beyond that organisation. A
/// warning on `permissions` when the configuration has both.
fn warn_all_teams(config: &Value, diags: &mut Diagnostics) {
    if config.attr(ApiApplicationModel::organisation_id).is_null() {
        return;
    }
    let holds = match config.attr(ApiApplicationModel::permissions) {
        Value::Set(items) | Value::List(items) => {
            items.iter().any(|v| v.as_str() == Some(ALL_TEAMS))
        }
        _ => false,
    };
    if holds {
        diags.push(
            Diagnostic::warning(
                "Organisation-restricted application with \"All: Teams\"",
                format!(
                    "This application is restricted to one organisation (organisation_id) \
                     but holds the scope {ALL_TEAMS:?}, Halo's \"All: Teams\" permission. \
                     Halo's guide \"API Applications with Organisation access\" says an \
                     organisation-scoped application must not have it: remove \
                     {ALL_TEAMS:?} from permissions."
                ),
            )
            .at(AttrPath::root(ApiApplicationModel::permissions)),
        );
    }
}

#[async_trait]
impl ObjectResource for ApiApplicationResource {
    const TYPE_NAME: &'static str = "halopsa_api_application";
    const DESCRIPTION: &'static str =
        "An API application (Configuration > Integrations > HaloPSA API > View \
         Applications): the client id and secret a program uses to call the Halo API, \
         and what it may do. The client secret is known only to the apply that creates \
         the application; it is stored (sensitive) in the Terraform state, and is null \
         after an import.";
    /// Every API application, with its scopes.
    const DETAILS: bool = true;
    const WRITE_FIELDS: &'static [WriteField] = WRITE_FIELDS;
    type Model = ApiApplicationModel;
    type Filter = NameFilter;
    type Object = Application;

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        warn_all_teams(config, diags);
        let method = config.attr(ApiApplicationModel::authentication_method);
        let agent = config.attr(ApiApplicationModel::login_as_agent_id);
        if method.is_unknown() || agent.is_unknown() {
            return;
        }
        let services = match method.as_str() {
            None => method.is_null(),
            Some(m) => m == CLIENT_CREDENTIALS,
        };
        let version = config.attr(ApiApplicationModel::client_secret_wo_version);
        if !version.is_null() && config.attr(ApiApplicationModel::client_secret_wo).is_null() {
            diags.attribute_error(
                AttrPath::root(ApiApplicationModel::client_secret_wo_version),
                "client_secret_wo_version without client_secret_wo",
                "client_secret_wo_version says when to send client_secret_wo to Halo again; \
                 set client_secret_wo too, or leave the version unset.",
            );
        }
        if services && agent.is_null() {
            diags.attribute_error(
                AttrPath::root(ApiApplicationModel::login_as_agent_id),
                "Missing login_as_agent_id",
                "login_as_agent_id is required when authentication_method is \
                 \"client_credentials\" (the default): the application acts as that agent. \
                 Set it to the agent's Halo id, e.g. halopsa_agent.x.id.",
            );
        }
    }

    /// With `client_secret_wo` configured, `client_secret` is null: Halo holds the
    /// supplied secret, which is never stored.
    fn modify_plan(&self, _prior: &Value, config: &Value, plan: &mut Planned) {
        if !config.attr(ApiApplicationModel::client_secret_wo).is_null() && !plan.state.is_null() {
            plan.state.set_attr(ApiApplicationModel::client_secret, Value::Null);
        }
    }

    fn from_halo(a: Application) -> ApiApplicationModel {
        ApiApplicationModel::from_halo(a)
    }

    /// The supplied secret (`client_secret_wo`) goes to Halo with a create, and
    /// with an update when its version changes (a rotation).
    async fn to_halo(
        &self,
        _halo: &HaloClient,
        plan: &ApiApplicationModel,
        write: &Write<'_, ApiApplicationModel, String>,
    ) -> Result<Application, Diagnostics> {
        let mut sent = plan.to_halo(write.id())?;
        let rotated = write
            .prior()
            .is_none_or(|prior| prior.client_secret_wo_version != plan.client_secret_wo_version);
        if rotated {
            sent.client_secret = plan.client_secret_wo.clone();
        }
        Ok(sent)
    }

    fn same(sent: &Application, found: &Application) -> bool {
        sent.display_name == found.display_name
    }

    /// On the attribute Halo's message names, or on `organisation_id` when the
    /// organisation does not exist; else Halo's own message.
    async fn refused(&self, halo: &HaloClient, err: &HaloError, sent: &Application) -> Diagnostic {
        let id = sent.organisation_id;
        write_error_on::<Organisation>(halo, err, &write_fields::<Self>(), ApiApplicationModel::organisation_id, id).await
    }

    /// The client secret is in the create's answer only (an update keeps the
    /// planned one: the attribute keeps the known value). With a supplied secret
    /// (`client_secret_wo`) Halo's echo of it is never stored.
    async fn saved(
        &self,
        _halo: &HaloClient,
        saved: Application,
        plan: &ApiApplicationModel,
        write: &Write<'_, ApiApplicationModel, String>,
    ) -> Result<ApiApplicationModel, ApplyError<ApiApplicationModel>> {
        let supplied = plan.client_secret_wo.is_some();
        if write.prior().is_none()
            && !supplied
            && saved.client_secret.as_ref().is_none_or(Secret::is_empty)
        {
            tracing::warn!(
                resource = Self::TYPE_NAME,
                "Halo's answer to the create carried no client secret; client_secret \
                 stays null"
            );
        }
        let mut model = ApiApplicationModel::from_halo(saved);
        if supplied {
            model.client_secret = None;
        }
        Ok(model)
    }

    /// The client secret is never listed (null, as after an import).
    fn listed(model: ApiApplicationModel) -> ApiApplicationModel {
        ApiApplicationModel {
            client_secret: None,
            ..model
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contract_scope_is_in_the_table_once() {
        let areas = [
            "tickets",
            "calendar",
            "customers",
            "crm",
            "timesheets",
            "contracts",
            "suppliers",
            "items",
            "projects",
            "sales",
            "quotes",
            "sos",
            "pos",
            "invoices",
            "reporting",
            "software",
            "softwarelicensing",
            "kb",
            "assets",
        ];
        for area in areas {
            assert!(SCOPES.contains(&format!("read:{area}").as_str()), "{area}");
            assert!(SCOPES.contains(&format!("edit:{area}").as_str()), "{area}");
        }
        let mut sorted = SCOPES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), SCOPES.len());
        for seen in [
            "admin:webhooks",
            "read:distributionlists",
            "edit:distributionlists",
        ] {
            assert!(SCOPES.contains(&seen), "{seen}");
        }
        assert_eq!(SCOPES.len(), 7 + 3 + 2 * areas.len());
    }

    #[test]
    fn scopes_and_the_secret_read_as_halo_answers_them() {
        let app = Application {
            id: Some("g".into()),
            display_name: Some("n".into()),
            scopes: Some(Vec::new()),
            client_secret: Some(Secret::new("s3cr3t")),
            ..Application::default()
        };
        let read = ApiApplicationModel::from_halo(app);
        assert_eq!(read.permissions, Some(BTreeSet::new()));
        assert_eq!(
            read.client_secret.as_ref().map(Secret::expose),
            Some("s3cr3t")
        );
        assert!(!format!("{read:?}").contains("s3cr3t"));
        let bare = ApiApplicationModel::from_halo(Application::default());
        assert_eq!((bare.permissions, bare.client_secret), (None, None));
    }

    #[test]
    fn the_attributes_halo_leaves_out_declare_that_they_are_kept() {
        let attrs = <ApiApplicationModel as crate::framework::Model>::attributes();
        let kept: Vec<_> = attrs
            .iter()
            .filter(|(_, a)| a.keep_prior_when_absent)
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(
            kept,
            ["permissions", "client_secret", "client_secret_wo_version"]
        );
    }
}
