//! Acceptance tests of the provider's functions (Terraform 1.8+):
//! `provider::halopsa::membership_id` and `provider::halopsa::parse_membership_id`.

use crate::support::TestEnv;
use serde_json::json;

#[test]
fn both_functions_return_their_values() {
    if !crate::version_matrix::requires(1, 8, "provider functions") {
        return;
    }
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(
        r#"
output "joined" {
  value = provider::halopsa::membership_id("0c5e2a1b-7a43-4c2e-9d1e-2f1d6c9a7b10", "12")
}

output "parsed" {
  value = provider::halopsa::parse_membership_id("0c5e2a1b-7a43-4c2e-9d1e-2f1d6c9a7b10/12")
}

output "round_trip" {
  value = provider::halopsa::parse_membership_id(provider::halopsa::membership_id("7", "3")).parent_id
}
"#,
    );
    wd.apply();
    assert_eq!(
        wd.output("joined"),
        json!("0c5e2a1b-7a43-4c2e-9d1e-2f1d6c9a7b10/12")
    );
    assert_eq!(
        wd.output("parsed"),
        json!({"parent_id": "0c5e2a1b-7a43-4c2e-9d1e-2f1d6c9a7b10", "department_id": "12"})
    );
    assert_eq!(wd.output("round_trip"), json!("7"));
    assert_eq!(env.halo_writes(), 0, "functions never call Halo");
}

#[test]
fn a_malformed_membership_id_is_a_clear_error() {
    if !crate::version_matrix::requires(1, 8, "provider functions") {
        return;
    }
    let env = TestEnv::new();
    let cases = [
        (
            r#"provider::halopsa::parse_membership_id("12")"#,
            r#""12" has no "/""#,
        ),
        (
            r#"provider::halopsa::parse_membership_id("abc/x")"#,
            "is not a whole number of at least 1",
        ),
        (
            r#"provider::halopsa::parse_membership_id("/4")"#,
            "before \"/\" is empty",
        ),
        (
            r#"provider::halopsa::membership_id("abc", "0")"#,
            "is not a whole number of at least 1",
        ),
    ];
    for (call, expected) in cases {
        let wd = env.workdir();
        wd.write_config(&format!("output \"x\" {{\n  value = {call}\n}}\n"));
        let err = wd.plan_err();
        let flat = err.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(expected) && flat.contains("Error"),
            "{call}: expected an error saying {expected:?}, got:\n{err}"
        );
    }
}
