//! Acceptance tests of `halopsa_api_setting`: keys of Halo's `Control` and of a
//! `Features` module, managed key by key; destroy leaves Halo's values.

use crate::support::{Action, TestEnv};
use serde_json::json;

const ADDR: &str = "halopsa_api_setting.branding";

fn config(colour: &str) -> String {
    format!(
        r##"
resource "halopsa_api_setting" "branding" {{
  path = "Control"
  body = {{ app_colour = "{colour}" }}
}}
"##
    )
}

#[test]
fn control_keys_are_managed_alone_and_kept_at_destroy() {
    let env = TestEnv::new();
    env.sim.insert_generic(
        "Control",
        json!({"app_colour": "#ffffff", "atera_url": "https://atera"}),
    );
    let wd = env.applied(&config("#1d4ed8"));
    let control = &env.sim.generic_objects("Control")[0];
    assert_eq!(control["app_colour"], "#1d4ed8");
    assert_eq!(
        control["atera_url"], "https://atera",
        "other keys are left alone"
    );
    assert_eq!(wd.resource(ADDR)["id"], "Control");
    wd.assert_plan_clean();

    // Another key changed in Halo: no diff; the managed one: drift.
    env.sim
        .patch_generic("Control", "", json!({"atera_url": "https://new"}));
    wd.assert_plan_clean();
    env.sim
        .patch_generic("Control", "", json!({"app_colour": "#000000"}));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    assert_eq!(
        env.sim.generic_objects("Control")[0]["app_colour"],
        "#1d4ed8"
    );

    // Destroy sends nothing and leaves the values.
    let writes = env.halo_writes();
    wd.destroy();
    assert_eq!(env.halo_writes(), writes, "destroy wrote to Halo");
    assert_eq!(
        env.sim.generic_objects("Control")[0]["app_colour"],
        "#1d4ed8"
    );
}

#[test]
fn a_features_module_and_bad_keys() {
    let env = TestEnv::new();
    let module = env
        .sim
        .insert_generic("Features", json!({"name": "Projects", "enabled": false}));
    let id = crate::support::id_of(&module);
    let wd = env.applied(&format!(
        r#"
resource "halopsa_api_setting" "projects" {{
  path      = "Features"
  object_id = "{id}"
  body      = {{ enabled = true }}
}}
"#
    ));
    assert_eq!(env.sim.generic_objects("Features")[0]["enabled"], true);
    wd.assert_plan_clean();

    let wd = env.workdir();
    wd.write_config(
        r#"
resource "halopsa_api_setting" "bad" {
  path = "Control"
  body = { app_colur = "black" }
}
"#,
    );
    let err = wd
        .plan_err()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        err.contains("body.app_colur") && err.contains("Did you mean \"app_colour\"?"),
        "{err}"
    );
    wd.write_config(
        r#"
resource "halopsa_api_setting" "bad" {
  path = "Controls"
  body = { app_colour = "black" }
}
"#,
    );
    let err = wd
        .plan_err()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(err.contains("Did you mean \"Control\"?"), "{err}");
}
