//! The bad-input table (issue: reliability and security): every bad value a user
//! can write gives one clear error naming the attribute or setting, through real
//! Terraform, and Halo sees no write.

use crate::support::{Kind, TestEnv};
use serde_json::json;

/// How the case is run.
enum Run {
    Plan,
    Apply,
    Import {
        addr: &'static str,
        id: &'static str,
    },
}

struct Case {
    what: &'static str,
    hcl: String,
    run: Run,
    /// Text the error must contain: the attribute or setting it is about.
    names: &'static str,
}

fn case(what: &'static str, run: Run, names: &'static str, hcl: &str) -> Case {
    Case {
        what,
        hcl: hcl.to_string(),
        run,
        names,
    }
}

#[test]
fn every_bad_input_is_one_clear_error_and_nothing_is_written() {
    let env = TestEnv::new();
    let agent_id = env.sim_insert(
        Kind::Agent,
        json!({"name": "bad-input-agent", "isapiagent": true}),
    );
    let long = "x".repeat(256);
    let cases = vec![
        case(
            "empty name",
            Run::Plan,
            "name",
            r#"resource "halopsa_organisation" "o" { name = "" }"#,
        ),
        case(
            "over-long name",
            Run::Plan,
            "name",
            &format!(
                r#"resource "halopsa_team" "t" {{
  name          = "{long}"
  department_id = "1"
}}"#
            ),
        ),
        case(
            "unknown scope",
            Run::Plan,
            "permissions",
            &format!(
                r#"resource "halopsa_api_application" "a" {{
  name              = "Bad scope"
  login_as_agent_id = "{agent_id}"
  permissions       = ["read:tickets", "read:everything"]
}}"#
            ),
        ),
        case(
            "unknown access level",
            Run::Plan,
            "tickets_access",
            r#"resource "halopsa_role" "r" {
  name        = "Bad access"
  permissions = { tickets_access = "everything" }
}"#,
        ),
        case(
            "unknown membership level",
            Run::Plan,
            "membership_level",
            r#"resource "halopsa_role_department" "m" {
  role_id          = "00000000-0000-0000-0000-000000000001"
  department_id    = "1"
  membership_level = "owner"
}"#,
        ),
        case(
            "unknown authentication method",
            Run::Plan,
            "authentication_method",
            r#"resource "halopsa_api_application" "a" {
  name                  = "Bad method"
  authentication_method = "password"
}"#,
        ),
        case(
            "login_as_agent_id missing with client_credentials",
            Run::Plan,
            "login_as_agent_id",
            r#"resource "halopsa_api_application" "a" {
  name        = "No agent"
  permissions = ["read:tickets"]
}"#,
        ),
        case(
            "a referenced organisation that does not exist",
            Run::Apply,
            "organisation_id",
            r#"resource "halopsa_department" "d" {
  name            = "Orphan"
  organisation_id = "9999"
}"#,
        ),
        case(
            "a referenced login agent that does not exist",
            Run::Apply,
            "login_as_agent_id",
            r#"resource "halopsa_api_application" "a" {
  name              = "Ghost agent"
  login_as_agent_id = "9999"
}"#,
        ),
        case(
            "a malformed membership import id",
            Run::Import {
                addr: "halopsa_role_department.m",
                id: "no-slash-here",
            },
            "ROLE_ID/DEPARTMENT_ID",
            r#"resource "halopsa_role_department" "m" {
  role_id          = "00000000-0000-0000-0000-000000000001"
  department_id    = "1"
  membership_level = "read_only"
}"#,
        ),
        case(
            "a malformed organisation import id",
            Run::Import {
                addr: "halopsa_organisation.o",
                id: "abc",
            },
            "id",
            r#"resource "halopsa_organisation" "o" { name = "Imported" }"#,
        ),
        case(
            "a non-loopback http url",
            Run::Plan,
            "url",
            r#"provider "halopsa" { url = "http://halo.example.com" }
resource "halopsa_organisation" "o" { name = "Insecure" }"#,
        ),
        case(
            "wrong credentials",
            Run::Apply,
            "client_secret",
            r#"provider "halopsa" { client_secret = "wrong" }
resource "halopsa_organisation" "o" { name = "Wrong creds" }"#,
        ),
        case(
            "an unreachable url",
            Run::Apply,
            "url",
            r#"provider "halopsa" {
  url                     = "http://127.0.0.1:9"
  max_retries             = 0
  request_timeout_seconds = 2
}
resource "halopsa_organisation" "o" { name = "Unreachable" }"#,
        ),
    ];

    let mut failures = Vec::new();
    for c in cases {
        env.sim.clear_journal();
        let wd = env.workdir();
        wd.write_config(&c.hcl);
        let out = match c.run {
            Run::Plan => wd.run(&["plan", "-no-color", "-input=false"], &[]),
            Run::Apply => wd.run(
                &["apply", "-auto-approve", "-no-color", "-input=false"],
                &[],
            ),
            Run::Import { addr, id } => {
                wd.run(&["import", "-no-color", "-input=false", addr, id], &[])
            }
        };
        let text = out.combined();
        let errors = text.matches("Error: ").count();
        let writes: Vec<_> = env
            .sim
            .journal()
            .into_iter()
            .filter(|e| {
                e.method != "GET" && e.path.starts_with("/api/") && (200..300).contains(&e.status)
            })
            .map(|e| format!("{} {}", e.method, e.path))
            .collect();
        if out.success() {
            failures.push(format!("{}: terraform succeeded\n{out}", c.what));
        } else if !text.contains(c.names) {
            failures.push(format!(
                "{}: the error does not name {:?}\n{text}",
                c.what, c.names
            ));
        } else if errors != 1 {
            failures.push(format!(
                "{}: {errors} errors instead of one\n{text}",
                c.what
            ));
        } else if !writes.is_empty() {
            failures.push(format!("{}: Halo saw writes {writes:?}", c.what));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
