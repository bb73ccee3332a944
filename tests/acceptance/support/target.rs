//! Where a target-neutral test runs: [`Target`] is either halo-sim in-process or a
//! live Halo instance (or a halo-sim started on its own, as if it were remote) known
//! only by its URL and credentials.
//!
//! A test written against a `Target` observes Halo through its REST API only
//! ([`Api`]: the token request and `GET /api/...`), never through halo-sim's control
//! endpoints, journal or state dump, so the same code runs on both. It names every
//! object it creates with [`Target::name`] (the run prefix `tfacc-<run id>-`), and it
//! asks [`Target::sim_only`] before anything that needs fault injection or request
//! counting, which is skipped, with a message, on a live target.
//!
//! A live target is configured by the `HALOPSA_*` variables users already set
//! ([`LiveConfig::from_env`]) and refuses to exist unless `HALOPSA_LIVE_CONFIRM`
//! equals the instance's host name: [`LiveConfig::from_env`] checks it before any
//! request is sent.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{hcl_string, path_string, provider_bin, terraform_bin, write, Workdir};
use super::{Sim, SimOptions, PROVIDER_SOURCE};

/// A live instance's settings, from the environment.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    pub url: String,
    /// The URL's host name, which `HALOPSA_LIVE_CONFIRM` had to equal.
    pub host: String,
    pub client_id: String,
    pub client_secret: String,
    pub tenant: Option<String>,
    /// `HALOPSA_LIVE_DEPARTMENT_ID`: an existing department the run may hang teams,
    /// clients and memberships on (it is only referred to, never changed).
    pub department_id: Option<String>,
    /// `HALOPSA_LIVE_RUN_ID`, else made from the clock and the process id.
    pub run_id: String,
    /// `HALOPSA_LIVE_REPORT`, else `halopsa-live-report.json` in the current
    /// directory.
    pub report_path: PathBuf,
    /// `HALOPSA_LIVE_ONLY`: a comma-separated list of case names to run.
    pub only: Option<Vec<String>>,
    /// `HALOPSA_LIVE_PACE_MS`: the least time between two requests of the test's
    /// own API observer (default 5000 ms: with the provider's budget set to 240
    /// requests per 300 s, the whole run stays under Halo's hosted 300 per 300 s).
    pub pace: Duration,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl LiveConfig {
    /// Reads the settings and checks the confirmation. Sends nothing: an `Err`
    /// means the run must not start.
    pub fn from_env() -> Result<LiveConfig, String> {
        let required = |name: &str| {
            var(name).ok_or_else(|| format!("{name} is not set: the live run needs the instance's URL and an API application's credentials (HALOPSA_URL, HALOPSA_CLIENT_ID, HALOPSA_CLIENT_SECRET)"))
        };
        let url = required("HALOPSA_URL")?;
        let client_id = required("HALOPSA_CLIENT_ID")?;
        let client_secret = required("HALOPSA_CLIENT_SECRET")?;
        let host = confirmed_host(&url, var("HALOPSA_LIVE_CONFIRM").as_deref())?;
        let run_id = match var("HALOPSA_LIVE_RUN_ID") {
            Some(id) => {
                if !id.chars().all(|c| c.is_ascii_alphanumeric()) || id.len() > 16 {
                    return Err(format!(
                        "HALOPSA_LIVE_RUN_ID {id:?} must be 1 to 16 letters or digits"
                    ));
                }
                id.to_ascii_lowercase()
            }
            None => new_run_id(),
        };
        let pace = match var("HALOPSA_LIVE_PACE_MS") {
            Some(ms) => Duration::from_millis(ms.parse().map_err(|_| {
                format!("HALOPSA_LIVE_PACE_MS {ms:?} is not a number of milliseconds")
            })?),
            None => Duration::from_millis(5000),
        };
        let department_id = var("HALOPSA_LIVE_DEPARTMENT_ID");
        if let Some(id) = &department_id {
            if id.parse::<u64>().map_or(true, |n| n == 0) {
                return Err(format!(
                    "HALOPSA_LIVE_DEPARTMENT_ID {id:?} is not a Halo department id (a whole number)"
                ));
            }
        }
        Ok(LiveConfig {
            url: url.trim_end_matches('/').to_owned(),
            host,
            client_id,
            client_secret,
            tenant: var("HALOPSA_TENANT"),
            department_id,
            run_id,
            report_path: var("HALOPSA_LIVE_REPORT")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("halopsa-live-report.json")),
            only: var("HALOPSA_LIVE_ONLY")
                .map(|s| s.split(',').map(|p| p.trim().to_owned()).collect()),
            pace,
        })
    }

    /// The prefix of every name this run gives an object.
    pub fn prefix(&self) -> String {
        format!("tfacc-{}-", self.run_id)
    }
}

