//! The provider block (docs/index.md) and the list of resource and data
//! source types the provider serves.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::framework::{
    AnyDataSource, AnyResource, AttrPath, Diagnostic, Diagnostics, Model, Schema, Validator, Value,
};
use crate::halo::{default_budget_dir, ClientConfig, HaloClient, RateLimit, Secret};
use crate::resources;
use crate::server::{ProviderDefinition, ProviderService};

/// The provider's type name: resources are `halopsa_*`.
pub const TYPE_NAME: &str = "halopsa";

/// What the provider is, for `terraform providers schema` and the docs.
const DESCRIPTION: &str =
    "The HaloPSA provider manages the objects an integration needs in a Halo instance \
         (HaloPSA, HaloITSM, HaloServiceDesk): organisations, departments, teams, agents, roles, \
         department memberships and API applications. It authenticates with the client \
         credentials of a Halo API application. Every setting can come from an environment \
         variable; a value in the provider block wins.";

pub fn schema() -> Schema {
    Schema::of::<ProviderConfig>(DESCRIPTION)
}

crate::model! {
    /// The provider block as configured (null attributes `None`). `Default` is a
    /// block left empty: everything from the environment.
    #[derive(Debug, Default)]
    pub struct ProviderConfig {
        url: Option<String> = optional()
            .description("The instance URL, e.g. `https://acme.halopsa.com`. Plain `http://` is accepted only \
             for loopback addresses. Environment variable: `HALOPSA_URL`. Required one way or the other."),
        client_id: Option<String> = optional()
            .description("Client ID of the Halo API application the provider signs in with (authentication \
             method \"Client ID and Secret (Services)\"). Environment variable: `HALOPSA_CLIENT_ID`. Required."),
        client_secret: Option<Secret> = optional().sensitive()
            .description("Client secret of that API application. Environment variable: `HALOPSA_CLIENT_SECRET`. Required."),
        tenant: Option<String> = optional()
            .description("Tenant name of a hosted Halo instance, sent with the token request. Environment \
             variable: `HALOPSA_TENANT`."),
        auth_url: Option<String> = optional()
            .description("The authorisation server. By default it is discovered from `/api/authinfo`, else \
             `{url}/auth`. Environment variable: `HALOPSA_AUTH_URL`."),
        scope: Option<String> = optional().validate(Validator::length(1, 1000))
            .description("The OAuth scope requested for the token. Default `all`. Environment variable: `HALOPSA_SCOPE`."),
        request_timeout_seconds: Option<i64> = optional().validate(Validator::AtLeast(1))
            .description("Timeout of one HTTP request to Halo, in seconds. Default 30. Environment variable: \
             `HALOPSA_REQUEST_TIMEOUT_SECONDS`."),
        max_retries: Option<i64> = optional().validate(Validator::AtLeast(0))
            .description("How often a request that failed with 429, 502, 503, 504, a timeout or a connection \
             error is tried again, with exponential backoff. Default 5. Environment variable: \
             `HALOPSA_MAX_RETRIES`."),
        rate_limit_requests: Option<i64> = optional().validate(Validator::AtLeast(1))
            .description("Client-side rate limit: at most this many requests per `rate_limit_window_seconds`, \
             shared by all operations of a run. Default 300 (Halo's hosted limit). Environment \
             variable: `HALOPSA_RATE_LIMIT_REQUESTS`."),
        rate_limit_window_seconds: Option<i64> = optional().validate(Validator::AtLeast(1))
            .description("The rolling window of the client-side rate limit, in seconds. Default 300. \
             Environment variable: `HALOPSA_RATE_LIMIT_WINDOW_SECONDS`."),
        batch_creates: Option<bool> = optional()
            .description("Whether creates of one kind that Terraform runs at the same time go to Halo as one \
             array request (fewer requests against Halo's rate limit). Each object is still matched to its \
             resource, and a batch Halo refuses is sent again one object at a time so that the error names \
             the resource. Default true. Environment variable: `HALOPSA_BATCH_CREATES`."),
    }
}

/// Reads one setting: the attribute if set, else its environment variable.
fn setting(value: Option<String>, env: &str) -> Option<String> {
    value
        .or_else(|| std::env::var(env).ok())
        .filter(|v| !v.trim().is_empty())
}

