//! The provider block: every bad setting is one clear error naming the setting
//! (and its environment variable), nothing is sent to Halo for it, and no secret
//! reaches a log even at `TF_LOG=trace`.

use crate::support::{Kind, SimOptions, TestEnv};

const ORG: &str = r#"
resource "halopsa_organisation" "o" {
  name = "Config Check"
}
"#;

/// Plans with the given provider block and environment; returns the error text.
fn plan_error(env: &TestEnv, provider_block: &str, extra_env: &[(&str, &str)]) -> String {
    let wd = env.workdir();
    wd.write_config(&format!("{provider_block}\n{ORG}"));
    let out = wd.run(&["plan", "-no-color", "-input=false"], extra_env);
    assert!(!out.success(), "plan should fail\n{out}");
    out.combined()
}

#[test]
fn missing_settings_name_the_attribute_and_its_environment_variable() {
    let env = TestEnv::new();
    for (attr, var) in [
        ("url", "HALOPSA_URL"),
        ("client_id", "HALOPSA_CLIENT_ID"),
        ("client_secret", "HALOPSA_CLIENT_SECRET"),
    ] {
        let err = plan_error(&env, "provider \"halopsa\" {}", &[(var, "")]);
        assert!(err.contains(&format!("Missing {attr}")), "{attr}:\n{err}");
        assert!(err.contains(var), "{attr} error names {var}:\n{err}");
    }
    assert!(
        env.sim.journal().is_empty(),
        "nothing was sent to Halo:\n{}",
        env.journal_summary()
    );
}

#[test]
fn plain_http_is_refused_unless_loopback() {
    let env = TestEnv::new();
    let err = plan_error(
        &env,
        r#"provider "halopsa" { url = "http://halo.example.com" }"#,
        &[],
    );
    assert!(err.contains("url"), "{err}");
    assert!(
        err.to_lowercase().contains("https"),
        "the error says https is needed:\n{err}"
    );
    let err = plan_error(
        &env,
        r#"provider "halopsa" { auth_url = "http://auth.example.com" }"#,
        &[],
    );
    assert!(err.contains("auth_url"), "{err}");
    assert!(env.sim.journal().is_empty());
}

#[test]
fn wrong_credentials_are_one_clear_error_and_nothing_is_created() {
    // A plan of new objects never calls Halo; the apply is where the credentials meet it.
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&format!(
        "provider \"halopsa\" {{ client_secret = \"not-the-secret\" }}\n{ORG}"
    ));
    let apply = wd.apply_err();
    assert!(apply.contains("client_secret"), "{apply}");
    assert!(apply.contains("rejected"), "{apply}");
    assert!(
        !apply.contains("not-the-secret"),
        "the secret is not echoed:\n{apply}"
    );
    assert!(env
        .sim_objects_named(Kind::Organisation, "Config Check")
        .is_empty());
}

#[test]
fn an_unreachable_url_is_a_clear_error() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&format!(
        "provider \"halopsa\" {{\n  url = \"http://127.0.0.1:9\"\n  max_retries = 1\n  request_timeout_seconds = 2\n}}\n{ORG}"
    ));
    let err = wd.apply_err();
    assert!(
        err.contains("127.0.0.1:9"),
        "the error names the address:\n{err}"
    );
    assert!(wd.try_resource("halopsa_organisation.o").is_none());
}

#[test]
fn trace_logs_hold_no_secret_or_token() {
    let secret = "PROVIDER-s3cret-7f3a9c";
    let env = TestEnv::with_options(SimOptions {
        client_secret: secret.to_string(),
        ..SimOptions::default()
    });
    let wd = env.workdir();
    let log = env.dir.path().join("trace.log");
    let log_path = log.to_string_lossy().to_string();
    let trace = [("TF_LOG", "trace"), ("TF_LOG_PATH", log_path.as_str())];
    wd.write_config(ORG);
    for args in [
        vec!["apply", "-auto-approve", "-no-color"],
        vec!["state", "rm", "halopsa_organisation.o"],
    ] {
        let out = wd.run(&args, &trace);
        assert!(out.success(), "{out}");
    }
    let id = env.sim_id_named(Kind::Organisation, "Config Check");
    let out = wd.run(
        &["import", "-no-color", "halopsa_organisation.o", &id],
        &trace,
    );
    assert!(out.success(), "{out}");
    let out = wd.run(&["destroy", "-auto-approve", "-no-color"], &trace);
    assert!(out.success(), "{out}");

    let text = std::fs::read_to_string(&log).expect("read the trace log");
    assert!(
        text.contains("provider.terraform-provider-halopsa"),
        "the log has provider lines"
    );
    assert!(
        !text.contains(secret),
        "the provider's client secret is in the trace log"
    );
    let tokens = env.sim.issued_tokens();
    assert!(!tokens.is_empty());
    for token in tokens {
        assert!(
            !text.contains(&token),
            "an access token is in the trace log"
        );
    }
}
