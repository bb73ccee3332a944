//! Acceptance tests of write-only attributes (Terraform 1.11+):
//! `halopsa_api_application.client_secret_wo` with `client_secret_wo_version`.
//! The supplied secret must reach Halo (halo-sim accepts it at its token
//! endpoint as the application's credentials), appear in no state, plan, plan
//! output or Terraform log (`TF_LOG=trace`), and a new version must send a new
//! secret as an in-place update.

use crate::support::{resource_block, Action, Kind, TestEnv, Workdir};
use serde_json::json;

const ADDR: &str = "halopsa_api_application.app";

/// The status halo-sim's token endpoint answers for these client credentials.
pub(crate) fn token_status(env: &TestEnv, client_id: &str, secret: &str) -> u16 {
    let base = env.sim.url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("{base}/auth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("scope", "all"),
            ])
            .send()
            .await
            .expect("token request")
            .status()
            .as_u16()
    })
}

/// An API-only agent made in Halo by hand; answers its id.
pub(crate) fn api_agent(env: &TestEnv) -> String {
    env.sim_insert(
        Kind::Agent,
        json!({"name": "wo-bot", "isapiagent": true, "isdisabled": false, "roles": [], "departments": []}),
    )
}

/// The application, its secret from an ephemeral variable (Terraform 1.10+), as
/// users supply a secret: from outside the configuration, never stored.
fn app(agent: &str, version: i64) -> String {
    let args = vec![
        ("name", json!("Write-only").to_string()),
        ("login_as_agent_id", json!(agent).to_string()),
        ("client_secret_wo", "var.app_secret".to_string()),
        ("client_secret_wo_version", version.to_string()),
    ];
    format!(
        "variable \"app_secret\" {{\n  type      = string\n  sensitive = true\n  ephemeral = true\n}}\n\n{}",
        resource_block("halopsa_api_application", "app", &args)
    )
}

/// Supplies the ephemeral variable, as a user's `*.auto.tfvars` would.
fn supply(wd: &Workdir, secret: &str) {
    wd.write_file(
        "secret.auto.tfvars",
        &format!("app_secret = {}\n", json!(secret)),
    );
}

/// Everything Terraform keeps or prints about the working directory: the state
/// file, every saved plan's JSON, and the given outputs and logs.
pub(crate) fn assert_nowhere(wd: &Workdir, secret: &str, texts: &[(&str, &str)]) {
    let state = std::fs::read_to_string(wd.path.join("terraform.tfstate")).expect("a state file");
    assert!(
        !state.contains(secret),
        "the secret is in the state:\n{state}"
    );
    let show = wd.run_ok(&["show", "-json", "-no-color"]);
    assert!(
        !show.contains(secret),
        "the secret is in `terraform show -json`"
    );
    for (what, text) in texts {
        assert!(!text.contains(secret), "the secret is in {what}");
    }
}

/// Runs `terraform ARGS` with `TF_LOG=trace` into a log file; answers stdout
/// and the log.
pub(crate) fn traced(wd: &Workdir, args: &[&str]) -> (String, String) {
    let log = wd.path.join("trace.log");
    let _ = std::fs::remove_file(&log);
    let log_path = log.to_string_lossy().to_string();
    let out = wd.run(args, &[("TF_LOG", "trace"), ("TF_LOG_PATH", &log_path)]);
    assert!(out.success(), "{out}");
    let text = std::fs::read_to_string(&log).expect("a trace log");
    assert!(
        text.contains("halopsa"),
        "the trace log should show the provider at work"
    );
    (out.combined(), text)
}

#[test]
fn a_supplied_secret_reaches_halo_lands_nowhere_and_rotates_in_place() {
    if !crate::version_matrix::requires(1, 11, "write-only attributes") {
        return;
    }
    let env = TestEnv::new();
    let agent = api_agent(&env);
    let wd = env.workdir();
    let first = "wo-first-5b0e7c1d9a";
    wd.write_config(&app(&agent, 1));
    supply(&wd, first);

    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Create);
    let planned = plan.json.to_string();
    assert!(!planned.contains(first), "the secret is in the plan JSON");
    assert_eq!(plan.change(ADDR)["after"]["client_secret_wo"], json!(null));

    let (out, log) = traced(
        &wd,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let state = wd.resource(ADDR);
    assert_eq!(state["client_secret_wo"], json!(null));
    assert_eq!(
        state["client_secret"],
        json!(null),
        "client_secret stays null"
    );
    assert_eq!(state["client_secret_wo_version"], json!(1));
    let client_id = state["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    let id = state["id"].as_str().expect("an id").to_string();
    assert_eq!(
        token_status(&env, &client_id, first),
        200,
        "Halo should hold the supplied secret"
    );
    assert_nowhere(
        &wd,
        first,
        &[("apply output", &out), ("the trace log", &log)],
    );
    wd.assert_plan_clean();

    // Another secret under the same version: Terraform cannot see it, nothing is sent.
    supply(&wd, "wo-unsent-77");
    wd.assert_plan_clean();

    // A new version sends the new secret, in place.
    let second = "wo-second-c4e19f02b3";
    wd.write_config(&app(&agent, 2));
    supply(&wd, second);
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    assert!(!plan.json.to_string().contains(second));
    let (out, log) = traced(
        &wd,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let state = wd.resource(ADDR);
    assert_eq!(state["id"], json!(id), "rotated in place, not replaced");
    assert_eq!(state["client_secret"], json!(null));
    assert_eq!(token_status(&env, &client_id, second), 200);
    assert_eq!(
        token_status(&env, &client_id, first),
        401,
        "the old secret no longer works"
    );
    assert_nowhere(
        &wd,
        second,
        &[("apply output", &out), ("the trace log", &log)],
    );
    wd.assert_plan_clean();

    // Halo's journal of writes shows the secret field was sent (redacted).
    let sent = env
        .sim
        .journal()
        .iter()
        .filter(|e| e.method == "POST" && e.path.eq_ignore_ascii_case("/api/Application"))
        .filter(|e| {
            e.body
                .as_ref()
                .is_some_and(|b| b.to_string().contains(r#""clientSecret":"REDACTED""#))
        })
        .count();
    assert_eq!(sent, 2, "one create and one rotation carry clientSecret");
    wd.destroy();
}

#[test]
fn a_version_without_a_secret_is_refused() {
    if !crate::version_matrix::requires(1, 11, "write-only attributes") {
        return;
    }
    let env = TestEnv::new();
    let agent = api_agent(&env);
    let wd = env.workdir();
    wd.write_config(&resource_block(
        "halopsa_api_application",
        "app",
        &[
            ("name", json!("Write-only").to_string()),
            ("login_as_agent_id", json!(agent).to_string()),
            ("client_secret_wo_version", "1".to_string()),
        ],
    ));
    wd.assert_plan_rejects(ADDR, "client_secret_wo");
    assert_eq!(env.halo_writes(), 0);
}
