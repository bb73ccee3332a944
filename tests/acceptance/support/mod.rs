//! Acceptance-test harness: real Terraform driving the provider built from this
//! tree against halo-sim, the HaloPSA emulator, running in-process.
//!
//! ```ignore
//! let env = TestEnv::new();
//! let wd = env.workdir();
//! wd.write_config(r#"resource "halopsa_organisation" "o" { name = "Acme" }"#);
//! wd.apply();
//! assert_eq!(wd.resource("halopsa_organisation.o")["name"], "Acme");
//! ```
//!
//! Every test gets its own emulator, temporary directory and Terraform CLI config,
//! so tests run in parallel threads without sharing anything. Terraform comes from
//! `$TERRAFORM` or from `scripts/install-terraform` (`<repo>/.venv/bin/terraform`).
//! The CLI config installs the provider with `dev_overrides`, so no
//! `terraform init` is needed.
//!
//! Beside the harness: [`plan`] (a saved plan's JSON and assertions on it),
//! [`diagnostics`] (Terraform's errors, from `-json` output or text),
//! [`imports`] (the import round trip every resource must pass) and
//! [`lifecycle`] (the steps of a resource's life, each asserted once).

pub mod diagnostics;
pub mod imports;
pub mod lifecycle;
pub mod memberships;
pub mod plan;
pub mod proxy;
pub mod target;

use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub use halo_sim::{Kind, Sim, SimOptions};
use serde_json::Value;

pub use diagnostics::{diagnostic_text, Diagnostic};
pub use lifecycle::{Lifecycle, Store};
pub use plan::{Action, Plan};

/// The provider's source address, as users write it.
pub const PROVIDER_SOURCE: &str = "halopsa/halopsa";
/// A single Terraform command taking longer than this is killed and fails the test.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

/// The Terraform CLI: `$TERRAFORM` if set, else the wrapper that
/// `scripts/install-terraform` writes into `<repo>/.venv/bin/terraform`.
pub fn terraform_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("TERRAFORM").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/terraform");
    if !path.is_file() {
        panic!(
            "no Terraform CLI at {}: run scripts/install-terraform first (or set TERRAFORM)",
            path.display()
        );
    }
    path
}

/// The provider binary cargo built for these tests.
pub fn provider_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-halopsa"))
}

/// One test's world: an emulator, a temporary directory and a Terraform CLI config
/// that points `halopsa/halopsa` at the provider binary under test.
pub struct TestEnv {
    pub sim: Sim,
    pub dir: tempfile::TempDir,
    pub cli_config: PathBuf,
    /// The credentials the emulator accepts, given to the provider as
    /// `HALOPSA_CLIENT_ID` and `HALOPSA_CLIENT_SECRET`.
    pub client_id: String,
    pub client_secret: String,
    workdirs_made: Cell<u32>,
}

impl TestEnv {
    /// A fresh emulator with its default seed data and credentials.
    pub fn new() -> Self {
        Self::with_options(SimOptions::default())
    }

    pub fn with_options(options: SimOptions) -> Self {
        let client_id = options.client_id.clone();
        let client_secret = options.client_secret.clone();
        let sim = Sim::start(options).expect("start halo-sim");
        let dir = tempfile::Builder::new()
            .prefix("halopsa-acc-")
            .tempdir()
            .expect("create the test's temporary directory");

        let provider = provider_bin();
        let provider_dir = provider
            .parent()
            .expect("the provider binary has a parent directory");
        let cli_config = dir.path().join("terraform.rc");
        let text = format!(
            r#"disable_checkpoint = true

provider_installation {{
  dev_overrides {{
    {source} = {dir}
  }}
  direct {{}}
}}
"#,
            source = hcl_string(PROVIDER_SOURCE),
            dir = hcl_string(&provider_dir.to_string_lossy()),
        );
        write(&cli_config, &text);

        TestEnv {
            sim,
            dir,
            cli_config,
            client_id,
            client_secret,
            workdirs_made: Cell::new(0),
        }
    }