fn number_setting<T: std::str::FromStr + TryFrom<i64>>(
    value: Option<i64>,
    attr: &str,
    env: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    if let Some(v) = value {
        // The schema's validators keep these at least 0 or 1.
        return T::try_from(v).ok().or_else(|| {
            diags.attribute_error(
                AttrPath::root(attr),
                format!("Invalid {attr}"),
                format!("{attr} = {v} is out of range."),
            );
            None
        });
    }
    let raw = std::env::var(env).ok().filter(|v| !v.trim().is_empty())?;
    match raw.trim().parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            diags.attribute_error(
                AttrPath::root(attr),
                format!("Invalid {env}"),
                format!("{env} must be a whole number for {attr}, got {raw:?}."),
            );
            None
        }
    }
}

fn bool_setting(
    value: Option<bool>,
    attr: &str,
    env: &str,
    diags: &mut Diagnostics,
) -> Option<bool> {
    if value.is_some() {
        return value;
    }
    let raw = std::env::var(env).ok().filter(|v| !v.trim().is_empty())?;
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => {
            diags.attribute_error(
                AttrPath::root(attr),
                format!("Invalid {env}"),
                format!("{env} must be true or false for {attr}, got {raw:?}."),
            );
            None
        }
    }
}

fn missing(attr: &str, env: &str, what: &str) -> Diagnostic {
    Diagnostic::attribute_error(
        AttrPath::root(attr),
        format!("Missing {attr}"),
        format!(
            "The provider needs {what}. Set `{attr}` in the provider block or the environment variable {env}."
        ),
    )
}

fn parse_url(raw: &str, attr: &str, env: &str) -> Result<url::Url, Diagnostic> {
    let url = url::Url::parse(raw.trim()).map_err(|e| {
        Diagnostic::attribute_error(
            AttrPath::root(attr),
            format!("Invalid {attr}"),
            format!("{raw:?} (from {attr} or {env}) is not a URL: {e}."),
        )
    })?;
    crate::halo::check_url(&url).map_err(|e| {
        Diagnostic::attribute_error(
            AttrPath::root(attr),
            format!("Invalid {attr}"),
            format!("{e} (from {attr} or {env})."),
        )
    })?;
    Ok(url)
}

impl ProviderConfig {
    /// Builds the Halo client configuration, naming the attribute and its
    /// environment variable for anything missing or malformed.
    pub fn client_config(self) -> Result<ClientConfig, Diagnostics> {
        let mut diags = Diagnostics::new();
        let url = match setting(self.url, "HALOPSA_URL") {
            Some(raw) => parse_url(&raw, Self::url, "HALOPSA_URL")
                .map_err(|d| diags.push(d))
                .ok(),
            None => {
                diags.push(missing(
                    Self::url,
                    "HALOPSA_URL",
                    "the Halo instance URL (e.g. https://acme.halopsa.com)",
                ));
                None
            }
        };
        let client_id = setting(self.client_id, "HALOPSA_CLIENT_ID");
        if client_id.is_none() {
            diags.push(missing(
                Self::client_id,
                "HALOPSA_CLIENT_ID",
                "the client ID of a Halo API application",
            ));
        }
        let secret = self
            .client_secret
            .filter(|s| !s.expose().trim().is_empty())
            .or_else(|| setting(None, "HALOPSA_CLIENT_SECRET").map(Secret::new));
        if secret.is_none() {
            diags.push(missing(
                Self::client_secret,
                "HALOPSA_CLIENT_SECRET",
                "the client secret of that API application",
            ));
        }
        let auth_url = setting(self.auth_url, "HALOPSA_AUTH_URL").and_then(|raw| {
            parse_url(&raw, Self::auth_url, "HALOPSA_AUTH_URL")
                .map_err(|d| diags.push(d))
                .ok()
        });
        let tenant = setting(self.tenant, "HALOPSA_TENANT");
        let scope = setting(self.scope, "HALOPSA_SCOPE");
        let timeout: Option<u64> = number_setting(
            self.request_timeout_seconds,
            Self::request_timeout_seconds,
            "HALOPSA_REQUEST_TIMEOUT_SECONDS",
            &mut diags,
        );
        let retries: Option<u32> = number_setting(
            self.max_retries,
            Self::max_retries,
            "HALOPSA_MAX_RETRIES",
            &mut diags,
        );
        let limit: Option<u32> = number_setting(
            self.rate_limit_requests,
            Self::rate_limit_requests,
            "HALOPSA_RATE_LIMIT_REQUESTS",
            &mut diags,
        );
        let window: Option<u64> = number_setting(
            self.rate_limit_window_seconds,
            Self::rate_limit_window_seconds,
            "HALOPSA_RATE_LIMIT_WINDOW_SECONDS",
            &mut diags,
        );
        let batch_creates = bool_setting(
            self.batch_creates,
            Self::batch_creates,
            "HALOPSA_BATCH_CREATES",
            &mut diags,
        );
        let (Some(url), Some(client_id), Some(secret)) = (url, client_id, secret) else {
            return Err(diags);
        };
        if diags.has_errors() {
            return Err(diags);
        }
        let mut config = ClientConfig::new(url, client_id, secret);
        config.tenant = tenant;
        config.auth_url = auth_url;
        if let Some(scope) = scope {
            config.scope = scope;
        }
        if let Some(t) = timeout {
            config.timeout = Duration::from_secs(t.max(1));
        }
        if let Some(r) = retries {
            config.max_retries = r;
        }
        let default = RateLimit::default();
        config.rate_limit = RateLimit {
            requests: limit.unwrap_or(default.requests).max(1),
            per: window.map_or(default.per, |w| Duration::from_secs(w.max(1))),
        };
        if let Some(batch) = batch_creates {
            config.batch_creates = batch;
        }
        // How long a batch gathers creates: a tuning knob (no attribute), for
        // machines where Terraform starts parallel creates further apart.
        if let Some(ms) = std::env::var("HALOPSA_BATCH_WINDOW_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            config.batch_window = Duration::from_millis(ms.clamp(1, 1000));
        }
        // One request budget per instance and client id for every provider
        // process on the machine (crates/halo-client/src/ratelimit.rs).
        config.budget_dir = Some(default_budget_dir());
        if let Err(e) = config.validate() {
            return Err(Diagnostic::error("Invalid provider configuration", e).into());
        }
        Ok(config)
    }
}

