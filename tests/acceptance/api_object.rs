//! Acceptance tests of `halopsa_api_object` (resource, data source, list block)
//! through real Terraform against halo-sim, which serves every family of Halo's
//! OpenAPI document generically.

use crate::support::{id_of, listed_ids, Action, TestEnv};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_api_object.incident";

fn ticket_type(extra: &str) -> String {
    format!(
        r#"
resource "halopsa_api_object" "incident" {{
  path = "TicketType"
  body = {{
    name     = "Incident"
    sequence = 1
{extra}
  }}
}}
"#
    )
}

fn halo(env: &TestEnv, family: &str, id: &str) -> Value {
    env.sim
        .generic_objects(family)
        .into_iter()
        .find(|o| id_of(o) == id)
        .unwrap_or_else(|| panic!("no {family} {id} in halo-sim"))
}

#[test]
fn create_update_in_place_drift_and_unmanaged_fields() {
    let env = TestEnv::new();
    let wd = env.applied(&ticket_type(""));
    let id = wd.resource_id(ADDR);
    let obj = halo(&env, "TicketType", &id);
    assert_eq!(obj["name"], "Incident");
    assert_eq!(obj["sequence"], 1);
    let state = wd.resource(ADDR);
    assert_eq!(state["path"], "TicketType");
    assert_eq!(state["body"], json!({"name": "Incident", "sequence": 1}));
    wd.assert_plan_clean();

    // Halo adds and changes fields the body does not manage: no diff.
    assert!(env.sim.patch_generic(
        "TicketType",
        &id,
        json!({"guid": "changed", "visible": true, "group_id": 4})
    ));
    wd.assert_plan_clean();
    assert!(
        wd.resource(ADDR)["body"].get("visible").is_none(),
        "an unmanaged field is not refreshed into state"
    );

    // A managed key changed in Halo is drift, and apply puts it back in place.
    assert!(env
        .sim
        .patch_generic("TicketType", &id, json!({"sequence": 9})));
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Update);
    wd.apply();
    assert_eq!(halo(&env, "TicketType", &id)["sequence"], 1);
    wd.assert_plan_clean();

    // A new key is an update in place: same id, the unmanaged fields kept.
    wd.write_config(&ticket_type("    allowattachments = true"));
    wd.plan_json().assert_only(ADDR, Action::Update);
    wd.apply();
    assert_eq!(wd.resource_id(ADDR), id);
    let obj = halo(&env, "TicketType", &id);
    assert_eq!(obj["allowattachments"], true);
    assert_eq!(obj["group_id"], 4, "Halo's own fields are left alone");
    wd.assert_plan_clean();

    wd.destroy();
    assert!(env.sim.generic_objects("TicketType").is_empty());
}

#[test]
fn a_new_path_replaces_the_object() {
    let env = TestEnv::new();
    let wd = env.applied(&ticket_type(""));
    let id = wd.resource_id(ADDR);
    wd.write_config(
        r#"
resource "halopsa_api_object" "incident" {
  path = "Category"
  body = { value = "Incident" }
}
"#,
    );
    let plan = wd.plan_json();
    plan.assert_only(ADDR, Action::Replace);
    wd.apply();
    assert!(
        env.sim.generic_objects("TicketType").is_empty(),
        "the old object is deleted"
    );
    let cats = env.sim.generic_objects("Category");
    assert_eq!(cats.len(), 1);
    assert_eq!(cats[0]["value"], "Incident");
    assert_eq!(wd.resource(ADDR)["path"], "Category");
    let _ = id;
    wd.assert_plan_clean();
}