    /// A new, empty Terraform working directory (its own configuration and state)
    /// inside this test's temporary directory. Call it again for a second one, e.g.
    /// to import into a fresh state.
    pub fn workdir(&self) -> Workdir {
        let n = self.workdirs_made.get() + 1;
        self.workdirs_made.set(n);
        let path = self.dir.path().join(format!("workdir-{n}"));
        std::fs::create_dir_all(&path).expect("create a working directory");
        Workdir {
            path,
            terraform: terraform_bin(),
            env: vec![
                ("TF_CLI_CONFIG_FILE".into(), path_string(&self.cli_config)),
                ("CHECKPOINT_DISABLE".into(), "1".into()),
                ("TF_IN_AUTOMATION".into(), "1".into()),
                ("TF_INPUT".into(), "0".into()),
                ("HALOPSA_URL".into(), self.sim.url()),
                ("HALOPSA_CLIENT_ID".into(), self.client_id.clone()),
                ("HALOPSA_CLIENT_SECRET".into(), self.client_secret.clone()),
            ],
        }
    }

    /// A new working directory with `hcl` as its configuration, applied.
    pub fn applied(&self, hcl: &str) -> Workdir {
        let wd = self.workdir();
        wd.write_config(hcl);
        wd.apply();
        wd
    }

    /// The emulator's objects of one kind whose `name` is `name`.
    pub fn sim_objects_named(&self, kind: Kind, name: &str) -> Vec<Value> {
        self.sim_objects_where(kind, "name", name)
    }

    /// The emulator's objects of one kind whose `field` is `value`.
    pub fn sim_objects_where(&self, kind: Kind, field: &str, value: &str) -> Vec<Value> {
        self.sim
            .objects(kind)
            .into_iter()
            .filter(|o| o[field] == value)
            .collect()
    }

    /// The one object of `kind` named `name`; the test fails unless there is
    /// exactly one.
    pub fn sim_one_named(&self, kind: Kind, name: &str) -> Value {
        self.sim_one_where(kind, "name", name)
    }

    /// The one object of `kind` whose `field` is `value` (e.g. an application's
    /// `displayName`); the test fails unless there is exactly one.
    pub fn sim_one_where(&self, kind: Kind, field: &str, value: &str) -> Value {
        let mut found = self.sim_objects_where(kind, field, value);
        assert_eq!(
            found.len(),
            1,
            "expected exactly one {kind:?} with {field} {value:?} in Halo, found {found:#?}"
        );
        found.remove(0)
    }

    /// The id of the one object of `kind` named `name`.
    pub fn sim_id_named(&self, kind: Kind, name: &str) -> String {
        id_of(&self.sim_one_named(kind, name))
    }

    /// The emulator's object of `kind` with this id, if there is one.
    pub fn sim_object(&self, kind: Kind, id: &str) -> Option<Value> {
        self.sim.objects(kind).into_iter().find(|o| id_of(o) == id)
    }

    /// Make an object in Halo out of band (as someone in Halo's UI would); answers
    /// its id.
    pub fn sim_insert(&self, kind: Kind, object: Value) -> String {
        id_of(&self.sim.insert(kind, object))
    }

    /// How many writes (anything but GET) to `/api/` reached the emulator.
    pub fn halo_writes(&self) -> usize {
        self.sim
            .journal()
            .iter()
            .filter(|e| e.method != "GET" && e.path.starts_with("/api/"))
            .count()
    }

    /// How many requests with this method reached the emulator on paths starting
    /// with `path_prefix` (e.g. `("POST", "/api/Organisation")`; case is ignored).
    pub fn request_count(&self, method: &str, path_prefix: &str) -> usize {
        let prefix = path_prefix.to_ascii_lowercase();
        self.sim
            .journal()
            .iter()
            .filter(|e| {
                e.method.eq_ignore_ascii_case(method)
                    && e.path.to_ascii_lowercase().starts_with(&prefix)
            })
            .count()
    }