/// Builds the Halo client for a configured provider block.
pub fn configure(config: ProviderConfig) -> Result<HaloClient, Diagnostics> {
    let client_config = config.client_config()?;
    HaloClient::new(client_config)
        .map_err(|e| Diagnostic::error("Could not set up the Halo client", e.to_string()).into())
}

/// Every managed resource type.
pub fn resources() -> Vec<Box<dyn AnyResource<HaloClient>>> {
    resources::all()
}

/// Every data source type.
pub fn data_sources() -> Vec<Box<dyn AnyDataSource<HaloClient>>> {
    resources::data_sources()
}

/// Every ephemeral resource type.
pub fn ephemeral_resources() -> Vec<Box<dyn crate::framework::AnyEphemeral<HaloClient>>> {
    crate::ephemeral::all()
}

/// Every provider function.
pub fn functions() -> Vec<crate::framework::Function> {
    crate::functions::all()
}

/// The provider as the tfplugin6 server serves it (`main` hands it to
/// [`ProviderService::new`](crate::server::ProviderService::new)).
#[derive(Debug, Clone, Copy, Default)]
pub struct Halopsa;

impl ProviderDefinition for Halopsa {
    type Client = HaloClient;

    fn name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn configure(&self, config: &Value) -> Result<HaloClient, Diagnostics> {
        configure(<ProviderConfig as Model>::from_value(config)?)
    }

    fn configuration_hint(&self) -> &'static str {
        "Set url, client_id and client_secret to known values."
    }

    fn bind(&self, client: &HaloClient, stop: CancellationToken) -> HaloClient {
        client.with_cancel(stop)
    }

    fn resources(&self) -> Vec<Box<dyn AnyResource<HaloClient>>> {
        resources()
    }

    fn data_sources(&self) -> Vec<Box<dyn AnyDataSource<HaloClient>>> {
        data_sources()
    }

    fn ephemeral_resources(&self) -> Vec<Box<dyn crate::framework::AnyEphemeral<HaloClient>>> {
        ephemeral_resources()
    }

    fn functions(&self) -> Vec<crate::framework::Function> {
        functions()
    }
}

/// The tfplugin6 service of this provider.
pub fn service() -> ProviderService<Halopsa> {
    ProviderService::new(Halopsa)
}