#[test]
fn import_by_id_and_by_identity_plan_clean_and_write_nothing() {
    let env = TestEnv::new();
    let obj = env.sim.insert_generic(
        "TicketType",
        json!({"name": "Problem", "sequence": 3, "_warning": "x"}),
    );
    let id = id_of(&obj);
    let config = r#"
resource "halopsa_api_object" "incident" {
  path = "TicketType"
  body = {
    name     = "Problem"
    sequence = 3
  }
}
"#;
    let import_id = format!("TicketType/{id}");
    let expected = {
        let wd = env.workdir();
        wd.write_config(config);
        wd.import(ADDR, &import_id);
        let state = wd.resource(ADDR);
        assert_eq!(state["id"], json!(id));
        assert_eq!(state["body"], json!({"name": "Problem", "sequence": 3}));
        wd.assert_plan_clean();
        state
    };
    env.assert_imports(config, &[(ADDR, import_id.as_str())], ADDR, &expected);

    // By identity: `{ path = "TicketType", id = "ID" }`.
    let writes = env.halo_writes();
    let wd = env.workdir();
    wd.write_config(&format!(
        "import {{\n  to       = {ADDR}\n  identity = {{ path = \"TicketType\", id = \"{id}\" }}\n}}\n{config}"
    ));
    wd.apply();
    assert_eq!(wd.resource(ADDR), expected);
    wd.assert_plan_clean();
    assert_eq!(env.halo_writes(), writes);

    // Ids that name no family or no object are refused.
    let wd = env.workdir();
    wd.write_config(config);
    let err = wd.import_err(ADDR, "TiketType/1");
    assert!(
        err.contains("TicketType"),
        "the nearest family is suggested: {err}"
    );
    let err = wd.import_err(ADDR, &format!("TicketType/{id}999"));
    assert!(
        err.contains("non-existent") || err.contains("no halopsa_api_object"),
        "{err}"
    );
    let err = wd.import_err(ADDR, "12");
    assert!(err.contains("PATH/ID"), "{err}");
}

#[test]
fn unknown_keys_and_paths_are_refused_at_plan_with_a_suggestion() {
    let env = TestEnv::new();
    let cases = [
        (
            r#"path = "TiketType"
  body = { name = "x" }"#,
            "\"TiketType\"",
            "Did you mean \"TicketType\"?",
        ),
        (
            r#"path = "TicketType"
  body = { nmae = "x" }"#,
            "body.nmae",
            "Did you mean \"name\"?",
        ),
        (
            r#"path = "SLA"
  body = {
    name       = "Gold"
    priorities = [{ name = "P1" }, { name = "P2", responstime = 4 }]
  }"#,
            "body.priorities[1].responstime",
            "Did you mean \"responsetime\"?",
        ),
        (
            r#"path = "TicketType"
  body = { id = 3, name = "x" }"#,
            "body.id",
            "import it",
        ),
    ];
    for (body, names, hint) in cases {
        let wd = env.workdir();
        wd.write_config(&format!(
            "resource \"halopsa_api_object\" \"incident\" {{\n  {body}\n}}\n"
        ));
        let err = wd
            .plan_err()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(err.contains(names), "the error names {names}: {err}");
        assert!(err.contains(hint), "the error suggests: {hint}\n{err}");
        let err = wd.apply_err();
        assert!(err.contains(names), "{err}");
    }
    assert_eq!(
        env.request_count("POST", "/api/"),
        0,
        "nothing is sent:\n{}",
        env.journal_summary()
    );
}