    /// Each configuration `body` of the one resource `type_name.name` is
    /// refused at plan, and by apply, with an error on its attribute; no request
    /// to create anything reaches Halo.
    pub fn assert_refused_at_plan(&self, type_name: &str, name: &str, cases: &[(&str, String)]) {
        for (attribute, body) in cases {
            let wd = self.workdir();
            wd.write_config(&format!(
                "resource \"{type_name}\" \"{name}\" {{\n  {body}\n}}\n"
            ));
            wd.assert_plan_and_apply_reject(&format!("{type_name}.{name}"), attribute);
        }
        assert_eq!(
            self.request_count("POST", "/api/"),
            0,
            "a request to create was sent; the journal:\n{}",
            self.journal_summary()
        );
    }

    /// Applies `hcl`, whose resource `addr` refers in `attribute` to the object
    /// with id `missing`, which Halo does not have: the apply fails with an error
    /// on the attribute naming the id, `addr` is not in state, and Halo holds
    /// as many objects of `kind` as before.
    pub fn assert_missing_reference(
        &self,
        hcl: &str,
        addr: &str,
        attribute: &str,
        missing: &str,
        kind: Kind,
    ) {
        let before = self.sim.objects(kind).len();
        let wd = self.workdir();
        wd.write_config(hcl);
        let err = wd.apply_err();
        let diagnostic = diagnostic_text(&err);
        assert!(
            diagnostic.contains(&format!("Invalid {attribute}")) && diagnostic.contains(missing),
            "expected an error naming {attribute}:\n{err}"
        );
        assert_eq!(
            self.sim.objects(kind).len(),
            before,
            "an object was created"
        );
        assert!(wd.try_resource(addr).is_none());
    }

    /// The emulator's journal as `METHOD path -> status` lines, for messages.
    pub fn journal_summary(&self) -> String {
        self.sim
            .journal()
            .iter()
            .map(|e| format!("{} {} -> {}\n", e.method, e.path, e.status))
            .collect()
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

/// A Terraform working directory. Every command runs with a clean environment:
/// nothing `TF_*` or `HALOPSA_*` is inherited; the test's CLI config, the
/// emulator's URL and credentials, and automation settings are set.
pub struct Workdir {
    pub path: PathBuf,
    terraform: PathBuf,
    env: Vec<(String, String)>,
}

/// What one Terraform command did.
pub struct TfOutput {
    /// The command line, for messages.
    pub command: String,
    /// The exit code (-1 if it was killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfOutput {
    pub fn success(&self) -> bool {
        self.code == 0
    }

    /// stderr then stdout: where to look for an error message.
    pub fn combined(&self) -> String {
        format!("{}\n{}", self.stderr, self.stdout)
    }
}

impl fmt::Display for TfOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "$ {}\nexit code: {}\n--- stdout ---\n{}\n--- stderr ---\n{}\n--- end ---",
            self.command, self.code, self.stdout, self.stderr
        )
    }
}