/// The host of `url`, if `confirm` is exactly it (case ignored): the user typed the
/// name of the instance the run is about to create and delete objects in.
pub fn confirmed_host(url: &str, confirm: Option<&str>) -> Result<String, String> {
    let parsed =
        url::Url::parse(url).map_err(|e| format!("HALOPSA_URL {url:?} is not a URL: {e}"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| format!("HALOPSA_URL {url:?} has no host name"))?
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    match confirm {
        Some(c) if c.trim().eq_ignore_ascii_case(&host) => Ok(host),
        Some(c) => Err(format!(
            "HALOPSA_LIVE_CONFIRM is {c:?}, not the instance's host name {host:?}: refusing to \
             start (nothing was sent). The live run creates and deletes objects in that \
             instance; set HALOPSA_LIVE_CONFIRM={host} to confirm it is a sandbox."
        )),
        None => Err(format!(
            "HALOPSA_LIVE_CONFIRM is not set: refusing to start (nothing was sent). The live \
             run creates and deletes objects in {host}; set HALOPSA_LIVE_CONFIRM={host} to \
             confirm it is a sandbox."
        )),
    }
}

/// Eight lowercase letters and digits from the clock and the process id.
fn new_run_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut n = nanos ^ (u128::from(std::process::id()) << 64);
    let alphabet = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut id = String::new();
    for _ in 0..8 {
        id.push(alphabet[(n % 36) as usize] as char);
        n /= 36;
    }
    id
}

/// One request the observer sent and what came back, secrets redacted: what a
/// report shows for a failed test.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub answer: Value,
}

/// The test's own view of Halo: its REST API and nothing else (the token request,
/// then `GET /api/...` with the bearer token), paced, counted, remembering the last
/// exchange for the report.
pub struct Api {
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    url: String,
    client_id: String,
    client_secret: String,
    tenant: Option<String>,
    token: RefCell<Option<String>>,
    pace: Duration,
    last_sent: Cell<Option<Instant>>,
    requests: Cell<usize>,
    last: RefCell<Option<Exchange>>,
}

impl Api {
    fn new(url: &str, id: &str, secret: &str, tenant: Option<String>, pace: Duration) -> Api {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("start the observer's runtime");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("build the observer's HTTP client");
        Api {
            runtime,
            http,
            url: url.trim_end_matches('/').to_owned(),
            client_id: id.to_owned(),
            client_secret: secret.to_owned(),
            tenant,
            token: RefCell::new(None),
            pace,
            last_sent: Cell::new(None),
            requests: Cell::new(0),
            last: RefCell::new(None),
        }
    }

    /// How many requests the observer has sent.
    pub fn requests(&self) -> usize {
        self.requests.get()
    }

    /// The last exchange, redacted.
    pub fn last_exchange(&self) -> Option<Exchange> {
        self.last.borrow().clone()
    }

    fn wait_turn(&self) {
        if let Some(at) = self.last_sent.get() {
            let since = at.elapsed();
            if since < self.pace {
                std::thread::sleep(self.pace - since);
            }
        }
        self.last_sent.set(Some(Instant::now()));
        self.requests.set(self.requests.get() + 1);
    }