#[test]
fn sensitive_body_is_sent_and_lands_nowhere() {
    if !crate::version_matrix::requires(1, 11, "write-only attributes") {
        return;
    }
    let env = TestEnv::new();
    let secret = "mbx-pass-9f3c1a77e2";
    let config = |version: u32| {
        format!(
            r#"
variable "password" {{
  type      = string
  sensitive = true
  ephemeral = true
}}

resource "halopsa_api_object" "mailbox" {{
  path                   = "Mailbox"
  body                   = {{ name = "Support", username = "support@example.com" }}
  sensitive_body         = {{ password = var.password }}
  sensitive_body_version = "{version}"
}}
"#
        )
    };
    let wd = env.workdir();
    wd.write_config(&config(1));
    wd.write_file(
        "secret.auto.tfvars",
        &format!("password = {}\n", json!(secret)),
    );
    let plan = wd.plan_json();
    assert!(
        !plan.json.to_string().contains(secret),
        "the secret is in the plan"
    );
    let (out, log) = crate::write_only::traced(
        &wd,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let mailbox = &env.sim.generic_objects("Mailbox")[0];
    assert_eq!(mailbox["password"], secret, "Halo received the secret");
    assert_eq!(mailbox["name"], "Support");
    crate::write_only::assert_nowhere(
        &wd,
        secret,
        &[("apply output", &out), ("the trace log", &log)],
    );
    let state = wd.resource("halopsa_api_object.mailbox");
    assert_eq!(state["sensitive_body"], json!(null));
    wd.assert_plan_clean();

    // A new version sends it again, in place.
    assert!(env
        .sim
        .patch_generic("Mailbox", &id_of(mailbox), json!({"password": "old"})));
    wd.write_config(&config(2));
    wd.plan_json()
        .assert_only("halopsa_api_object.mailbox", Action::Update);
    wd.apply();
    assert_eq!(env.sim.generic_objects("Mailbox")[0]["password"], secret);
    wd.assert_plan_clean();
}

#[test]
fn references_wire_objects_and_output_exports_answer_values() {
    let env = TestEnv::new();
    let wd = env.applied(
        r##"
resource "halopsa_api_object" "open" {
  path                   = "Status"
  body                   = { name = "Open", colour = "#00ff00" }
  response_export_values = ["guid"]
}

resource "halopsa_api_object" "incident" {
  path = "TicketType"
  body = {
    name           = "Incident"
    allowed_status = [{ status_id = tonumber(halopsa_api_object.open.id) }]
  }
}

resource "halopsa_api_object" "gold" {
  path = "SLA"
  body = {
    name = "Gold"
    priorities = [
      { name = "P1", responsetime = 1, fixtime = 4 },
      { name = "P2", responsetime = 4, fixtime = 24 },
    ]
  }
}
"##,
    );
    let status_id = wd.resource_id("halopsa_api_object.open");
    let open = halo(&env, "Status", &status_id);
    assert_eq!(
        wd.resource("halopsa_api_object.open")["output"],
        json!({"guid": open["guid"]})
    );
    let tt = halo(&env, "TicketType", &wd.resource_id(ADDR));
    assert_eq!(tt["allowed_status"][0]["status_id"].to_string(), status_id);
    let sla = halo(&env, "SLA", &wd.resource_id("halopsa_api_object.gold"));
    assert_eq!(sla["priorities"].as_array().map(Vec::len), Some(2));
    wd.assert_plan_clean();

    // A nested managed key changed in Halo is drift.
    let mut priorities = sla["priorities"].clone();
    priorities[1]["fixtime"] = json!(48);
    env.sim
        .patch_generic("SLA", &id_of(&sla), json!({"priorities": priorities}));
    wd.plan_json()
        .assert_only("halopsa_api_object.gold", Action::Update);
}

#[test]
fn the_data_source_finds_by_id_and_by_exact_name() {
    let env = TestEnv::new();
    let a = env.sim.insert_generic(
        "Outcome",
        json!({"buttonname": "Escalate", "outcome": "Escalate"}),
    );
    env.sim.insert_generic(
        "Outcome",
        json!({"buttonname": "Escalate later", "outcome": "Escalate later"}),
    );
    let wd = env.applied(&format!(
        r#"
data "halopsa_api_object" "by_id" {{
  path = "Outcome"
  id   = "{}"
}}

data "halopsa_api_object" "by_name" {{
  path = "Outcome"
  name = "Escalate"
}}

output "by_name_id" {{ value = data.halopsa_api_object.by_name.id }}
output "button" {{ value = data.halopsa_api_object.by_id.output.buttonname }}
"#,
        id_of(&a)
    ));
    let outputs = wd.run_ok(&["output", "-json"]);
    let outputs: Value = serde_json::from_str(&outputs).expect("outputs JSON");
    assert_eq!(outputs["by_name_id"]["value"], json!(id_of(&a)));
    assert_eq!(outputs["button"]["value"], "Escalate");

    let wd = env.workdir();
    wd.write_config(
        r#"
data "halopsa_api_object" "missing" {
  path = "Outcome"
  name = "Nope"
}
"#,
    );
    let err = wd.plan_err();
    assert!(err.contains("No Outcome is named"), "{err}");
}

#[test]
fn query_of_250_ticket_types_over_three_pages_generates_config_that_imports_clean() {
    let env = TestEnv::new();
    for i in 0..250 {
        env.sim.insert_generic(
            "TicketType",
            json!({"name": format!("Type {i:03}"), "sequence": i, "group_id": 2,
                   "group_name": "Derived", "_warning": "flag", "guid": format!("g-{i}")}),
        );
    }
    let wd = env.workdir();
    wd.write_config("");
    wd.write_file(
        "all.tfquery.hcl",
        r#"
list "halopsa_api_object" "types" {
  provider         = halopsa
  include_resource = true
  limit            = 1000
  config {
    path = "TicketType"
  }
}
"#,
    );
    let out = wd.run_ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    assert_eq!(
        listed_ids(&out, "halopsa_api_object", "types").len(),
        250,
        "{out}"
    );
    let pages = env
        .sim
        .journal()
        .iter()
        .filter(|e| e.method == "GET" && e.path.eq_ignore_ascii_case("/api/TicketType"))
        .count();
    assert_eq!(pages, 3, "250 objects are three pages of 100");
    let generated = std::fs::read_to_string(wd.path.join("generated.tf")).expect("generated.tf");
    assert_eq!(
        generated.matches("resource \"halopsa_api_object\"").count(),
        250
    );
    assert!(generated.contains("group_id"), "{generated}");
    for derived in ["group_name", "_warning", "guid"] {
        assert!(
            !generated.contains(derived),
            "{derived} is not writable:\n{generated}"
        );
    }
    let posts = env.request_count("POST", "/api/");
    let applied = wd.apply();
    assert!(
        applied.contains("250 imported, 0 added, 0 changed, 0 destroyed"),
        "{applied}"
    );
    assert_eq!(
        env.request_count("POST", "/api/"),
        posts,
        "importing wrote to Halo"
    );
    wd.assert_plan_clean();
}

#[test]
fn the_api_object_example_applies_wires_references_and_plans_clean() {
    let env = TestEnv::new();
    let wd = env.workdir();
    crate::support::use_example(&wd, "api-object");
    // A new tenant's built-in statuses are not the example's.
    let built_in: Vec<String> = env
        .sim
        .generic_objects("Status")
        .iter()
        .map(id_of)
        .collect();
    wd.apply();
    let statuses: Vec<Value> = env
        .sim
        .generic_objects("Status")
        .into_iter()
        .filter(|s| !built_in.contains(&id_of(s)))
        .collect();
    assert_eq!(statuses.len(), 2);
    let tt = &env.sim.generic_objects("TicketType")[0];
    let mut allowed: Vec<String> = tt["allowed_status"]
        .as_array()
        .map(|a| a.iter().map(|s| s["status_id"].to_string()).collect())
        .unwrap_or_default();
    allowed.sort();
    let mut ids: Vec<String> = statuses.iter().map(id_of).collect();
    ids.sort();
    assert_eq!(allowed, ids, "the ticket type allows both statuses");
    let sla = &env.sim.generic_objects("SLA")[0];
    assert_eq!(sla["priorities"].as_array().map(Vec::len), Some(2));
    let outcome = &env.sim.generic_objects("Outcome")[0];
    let method = &env.sim.generic_objects("CustomIntegrationMethod")[0];
    let integration = &env.sim.generic_objects("CustomIntegration")[0];
    assert_eq!(method["integration_id"], integration["id"]);
    assert_eq!(method["uri_params"][0]["value"], json!(id_of(outcome)));
    wd.assert_plan_clean();
    wd.destroy();
    assert_eq!(
        env.sim.generic_objects("Status").len(),
        built_in.len(),
        "Status left behind"
    );
    for family in [
        "TicketType",
        "SLA",
        "Outcome",
        "CustomIntegration",
        "CustomIntegrationMethod",
    ] {
        assert!(
            env.sim.generic_objects(family).is_empty(),
            "{family} left behind"
        );
    }
}