impl Workdir {
    /// Write `main.tf`. Unless the HCL declares them itself, a `terraform` block
    /// requiring `halopsa/halopsa` and an empty `provider "halopsa" {}` block (the
    /// provider is configured through the `HALOPSA_*` variables) are put first.
    pub fn write_config(&self, hcl: &str) {
        let mut text = String::new();
        if !hcl.contains("required_providers") {
            text.push_str(&format!(
                r#"terraform {{
  required_providers {{
    halopsa = {{
      source = {source}
    }}
  }}
}}

"#,
                source = hcl_string(PROVIDER_SOURCE)
            ));
        }
        if !hcl.contains("provider \"halopsa\"") {
            text.push_str("provider \"halopsa\" {}\n\n");
        }
        text.push_str(hcl);
        text.push('\n');
        self.write_file("main.tf", &text);
    }

    /// Write `main.tf` exactly as given.
    pub fn write_config_raw(&self, hcl: &str) {
        self.write_file("main.tf", hcl);
    }

    /// Write any file in the working directory (another `.tf` file, a tfvars file).
    pub fn write_file(&self, name: &str, contents: &str) {
        write(&self.path.join(name), contents);
    }

    /// Copy the repository's `modules/NAME` into `./modules/NAME` here, so that a
    /// configuration calls it as `source = "./modules/NAME"`, and run `terraform init`
    /// (which installs modules; the provider stays the dev override).
    pub fn use_module(&self, name: &str) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("modules")
            .join(name);
        let to = self.path.join("modules").join(name);
        std::fs::create_dir_all(&to)
            .unwrap_or_else(|e| panic!("could not create {}: {e}", to.display()));
        let entries = std::fs::read_dir(&from)
            .unwrap_or_else(|e| panic!("could not read {}: {e}", from.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "tf") {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("could not read {}: {e}", path.display()));
                write(&to.join(entry.file_name()), &text);
            }
        }
        // `get` installs modules only: `init` would also look the provider up in the
        // registry, which older Terraform does even under dev_overrides.
        self.run_ok(&["get", "-no-color"]);
    }

    /// Run `terraform ARGS` here and return what it did, whatever the exit code.
    /// `extra_env` is set last, so it can override the harness's variables.
    pub fn run(&self, args: &[&str], extra_env: &[(&str, &str)]) -> TfOutput {
        self.run_within(args, extra_env, COMMAND_TIMEOUT)
    }

    /// `run` with another time limit (for benchmarks that pace themselves).
    pub fn run_within(
        &self,
        args: &[&str],
        extra_env: &[(&str, &str)],
        timeout: Duration,
    ) -> TfOutput {
        let mut cmd = Command::new(&self.terraform);
        cmd.args(args)
            .current_dir(&self.path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, _) in std::env::vars_os() {
            let key_text = key.to_string_lossy();
            if key_text.starts_with("TF_") || key_text.starts_with("HALOPSA_") {
                cmd.env_remove(&key);
            }
        }
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        for (key, value) in extra_env {
            cmd.env(key, value);
        }
        let command = format!("terraform {} (in {})", args.join(" "), self.path.display());
        run_with_timeout(cmd, command, timeout)
    }

    /// Run a command that must succeed; return its stdout.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args, &[]);
        if !out.success() {
            panic!("terraform failed\n{out}");
        }
        out.stdout
    }

    /// Run a command that must fail; return its stderr and stdout.
    pub fn run_err(&self, args: &[&str]) -> String {
        let out = self.run(args, &[]);
        if out.success() {
            panic!("terraform succeeded but was expected to fail\n{out}");
        }
        out.combined()
    }

    /// `terraform apply -auto-approve`, which must succeed; returns its stdout.
    pub fn apply(&self) -> String {
        self.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `terraform apply -auto-approve` with more arguments (e.g.
    /// `-parallelism=10`), which must succeed; returns its stdout.
    pub fn apply_with(&self, extra: &[&str]) -> String {
        let mut args = vec!["apply", "-auto-approve", "-input=false", "-no-color"];
        args.extend_from_slice(extra);
        self.run_ok(&args)
    }

    /// `terraform apply -auto-approve`, which must fail; returns stderr and stdout.
    pub fn apply_err(&self) -> String {
        self.run_err(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    /// `terraform plan -json`, which must fail; returns its diagnostics.
    pub fn plan_diagnostics(&self) -> Vec<Diagnostic> {
        let out = self.run(&["plan", "-json", "-input=false"], &[]);
        if out.success() {
            panic!("terraform succeeded but was expected to fail\n{out}");
        }
        diagnostics::parse_json_diagnostics(&out.stdout)
    }

    /// `terraform apply -json -auto-approve`, which must fail; returns its
    /// diagnostics.
    pub fn apply_diagnostics(&self) -> Vec<Diagnostic> {
        let out = self.run(&["apply", "-json", "-auto-approve", "-input=false"], &[]);
        if out.success() {
            panic!("terraform succeeded but was expected to fail\n{out}");
        }
        diagnostics::parse_json_diagnostics(&out.stdout)
    }

    /// Assert that a plan fails with one error, on `addr`, whose summary or
    /// detail names `attribute`.
    pub fn assert_plan_rejects(&self, addr: &str, attribute: &str) {
        diagnostics::assert_one_error_naming(&self.plan_diagnostics(), addr, attribute);
    }

    /// Assert that an apply fails with one error, on `addr`, whose summary or
    /// detail names `attribute`, and that `addr` is not in the state.
    pub fn assert_apply_rejects(&self, addr: &str, attribute: &str) {
        diagnostics::assert_one_error_naming(&self.apply_diagnostics(), addr, attribute);
        assert!(self.try_resource(addr).is_none(), "{addr} is in the state");
    }

    /// Both: a plan and an apply fail with one error on `addr` naming `attribute`.
    pub fn assert_plan_and_apply_reject(&self, addr: &str, attribute: &str) {
        self.assert_plan_rejects(addr, attribute);
        self.assert_apply_rejects(addr, attribute);
    }

    /// `terraform plan -detailed-exitcode`: 0 for no changes, 2 for changes. An
    /// error (exit code 1) fails the test.
    pub fn plan_exit_code(&self) -> i32 {
        let out = self.run(
            &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
            &[],
        );
        if out.code != 0 && out.code != 2 {
            panic!("terraform plan failed\n{out}");
        }
        out.code
    }

    /// Assert that a plan shows no changes (the state matches Halo and the config).
    pub fn assert_plan_clean(&self) {
        let out = self.run(
            &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
            &[],
        );
        if out.code != 0 {
            panic!("expected a plan with no changes (exit code 0)\n{out}");
        }
    }

    /// `terraform plan -out`, then `terraform show -json` of that saved plan.
    pub fn plan_json(&self) -> Plan {
        self.run_ok(&[
            "plan",
            "-input=false",
            "-no-color",
            "-out=acceptance.tfplan",
        ]);
        let stdout = self.run_ok(&["show", "-json", "-no-color", "acceptance.tfplan"]);
        Plan {
            json: parse_json(&stdout, "terraform show -json acceptance.tfplan"),
        }
    }

    /// `terraform plan`, which must succeed; returns its stdout.
    pub fn plan_text(&self) -> String {
        self.run_ok(&["plan", "-input=false", "-no-color"])
    }

    /// `terraform plan`, which must fail; returns stderr and stdout.
    pub fn plan_err(&self) -> String {
        self.run_err(&["plan", "-input=false", "-no-color"])
    }

    /// `terraform destroy -auto-approve`, which must succeed; returns its stdout.
    pub fn destroy(&self) -> String {
        self.destroy_with(&[])
    }

    /// `terraform destroy -auto-approve` with more arguments, which must succeed.
    pub fn destroy_with(&self, extra: &[&str]) -> String {
        let mut args = vec!["destroy", "-auto-approve", "-input=false", "-no-color"];
        args.extend_from_slice(extra);
        self.run_ok(&args)
    }

    /// `terraform import ADDR ID`, which must succeed; returns its stdout. The
    /// resource must be declared in the configuration.
    pub fn import(&self, addr: &str, id: &str) -> String {
        self.run_ok(&["import", "-input=false", "-no-color", addr, id])
    }

    /// `terraform import ADDR ID`, which must fail; returns stderr and stdout.
    pub fn import_err(&self, addr: &str, id: &str) -> String {
        self.run_err(&["import", "-input=false", "-no-color", addr, id])
    }

    /// The state as `terraform show -json` prints it.
    pub fn show_json(&self) -> Value {
        let stdout = self.run_ok(&["show", "-json", "-no-color"]);
        parse_json(&stdout, "terraform show -json")
    }

    /// One resource's whole entry in `terraform show -json` (`values`,
    /// `sensitive_values`, ...); the test fails if it is not in the state.
    pub fn state_entry(&self, addr: &str) -> Value {
        let resources = state_resources(&self.show_json());
        match resources.iter().find(|r| r["address"] == addr) {
            Some(r) => r.clone(),
            None => {
                let present: Vec<&str> = resources
                    .iter()
                    .filter_map(|r| r["address"].as_str())
                    .collect();
                panic!("{addr} is not in the state; the state holds {present:?}")
            }
        }
    }

    /// The addresses of every resource in the state (data sources included).
    pub fn resource_addresses(&self) -> Vec<String> {
        state_resources(&self.show_json())
            .iter()
            .filter_map(|r| r["address"].as_str().map(str::to_owned))
            .collect()
    }

    /// The attribute values of one resource in the state, if it is there.
    pub fn try_resource(&self, addr: &str) -> Option<Value> {
        state_resources(&self.show_json())
            .into_iter()
            .find(|r| r["address"] == addr)
            .map(|r| r["values"].clone())
    }

    /// The attribute values of one resource in the state (`values` in
    /// `terraform show -json`). Sensitive values are included.
    pub fn resource(&self, addr: &str) -> Value {
        self.state_entry(addr)["values"].clone()
    }

    /// The `id` of one resource in the state.
    pub fn resource_id(&self, addr: &str) -> String {
        let values = self.resource(addr);
        match values["id"].as_str() {
            Some(id) => id.to_owned(),
            None => panic!("{addr} has no string id in the state: {values:#}"),
        }
    }

    /// One output's value (`terraform output -json NAME`), sensitive or not.
    pub fn output(&self, name: &str) -> Value {
        let stdout = self.run_ok(&["output", "-json", "-no-color", name]);
        parse_json(&stdout, &format!("terraform output -json {name}"))
    }
}

/// A `resource "TYPE" "NAME"` block whose arguments are (name, HCL expression)
/// pairs, one a line.
pub fn resource_block<E: AsRef<str>>(type_name: &str, name: &str, args: &[(&str, E)]) -> String {
    let mut hcl = format!("resource \"{type_name}\" \"{name}\" {{\n");
    for (arg, expr) in args {
        hcl.push_str(&format!("  {arg} = {}\n", expr.as_ref()));
    }
    hcl.push_str("}\n");
    hcl
}

/// One resource under test in a configuration: the HCL it depends on
/// (`prelude`), then its own block, whose arguments each test gives.
pub struct Fixture {
    pub prelude: &'static str,
    pub type_name: &'static str,
    pub name: &'static str,
}

impl Fixture {
    /// The resource's address, e.g. `halopsa_team.field`.
    pub fn addr(&self) -> String {
        format!("{}.{}", self.type_name, self.name)
    }

    /// The prelude and the resource with these arguments.
    pub fn config<E: AsRef<str>>(&self, args: &[(&str, E)]) -> String {
        format!(
            "{}\n{}",
            self.prelude,
            resource_block(self.type_name, self.name, args)
        )
    }

    /// Applies the configuration with these arguments in a new working directory;
    /// returns it and the resource's id.
    pub fn create<E: AsRef<str>>(&self, env: &TestEnv, args: &[(&str, E)]) -> (Workdir, String) {
        let wd = env.applied(&self.config(args));
        let id = wd.resource_id(&self.addr());
        (wd, id)
    }
}

/// An organisation (`acme`) with two departments (`north`, `south`).
pub const TWO_DEPARTMENTS: &str = r#"resource "halopsa_organisation" "acme" {
  name = "Acme Ltd"
}

resource "halopsa_department" "north" {
  name            = "North"
  organisation_id = halopsa_organisation.acme.id
}

resource "halopsa_department" "south" {
  name            = "South"
  organisation_id = halopsa_organisation.acme.id
}
"#;

/// Two organisations (`acme`, `beta`).
pub const TWO_ORGANISATIONS: &str = r#"resource "halopsa_organisation" "acme" {
  name = "Acme Ltd"
}

resource "halopsa_organisation" "beta" {
  name = "Beta Ltd"
}
"#;

/// `n` objects in all (rounded down to a multiple of six), named `"{prefix} Org 0"`
/// and so on: organisations, departments (one per organisation), teams (one per
/// department), roles, API agents (each with its role) and API applications (each
/// logging in as its agent), in equal parts. The soak test and the benchmarks
/// apply it.
pub fn mixed_objects(n: usize, prefix: &str) -> String {
    let k = n / 6;
    format!(
        r#"
resource "halopsa_organisation" "o" {{
  count = {k}
  name  = "{prefix} Org ${{count.index}}"
}}

resource "halopsa_department" "d" {{
  count           = {k}
  name            = "{prefix} Dept ${{count.index}}"
  organisation_id = halopsa_organisation.o[count.index].id
}}

resource "halopsa_team" "t" {{
  count         = {k}
  name          = "{prefix} Team ${{count.index}}"
  department_id = halopsa_department.d[count.index].id
}}

resource "halopsa_role" "r" {{
  count = {k}
  name  = "{prefix} Role ${{count.index}}"
  permissions = {{
    tickets_access = "read_modify"
  }}
}}

resource "halopsa_agent" "a" {{
  count        = {k}
  name         = "{prefix} Agent ${{count.index}}"
  is_api_agent = true
  role_ids     = [halopsa_role.r[count.index].id]
}}

resource "halopsa_api_application" "app" {{
  count             = {k}
  name              = "{prefix} App ${{count.index}}"
  login_as_agent_id = halopsa_agent.a[count.index].id
  permissions       = ["read:tickets"]
}}
"#
    )
}

/// The ids `terraform query` printed for the list block `list.TYPE.NAME`, sorted.
pub fn listed_ids(output: &str, type_name: &str, name: &str) -> Vec<String> {
    let prefix = format!("list.{type_name}.{name} ");
    let mut ids: Vec<String> = output
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .filter_map(|l| {
            l.split_whitespace()
                .find_map(|w| w.strip_prefix("id=").map(str::to_owned))
        })
        .collect();
    ids.sort();
    ids
}

/// The id of a Halo object as Terraform holds it: a string, whether Halo's JSON
/// has a number (most objects) or a string (GUIDs).
pub fn id_of(object: &Value) -> String {
    match &object["id"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("object has no usable id ({other}): {object}"),
    }
}

/// Every resource in a `terraform show -json` document, child modules included.
fn state_resources(state: &Value) -> Vec<Value> {
    fn collect(module: &Value, into: &mut Vec<Value>) {
        if let Some(resources) = module["resources"].as_array() {
            into.extend(resources.iter().cloned());
        }
        if let Some(children) = module["child_modules"].as_array() {
            for child in children {
                collect(child, into);
            }
        }
    }
    let mut all = Vec::new();
    collect(&state["values"]["root_module"], &mut all);
    all
}

/// Run a command with captured output; kill it if it outlives `timeout`.
fn run_with_timeout(mut cmd: Command, command: String, timeout: Duration) -> TfOutput {
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {command}: {e}"));
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());

    let started = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for terraform") {
            Some(status) => break Some(status),
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let out = TfOutput {
        command,
        code: status.and_then(|s| s.code()).unwrap_or(-1),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    if status.is_none() {
        panic!("terraform did not finish within {timeout:?} and was killed\n{out}");
    }
    out
}

fn read_in_background<R: Read + Send + 'static>(
    pipe: Option<R>,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn parse_json(text: &str, what: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{what} printed something that is not JSON ({e}):\n{text}"))
}

/// A quoted HCL string literal.
fn hcl_string(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{");
    format!("\"{escaped}\"")
}

fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn write(path: &Path, contents: &str) {
    std::fs::write(path, contents)
        .unwrap_or_else(|e| panic!("could not write {}: {e}", path.display()));
}

/// Copies every `.tf` file of an example into the workdir, unchanged but for the
/// path of the modules it calls (copied beside it, see `Workdir::use_module`).
pub fn use_example(wd: &Workdir, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path).expect("read example file");
            wd.write_file(
                &entry.file_name().to_string_lossy(),
                &text.replace("\"../../modules/", "\"./modules/"),
            );
        }
    }
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for part in text.split("\"../../modules/").skip(1) {
            if let Some(module) = part.split('"').next() {
                modules.push(module.to_string());
            }
        }
    }
    modules.sort();
    modules.dedup();
    for module in modules {
        wd.use_module(&module);
    }
}