    fn token(&self) -> String {
        if let Some(token) = self.token.borrow().clone() {
            return token;
        }
        // The auth server, as the provider finds it: /api/authinfo, else {url}/auth.
        self.wait_turn();
        let info: Option<Value> = self.runtime.block_on(async {
            let r = self
                .http
                .get(format!("{}/api/authinfo", self.url))
                .send()
                .await
                .ok()?;
            if !r.status().is_success() {
                return None;
            }
            r.json().await.ok()
        });
        let auth = info
            .as_ref()
            .and_then(|i| i["auth_url"].as_str())
            .filter(|u| !u.is_empty())
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("{}/auth", self.url));
        let mut token_url = format!("{auth}/token");
        if let Some(t) = &self.tenant {
            token_url.push_str(&format!("?tenant={t}"));
        }
        self.wait_turn();
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.as_str()),
            ("scope", "all"),
        ];
        let (status, body) = self.runtime.block_on(async {
            let r = self
                .http
                .post(&token_url)
                .form(&form)
                .send()
                .await
                .unwrap_or_else(|e| panic!("the token request to {token_url} failed: {e}"));
            let status = r.status().as_u16();
            (status, r.text().await.unwrap_or_default())
        });
        let answer: Value = serde_json::from_str(&body).unwrap_or(Value::String(body));
        let Some(token) = answer["access_token"].as_str().map(str::to_owned) else {
            let mut shown = answer.clone();
            redact(&mut shown);
            panic!("the observer could not sign in ({status}): {shown}");
        };
        *self.token.borrow_mut() = Some(token.clone());
        token
    }

    /// `GET /api/{path}` with `query`: the status and the JSON answer. A 401 gets
    /// a new token once.
    pub fn get(&self, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
        for attempt in 0..2 {
            let token = self.token();
            self.wait_turn();
            let url = format!("{}/api/{path}", self.url);
            let (status, body) = self.runtime.block_on(async {
                let r = self
                    .http
                    .get(&url)
                    .query(query)
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("GET {url} failed: {e}"));
                let status = r.status().as_u16();
                (status, r.text().await.unwrap_or_default())
            });
            if status == 401 && attempt == 0 {
                *self.token.borrow_mut() = None;
                continue;
            }
            let answer: Value = if body.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&body).unwrap_or(Value::String(body))
            };
            let mut shown = answer.clone();
            redact(&mut shown);
            let query_text: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            *self.last.borrow_mut() = Some(Exchange {
                method: "GET".into(),
                path: if query.is_empty() {
                    format!("/api/{path}")
                } else {
                    format!("/api/{path}?{}", query_text.join("&"))
                },
                status,
                answer: shown,
            });
            return (status, answer);
        }
        unreachable!("the loop returns on its second attempt")
    }

    /// The object `GET /api/{path}/{id}?includedetails=true` answers, or `None`
    /// when Halo says it does not exist (404, or an empty answer).
    pub fn object(&self, path: &str, id: &str) -> Option<Value> {
        let (status, answer) = self.get(&format!("{path}/{id}"), &[("includedetails", "true")]);
        match status {
            404 => None,
            200 if answer.is_null() || answer.as_object().is_some_and(|o| o.is_empty()) => None,
            200 => Some(answer),
            other => panic!("GET /api/{path}/{id} answered {other}: {answer}"),
        }
    }

    /// The objects of a list answer `GET /api/{path}?query` (a bare array, or the
    /// first array in an object).
    pub fn list(&self, path: &str, query: &[(&str, &str)]) -> Vec<Value> {
        let (status, answer) = self.get(path, query);
        assert_eq!(status, 200, "GET /api/{path} answered {status}: {answer}");
        match answer {
            Value::Array(items) => items,
            Value::Object(map) => map
                .into_iter()
                .find_map(|(_, v)| match v {
                    Value::Array(items) => Some(items),
                    _ => None,
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// Replaces secrets in a JSON value (any key naming a secret, password, token or
/// authentication header) with `"***"`.
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let k = key.to_ascii_lowercase();
                if k.contains("secret")
                    || k.contains("password")
                    || k.contains("token")
                    || k == "authentication_header"
                {
                    if !v.is_null() {
                        *v = Value::String("***".into());
                    }
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Which Halo a target is.
pub enum Backend {
    /// halo-sim in this process: tests may use its control side only through
    /// [`Target::sim_only`].
    Sim(Sim),
    /// A remote instance (or a halo-sim started on its own), by URL only.
    Live { host: String },
}

/// A Halo to run target-neutral tests against, with a temporary directory and a
/// Terraform CLI config (dev_overrides to the provider under test), the run
/// prefix, and the API observer.
pub struct Target {
    pub backend: Backend,
    pub url: String,
    client_id: String,
    client_secret: String,
    tenant: Option<String>,
    /// `tfacc-<run id>-`: every object a test creates is named with it.
    pub prefix: String,
    /// An existing department the user named, if any.
    pub department_id: Option<String>,
    pub api: Api,
    pub dir: tempfile::TempDir,
    cli_config: PathBuf,
    /// Terraform's provider log (`TF_LOG_PROVIDER=debug`), where the provider
    /// logs every Halo request it sends: what the request count is made of.
    pub provider_log: PathBuf,
    workdirs_made: Cell<u32>,
}

impl Target {
    /// halo-sim in-process, with its default seed data.
    pub fn sim() -> Target {
        let options = SimOptions::default();
        let (id, secret) = (options.client_id.clone(), options.client_secret.clone());
        let sim = Sim::start(options).expect("start halo-sim");
        let url = sim.url();
        let api = Api::new(&url, &id, &secret, None, Duration::ZERO);
        Target::make(
            Backend::Sim(sim),
            url,
            id,
            secret,
            None,
            "tfacc-sim-".into(),
            None,
            api,
        )
    }

    /// The live instance `config` describes (its confirmation already checked).
    pub fn live(config: &LiveConfig) -> Target {
        let api = Api::new(
            &config.url,
            &config.client_id,
            &config.client_secret,
            config.tenant.clone(),
            config.pace,
        );
        Target::make(
            Backend::Live {
                host: config.host.clone(),
            },
            config.url.clone(),
            config.client_id.clone(),
            config.client_secret.clone(),
            config.tenant.clone(),
            config.prefix(),
            config.department_id.clone(),
            api,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn make(
        backend: Backend,
        url: String,
        client_id: String,
        client_secret: String,
        tenant: Option<String>,
        prefix: String,
        department_id: Option<String>,
        api: Api,
    ) -> Target {
        let dir = tempfile::Builder::new()
            .prefix("halopsa-target-")
            .tempdir()
            .expect("create the target's temporary directory");
        let provider = provider_bin();
        let provider_dir = provider
            .parent()
            .expect("the provider binary has a parent directory");
        let cli_config = dir.path().join("terraform.rc");
        write(
            &cli_config,
            &format!(
                "disable_checkpoint = true\n\nprovider_installation {{\n  dev_overrides {{\n    {} = {}\n  }}\n  direct {{}}\n}}\n",
                hcl_string(PROVIDER_SOURCE),
                hcl_string(&provider_dir.to_string_lossy()),
            ),
        );
        let provider_log = dir.path().join("provider.log");
        Target {
            backend,
            url,
            client_id,
            client_secret,
            tenant,
            prefix,
            department_id,
            api,
            dir,
            cli_config,
            provider_log,
            workdirs_made: Cell::new(0),
        }
    }

    pub fn is_live(&self) -> bool {
        matches!(self.backend, Backend::Live { .. })
    }

    /// The emulator, for a test that needs fault injection or request counting;
    /// `None` on a live target, after printing that `what` is skipped there.
    pub fn sim_only(&self, what: &str) -> Option<&Sim> {
        match &self.backend {
            Backend::Sim(sim) => Some(sim),
            Backend::Live { host } => {
                eprintln!("skipped on {host}: {what} needs halo-sim (fault injection or request counting)");
                None
            }
        }
    }

    /// `name` with the run prefix: how every object a test creates is named.
    pub fn name(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// The secrets a report must never show.
    pub fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.client_secret.clone()];
        if let Some(token) = self.api.token.borrow().clone() {
            secrets.push(token);
        }
        secrets
    }

    /// A new, empty Terraform working directory against this target: the
    /// provider is configured by `HALOPSA_*` (URL, credentials, tenant), and it
    /// logs its Halo requests to [`Target::provider_log`].
    pub fn workdir(&self) -> Workdir {
        let n = self.workdirs_made.get() + 1;
        self.workdirs_made.set(n);
        let path = self.dir.path().join(format!("workdir-{n}"));
        std::fs::create_dir_all(&path).expect("create a working directory");
        let mut env = vec![
            ("TF_CLI_CONFIG_FILE".into(), path_string(&self.cli_config)),
            ("CHECKPOINT_DISABLE".into(), "1".into()),
            ("TF_IN_AUTOMATION".into(), "1".into()),
            ("TF_INPUT".into(), "0".into()),
            ("TF_LOG_PROVIDER".into(), "debug".into()),
            ("TF_LOG_PATH".into(), path_string(&self.provider_log)),
            ("HALOPSA_URL".into(), self.url.clone()),
            ("HALOPSA_CLIENT_ID".into(), self.client_id.clone()),
            ("HALOPSA_CLIENT_SECRET".into(), self.client_secret.clone()),
        ];
        env.extend(rate_limit_env());
        if let Some(tenant) = &self.tenant {
            env.push(("HALOPSA_TENANT".into(), tenant.clone()));
        }
        Workdir {
            path,
            terraform: terraform_bin(),
            env,
        }
    }

    /// A new working directory with `hcl` as its configuration, applied.
    pub fn applied(&self, hcl: &str) -> Workdir {
        let wd = self.workdir();
        wd.write_config(hcl);
        wd.apply();
        wd
    }

    /// The Halo requests the provider logged so far, as `METHOD path -> status`.
    pub fn provider_requests(&self) -> Vec<String> {
        provider_requests(&self.provider_log)
    }

    /// A department to hang teams, clients and memberships on: the one the user
    /// named, else a `halopsa_department.home` (in an organisation of its own)
    /// declared by the HCL this answers, with the expression to refer to it.
    pub fn department(&self) -> (String, String) {
        match &self.department_id {
            Some(id) => (String::new(), hcl_string(id)),
            None => (
                format!(
                    "resource \"halopsa_organisation\" \"home\" {{\n  name = {}\n}}\n\n\
                     resource \"halopsa_department\" \"home\" {{\n  name            = {}\n  organisation_id = halopsa_organisation.home.id\n}}\n",
                    hcl_string(&self.name("Home Org")),
                    hcl_string(&self.name("Home Dept")),
                ),
                "halopsa_department.home.id".into(),
            ),
        }
    }

    /// The `HALOPSA_*` settings of this target, for a program other than
    /// Terraform (the sweeper).
    pub fn halo_env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("HALOPSA_URL".to_owned(), self.url.clone()),
            ("HALOPSA_CLIENT_ID".to_owned(), self.client_id.clone()),
            (
                "HALOPSA_CLIENT_SECRET".to_owned(),
                self.client_secret.clone(),
            ),
        ];
        if let Some(tenant) = &self.tenant {
            env.push(("HALOPSA_TENANT".to_owned(), tenant.clone()));
        }
        env.extend(rate_limit_env());
        env
    }

    /// A summary for the report's header.
    pub fn describe(&self) -> Value {
        json!({
            "url": self.url,
            "target": if self.is_live() { "live" } else { "halo-sim" },
            "prefix": self.prefix,
            "tenant": self.tenant,
            "department_id": self.department_id,
        })
    }
}

/// The provider's request budget for a run (the provider's and the sweeper's, which
/// share one budget per instance and client id): under Halo's hosted limit, with
/// room for the observer's requests, unless the user gives the instance's own limit.
fn rate_limit_env() -> Vec<(String, String)> {
    [
        ("HALOPSA_RATE_LIMIT_REQUESTS", "240"),
        ("HALOPSA_RATE_LIMIT_WINDOW_SECONDS", "300"),
    ]
    .into_iter()
    .map(|(name, default)| {
        (
            name.to_owned(),
            var(name).unwrap_or_else(|| default.to_owned()),
        )
    })
    .collect()
}

/// The Halo requests a provider log holds, as `METHOD path -> status`: the
/// provider writes one JSON line per request at debug level (`halo request`, and
/// `halo auth discovery` and `halo token request` for signing in), which Terraform
/// puts after `provider.terraform-provider-halopsa: ` in its log.
pub fn provider_requests(log: &Path) -> Vec<String> {
    const MESSAGES: [&str; 3] = ["halo request", "halo auth discovery", "halo token request"];
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let json: Value = serde_json::from_str(&l[l.find('{')?..]).ok()?;
            if !MESSAGES.contains(&json["@message"].as_str()?) {
                return None;
            }
            Some(format!(
                "{} {} -> {}",
                json["method"].as_str().unwrap_or("?"),
                json["path"].as_str().unwrap_or("?"),
                json["status"]
            ))
        })
        .collect()
}
