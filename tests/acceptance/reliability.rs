//! The fault matrix: Halo answering 5xx, 429, dropping connections after a
//! write, and tokens expiring, during create, read, update and delete, through
//! real Terraform. Every run must converge with no duplicate and no orphan.

use crate::support::{Kind, TestEnv, Workdir};
use halo_sim::{Fault, FaultAction};

const PATH: &str = "/api/Organisation";

fn fault(method: &str, path_prefix: &str, count: u32, action: FaultAction) -> Fault {
    Fault {
        method: Some(method.to_string()),
        path_prefix: path_prefix.to_string(),
        count,
        action,
    }
}

fn status(code: u16) -> FaultAction {
    FaultAction::Status {
        status: code,
        retry_after_secs: None,
    }
}

/// A workdir with one organisation configured; fast retries so the matrix stays quick.
fn org_workdir(env: &TestEnv, name: &str) -> Workdir {
    let wd = env.workdir();
    wd.write_config(&format!(
        r#"
provider "halopsa" {{
  max_retries = 4
}}

resource "halopsa_organisation" "o" {{
  name  = "{name}"
  email = "ops@example.com"
}}
"#
    ));
    wd
}

fn organisations_named(env: &TestEnv, name: &str) -> usize {
    env.sim_objects_named(Kind::Organisation, name).len()
}

#[test]
fn create_survives_transient_errors_without_duplicates() {
    for (what, action) in [
        ("503", status(503)),
        ("502", status(502)),
        (
            "429 with Retry-After",
            FaultAction::Status {
                status: 429,
                retry_after_secs: Some(1),
            },
        ),
        (
            "a dropped answer after the write",
            FaultAction::CommitThenDrop,
        ),
    ] {
        let env = TestEnv::new();
        let wd = org_workdir(&env, "Faulty Create");
        env.sim.inject(fault("POST", PATH, 2, action));
        wd.apply();
        assert_eq!(
            organisations_named(&env, "Faulty Create"),
            1,
            "{what}: exactly one object\n{}",
            env.journal_summary()
        );
        let id = wd.resource("halopsa_organisation.o")["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!id.is_empty(), "{what}: the object is tracked in state");
        wd.assert_plan_clean();
    }
}

#[test]
fn read_update_and_delete_survive_transient_errors() {
    let env = TestEnv::new();
    let wd = org_workdir(&env, "Steady");
    wd.apply();

    // Refresh with the list and single reads failing twice.
    env.sim.inject(fault("GET", PATH, 2, status(503)));
    wd.assert_plan_clean();

    // Update through a 504 and a dropped answer (updates are idempotent).
    wd.write_config(
        r#"
provider "halopsa" {
  max_retries = 4
}

resource "halopsa_organisation" "o" {
  name  = "Steady"
  email = "desk@example.com"
}
"#,
    );
    env.sim.inject(fault("POST", PATH, 1, status(504)));
    env.sim
        .inject(fault("POST", PATH, 1, FaultAction::CommitThenDrop));
    wd.apply();
    let halo = env.sim_objects_named(Kind::Organisation, "Steady");
    assert_eq!(halo.len(), 1);
    assert_eq!(halo[0]["email"], "desk@example.com");
    wd.assert_plan_clean();

    // Delete through a 503 and a dropped answer.
    env.sim.inject(fault("DELETE", PATH, 1, status(503)));
    env.sim
        .inject(fault("DELETE", PATH, 1, FaultAction::CommitThenDrop));
    wd.destroy();
    assert_eq!(organisations_named(&env, "Steady"), 0);
}

#[test]
fn an_expired_token_is_renewed_once_mid_apply() {
    let env = TestEnv::new();
    let wd = org_workdir(&env, "Token A");
    wd.apply();
    env.sim.revoke_tokens();
    wd.write_config(
        r#"
resource "halopsa_organisation" "o" {
  name = "Token B"
}
"#,
    );
    env.sim.clear_journal();
    wd.apply();
    assert_eq!(organisations_named(&env, "Token B"), 1);
    let token_requests = env.request_count("POST", "/auth/token");
    assert!(
        token_requests >= 1,
        "a new token was fetched\n{}",
        env.journal_summary()
    );
    let unauthorised = env.sim.journal().iter().filter(|e| e.status == 401).count();
    assert!(
        unauthorised <= 1,
        "at most one 401 per process before re-authenticating\n{}",
        env.journal_summary()
    );
}

#[test]
fn retries_running_out_is_a_clear_error_and_nothing_half_created() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(
        r#"
provider "halopsa" {
  max_retries = 1
}

resource "halopsa_organisation" "o" {
  name = "Never"
}
"#,
    );
    env.sim.inject(fault("POST", PATH, 20, status(503)));
    let err = wd.apply_err();
    assert!(
        err.contains("POST /api/Organisation"),
        "the error names the request:\n{err}"
    );
    assert!(
        err.contains("503"),
        "the error carries Halo's status:\n{err}"
    );
    assert_eq!(organisations_named(&env, "Never"), 0);
    assert!(
        wd.try_resource("halopsa_organisation.o").is_none(),
        "nothing in state"
    );
    env.sim.clear_faults();
    wd.apply();
    assert_eq!(organisations_named(&env, "Never"), 1);
}

#[test]
fn memberships_applied_in_parallel_land_despite_faults() {
    let env = TestEnv::new();
    let org = env.sim.objects(Kind::Organisation)[0]["id"].clone();
    let departments: Vec<String> = (0..10)
        .map(|i| {
            env.sim_insert(
                Kind::Department,
                serde_json::json!({"name": format!("Fault Dept {i}"), "organisation_id": org}),
            )
        })
        .collect();
    let role_id = env.sim_insert(Kind::Role, serde_json::json!({"name": "Faulty Role"}));
    let wd = env.workdir();
    wd.write_config(&format!(
        r#"
provider "halopsa" {{
  max_retries = 6
}}

resource "halopsa_role_department" "m" {{
  for_each         = toset({departments})
  role_id          = "{role_id}"
  department_id    = each.value
  membership_level = "modify_all"
}}
"#,
        departments = serde_json::to_string(&departments).unwrap_or_default()
    ));
    env.sim.inject(fault("POST", "/api/Roles", 3, status(503)));
    env.sim
        .inject(fault("POST", "/api/Roles", 2, FaultAction::CommitThenDrop));
    env.sim.inject(fault("GET", "/api/Roles", 2, status(502)));
    wd.apply_with(&["-parallelism=10"]);
    let stored = env.sim_one_named(Kind::Role, "Faulty Role");
    let mut landed: Vec<String> = stored["departments"]
        .as_array()
        .map(|d| d.iter().map(|m| m["department_id"].to_string()).collect())
        .unwrap_or_default();
    landed.sort();
    let mut wanted = departments.clone();
    wanted.sort();
    assert_eq!(
        landed,
        wanted,
        "every membership landed exactly once\n{}",
        env.journal_summary()
    );
    wd.assert_plan_clean();
}
