//! Acceptance tests of the ephemeral resource `halopsa_access_token`
//! (Terraform 1.10+): a real token from Halo's token endpoint, fed into a
//! write-only attribute (Terraform 1.11+), that works and lands nowhere.

use crate::support::{Action, TestEnv};
use crate::write_only::{api_agent, assert_nowhere, token_status, traced};

const ADDR: &str = "halopsa_api_application.app";

fn config(agent: &str) -> String {
    format!(
        r#"
ephemeral "halopsa_access_token" "t" {{}}

ephemeral "halopsa_access_token" "narrow" {{
  scope = "read:tickets"
}}

resource "halopsa_api_application" "app" {{
  name                     = "Token-fed"
  login_as_agent_id        = "{agent}"
  client_secret_wo         = ephemeral.halopsa_access_token.t.access_token
  client_secret_wo_version = 1

  lifecycle {{
    precondition {{
      condition     = can(regex("^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}Z$", ephemeral.halopsa_access_token.t.expires_at))
      error_message = "expires_at is not RFC 3339: ${{ephemeral.halopsa_access_token.t.expires_at}}"
    }}
    precondition {{
      condition     = ephemeral.halopsa_access_token.t.scope == "all" && ephemeral.halopsa_access_token.narrow.scope == "read:tickets"
      error_message = "the scopes asked for are not the scopes answered"
    }}
  }}
}}
"#
    )
}

#[test]
fn an_ephemeral_token_feeds_a_write_only_secret_and_lands_nowhere() {
    if !crate::version_matrix::requires(1, 11, "ephemeral resources fed into write-only attributes")
    {
        return;
    }
    let env = TestEnv::new();
    let agent = api_agent(&env);
    let wd = env.workdir();
    wd.write_config(&config(&agent));

    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Create);
    let (out, log) = traced(
        &wd,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let state = wd.resource(ADDR);
    assert_eq!(state["client_secret"], serde_json::Value::Null);
    let client_id = state["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();

    // Halo issued the token (halo-sim's list of tokens), and the application
    // now has it as its secret: its credentials work.
    let issued = env.sim.issued_tokens();
    let fed: Vec<&String> = issued
        .iter()
        .filter(|t| token_status(&env, &client_id, t) == 200)
        .collect();
    assert_eq!(
        fed.len(),
        1,
        "exactly one issued token should be the application's secret"
    );
    let plan_text = plan.json.to_string();
    for token in &issued {
        assert_nowhere(
            &wd,
            token,
            &[
                ("the plan JSON", &plan_text),
                ("apply output", &out),
                ("the trace log", &log),
            ],
        );
    }
    // A new token each run, but the version is unchanged: nothing to do.
    wd.assert_plan_clean();
    wd.destroy();
}

#[test]
fn a_token_is_refused_a_bad_scope_before_halo_is_asked() {
    if !crate::version_matrix::requires(1, 11, "ephemeral resources fed into write-only attributes")
    {
        return;
    }
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(
        r#"
ephemeral "halopsa_access_token" "t" {
  scope = ""
}
"#,
    );
    let err = wd.plan_err();
    assert!(err.contains("scope"), "{err}");
    assert_eq!(env.request_count("POST", "/auth/token"), 0);
}
