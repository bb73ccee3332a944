//! Proves the harness itself, without the provider: Terraform runs through the
//! harness and a configuration that needs only Terraform's built-in provider
//! applies and then plans clean.

use crate::support::TestEnv;

#[test]
fn terraform_version_is_1_15() {
    let env = TestEnv::new();
    let wd = env.workdir();
    let version = wd.run_ok(&["version", "-json"]);
    let version: serde_json::Value = serde_json::from_str(&version).expect("version JSON");
    let number = version["terraform_version"].as_str().unwrap_or_default();
    assert!(
        number.starts_with("1.15."),
        "expected Terraform 1.15, got {version}"
    );
}

#[test]
fn builtin_resource_applies_and_plans_clean() {
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config_raw(
        r#"
resource "terraform_data" "greeting" {
  input = "hello"
}

output "greeting" {
  value = terraform_data.greeting.output
}
"#,
    );

    assert_eq!(wd.plan_exit_code(), 2, "a first plan has changes");
    let applied = wd.apply();
    assert!(applied.contains("1 added"), "apply output:\n{applied}");
    wd.assert_plan_clean();

    assert_eq!(wd.output("greeting"), "hello");
    assert_eq!(wd.resource("terraform_data.greeting")["input"], "hello");
    assert_eq!(wd.resource_addresses(), ["terraform_data.greeting"]);

    wd.destroy();
    assert!(wd.try_resource("terraform_data.greeting").is_none());
}
