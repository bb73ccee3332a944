//! Acceptance tests of `halopsa_client` (a customer) and its data source: real
//! Terraform, the provider under test and halo-sim. Arguments (docs/resources/client.md): `name`
//! required; `department_id` optional (Halo's `toplevel_id`; a client moves between
//! departments in place); `inactive` optional, default false; `notes` optional;
//! `id` computed. Also: every field the provider sends for a client and for an API
//! application is a field of that endpoint's schema in Halo's OpenAPI document.

use std::collections::BTreeSet;

use crate::support::{
    id_of, listed_ids, Fixture, Kind, Lifecycle, Store, TestEnv, TWO_DEPARTMENTS,
};
use serde_json::{json, Value};

const ADDR: &str = "halopsa_client.globex";

const SUBJECT: Lifecycle = Lifecycle {
    fixture: Fixture {
        prelude: TWO_DEPARTMENTS,
        type_name: "halopsa_client",
        name: "globex",
    },
    store: Store::Kind(Kind::Client),
};

const BASIC: &[(&str, &str)] = &[
    ("name", "\"Globex\""),
    ("department_id", "halopsa_department.north.id"),
    ("notes", "\"Key account\""),
];

#[test]
fn created_in_a_department_updated_in_place_and_destroyed() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let north = env.sim_id_named(Kind::Department, "North");

    let halo = env.sim_one_named(Kind::Client, "Globex");
    assert_eq!(id_of(&halo), id);
    assert_eq!(
        halo["toplevel_id"].to_string(),
        north,
        "the department is Halo's top level"
    );
    assert_eq!(halo["inactive"], false);
    assert_eq!(halo["notes"], "Key account");
    let state = wd.resource(ADDR);
    assert_eq!(state["department_id"], north.as_str());
    assert_eq!(state["inactive"], false);
    assert_eq!(state["notes"], "Key account");
    wd.assert_plan_clean();

    // Renamed, moved, deactivated and re-noted: all in place, same id. Inactive
    // clients are hidden from Halo's lists unless asked for: the refresh after
    // still finds it (the plan is clean).
    SUBJECT.assert_updated_in_place(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Globex Corporation\""),
            ("department_id", "halopsa_department.south.id"),
            ("inactive", "true"),
            ("notes", "\"Former key account\""),
        ],
    );
    let south = env.sim_id_named(Kind::Department, "South");
    let halo = env.sim_one_named(Kind::Client, "Globex Corporation");
    assert_eq!(id_of(&halo), id, "the update replaced the client");
    assert_eq!(halo["toplevel_id"].to_string(), south);
    assert_eq!(halo["inactive"], true);
    assert_eq!(halo["notes"], "Former key account");

    // Notes and `inactive` left out: the notes are cleared, the client is active.
    SUBJECT.assert_reapplied(
        &env,
        &wd,
        &id,
        &[
            ("name", "\"Globex Corporation\""),
            ("department_id", "halopsa_department.south.id"),
        ],
    );
    let halo = env.sim_one_named(Kind::Client, "Globex Corporation");
    assert_eq!(halo["inactive"], false);
    assert!(
        halo["notes"].as_str().unwrap_or_default().is_empty(),
        "notes left out should be cleared: {halo}"
    );
    assert!(wd.resource(ADDR)["notes"].is_null());

    SUBJECT.assert_destroyed(&env, &wd, &id);
    assert!(env
        .sim_objects_named(Kind::Client, "Globex Corporation")
        .is_empty());
}

#[test]
fn import_with_block_and_with_command() {
    let env = TestEnv::new();
    let (created, id) = SUBJECT.create(&env, BASIC);
    let north = env.sim_id_named(Kind::Department, "North");
    let alone = format!(
        "resource \"halopsa_client\" \"globex\" {{\n  name = \"Globex\"\n  \
         department_id = {}\n  notes = \"Key account\"\n}}\n",
        json!(north)
    );
    SUBJECT.assert_imports(&env, &created, &alone, &[], &id);
}

#[test]
fn changes_made_in_halo_show_up_and_a_deleted_client_is_recreated() {
    let env = TestEnv::new();
    let (wd, id) = SUBJECT.create(&env, BASIC);
    let north = env.sim_id_named(Kind::Department, "North");
    let south: i64 = env.sim_id_named(Kind::Department, "South").parse().unwrap();

    SUBJECT.assert_drift_undone(
        &env,
        &wd,
        &id,
        json!({"toplevel_id": south, "inactive": true, "notes": "edited"}),
        &["department_id", "inactive", "notes"],
        |_| {},
    );
    let halo = env.sim_one_named(Kind::Client, "Globex");
    assert_eq!(id_of(&halo), id);
    assert_eq!(halo["toplevel_id"].to_string(), north);
    assert_eq!(halo["inactive"], false);
    assert_eq!(halo["notes"], "Key account");

    // Deleted by hand: planned for re-creation, in its department.
    let recreated = SUBJECT.assert_recreated(&env, &wd, &id);
    assert_ne!(id_of(&recreated), id);
    assert_eq!(
        id_of(&env.sim_one_named(Kind::Client, "Globex")),
        id_of(&recreated)
    );
    assert_eq!(recreated["toplevel_id"].to_string(), north);
}

#[test]
fn bad_values_are_rejected_and_nothing_is_created() {
    let env = TestEnv::new();
    let desk = env.sim_id_named(Kind::Department, "Service Desk");
    let cases = [
        ("name", format!("name = \"\"\n  department_id = \"{desk}\"")),
        (
            "department_id",
            "name = \"Globex\"\n  department_id = \"north\"".to_string(),
        ),
        (
            "organisation_ids",
            format!(
                "name = \"Globex\"\n  department_id = \"{desk}\"\n  organisation_ids = [\"acme\"]"
            ),
        ),
    ];
    SUBJECT.assert_refused_at_plan(&env, &cases);

    // A department that does not exist: refused, named, nothing created.
    env.assert_missing_reference(
        "resource \"halopsa_client\" \"globex\" {\n  name = \"Globex\"\n  \
         department_id = \"987654\"\n}\n",
        ADDR,
        "department_id",
        "987654",
        Kind::Client,
    );
}

/// 129 clients named "Customer NNN" and, last, an inactive one named just
/// "Customer": Halo's `search=Customer` answers all 130, in pages of 100.
fn seed_customers(env: &TestEnv, department: &str) -> String {
    let department: i64 = department.parse().unwrap();
    for i in 1..130 {
        env.sim_insert(
            Kind::Client,
            json!({"name": format!("Customer {i:03}"), "toplevel_id": department, "inactive": false}),
        );
    }
    env.sim_insert(
        Kind::Client,
        json!({"name": "Customer", "toplevel_id": department, "inactive": true, "notes": "the one"}),
    )
}

#[test]
fn the_data_source_finds_one_client_among_more_than_a_hundred() {
    let env = TestEnv::new();
    let desk = env.sim_id_named(Kind::Department, "Service Desk");
    let wanted = seed_customers(&env, &desk);

    let wd = env.workdir();
    wd.write_config(&format!(
        r#"data "halopsa_client" "by_name" {{
  name          = "Customer"
  department_id = "{desk}"
}}

data "halopsa_client" "by_id" {{
  id = "{wanted}"
}}

output "by_name" {{
  value = data.halopsa_client.by_name
}}

output "by_id" {{
  value = data.halopsa_client.by_id
}}
"#
    ));
    wd.apply();
    let found = wd.output("by_name");
    assert_eq!(found["id"], wanted.as_str(), "{found}");
    assert_eq!(found["department_id"], desk.as_str());
    assert_eq!(found["inactive"], true, "inactive clients are found too");
    assert_eq!(found["notes"], "the one");
    assert_eq!(wd.output("by_id")["name"], "Customer");
    let pages = env
        .sim
        .journal()
        .iter()
        .filter(|e| e.method == "GET" && e.path == "/api/Client" && e.query.contains("page_no=2"))
        .count();
    assert!(
        pages >= 1,
        "the look-up never read page 2:\n{}",
        env.journal_summary()
    );

    // The same name in another department: ambiguous without `department_id`,
    // which tells them apart.
    let org = env.sim_id_named(Kind::Organisation, "Main Organisation");
    let other_department = env.sim_insert(
        Kind::Department,
        json!({"name": "Projects", "organisation_id": org.parse::<i64>().unwrap()}),
    );
    let other = env.sim_insert(
        Kind::Client,
        json!({"name": "Customer", "toplevel_id": other_department.parse::<i64>().unwrap()}),
    );
    let wd = env.workdir();
    wd.write_config("data \"halopsa_client\" \"c\" {\n  name = \"Customer\"\n}\n");
    let diagnostics = wd.plan_diagnostics();
    let text: Vec<String> = diagnostics.iter().map(|d| d.text()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("Several client objects found")
                && t.contains(&wanted)
                && t.contains(&other)),
        "expected an ambiguity naming both ids: {text:#?}"
    );
    wd.write_config(&format!(
        "data \"halopsa_client\" \"c\" {{\n  name = \"Customer\"\n  department_id = \"{other_department}\"\n}}\n\
         output \"id\" {{\n  value = data.halopsa_client.c.id\n}}\n"
    ));
    wd.apply();
    assert_eq!(wd.output("id"), other.as_str());

    // None of that name: an error on `name`.
    wd.write_config("data \"halopsa_client\" \"c\" {\n  name = \"Customer 999\"\n}\n");
    let diagnostics = wd.plan_diagnostics();
    assert!(
        diagnostics.iter().any(|d| d.summary == "No client found"),
        "{diagnostics:#?}"
    );
}

/// Field names of Halo's `Area` schema (`/api/Client`), a subset copied from Halo's
/// OpenAPI document ("Halo API", `components.schemas.Area.properties`; the schema
/// has 446): the provider's fields and their neighbours.
const AREA_FIELDS: &[&str] = &[
    "id",
    "name",
    "toplevel_id",
    "toplevel_name",
    "inactive",
    "notes",
    "linked_organisation_id",
    "all_organisations_allowed",
    "allowed_organisations",
];

/// Every field name of Halo's `NHD_Identity_Application` schema
/// (`/api/Application`), copied from Halo's OpenAPI document ("Halo API",
/// `components.schemas.NHD_Identity_Application.properties`).
const APPLICATION_FIELDS: &[&str] = &[
    "grant_type",
    "loginas_agent_id",
    "loginas_agent_name",
    "inactive",
    "system_use",
    "redirecturi",
    "logoutredirecturi",
    "cors_whitelist",
    "redirecturi_list",
    "postlogoutredirecturi_list",
    "cors_whitelist_list",
    "scopes",
    "allowagents",
    "allowusers",
    "organisation_id",
    "organisation_name",
    "loginas_client_id",
    "loginas_client_name",
    "loginas_supplier_id",
    "loginas_supplier_name",
    "loginentity",
    "language_id",
    "language_name",
    "disable_windowsauth",
    "disable_azure",
    "disable_adfs",
    "disable_okta",
    "disable_centrify",
    "disable_google",
    "button_config",
    "assertion_consumer_service_index",
    "disable_anon",
    "_warning",
    "_issystem",
    "authorizations",
    "clientId",
    "clientSecret",
    "concurrencyToken",
    "consentType",
    "displayName",
    "id",
    "permissions",
    "postLogoutRedirectUris",
    "properties",
    "redirectUris",
    "tokens",
    "type",
];

/// The top-level field names of every object the provider POSTed to `path`.
fn fields_sent(env: &TestEnv, path: &str) -> BTreeSet<String> {
    env.sim
        .journal()
        .into_iter()
        .filter(|e| e.method == "POST" && e.path == path)
        .filter_map(|e| e.body)
        .flat_map(|body| match body {
            Value::Array(items) => items,
            other => vec![other],
        })
        .filter_map(|item| {
            item.as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
        })
        .flatten()
        .collect()
}

#[test]
fn every_field_sent_for_clients_and_applications_is_in_halos_schema() {
    let env = TestEnv::new();
    let agent = env.sim_insert(
        Kind::Agent,
        json!({"name": "tenant-api", "isapiagent": true, "roles": [], "departments": []}),
    );
    let tenant = |client_notes: &str, org: &str| {
        format!(
            r#"resource "halopsa_organisation" "a" {{
  name = "Org A"
}}

resource "halopsa_organisation" "b" {{
  name = "Org B"
}}

resource "halopsa_department" "d" {{
  name            = "Desk"
  organisation_id = halopsa_organisation.a.id
}}

resource "halopsa_client" "c" {{
  name              = "Customer"
  department_id     = halopsa_department.d.id
  inactive          = true
  organisation_ids  = [halopsa_organisation.{org}.id]
  all_organisations = false
  {client_notes}
}}

resource "halopsa_api_application" "app" {{
  name              = "Tenant integration"
  login_as_agent_id = "{agent}"
  organisation_id   = halopsa_organisation.{org}.id
  permissions       = ["read:customers"]
  active            = false
}}
"#
        )
    };
    let wd = env.applied(&tenant("notes = \"n\"", "a"));
    // Updates: notes cleared, the application moved to the other organisation.
    wd.write_config(&tenant("", "b"));
    wd.apply();
    wd.assert_plan_clean();

    // The customer is configured for the other organisation now, in place.
    let stored = env.sim_one_named(Kind::Client, "Customer");
    let org_b = env.sim_one_named(Kind::Organisation, "Org B");
    assert_eq!(
        stored["allowed_organisations"],
        json!([{"id": org_b["id"]}])
    );
    assert_eq!(stored["all_organisations_allowed"], false);
    let state = wd.resource("halopsa_client.c");
    assert_eq!(state["organisation_ids"], json!([id_of(&org_b)]));
    assert_eq!(state["all_organisations"], false);

    let client = fields_sent(&env, "/api/Client");
    assert!(
        client.contains("toplevel_id")
            && client.contains("notes")
            && client.contains("allowed_organisations")
            && client.contains("all_organisations_allowed"),
        "{client:?}"
    );
    for field in &client {
        assert!(
            AREA_FIELDS.contains(&field.as_str()),
            "the provider sent `{field}` to /api/Client, which is not in Halo's Area schema"
        );
    }
    let application = fields_sent(&env, "/api/Application");
    assert!(application.contains("organisation_id"), "{application:?}");
    for field in &application {
        assert!(
            APPLICATION_FIELDS.contains(&field.as_str()),
            "the provider sent `{field}` to /api/Application, which is not in Halo's \
             NHD_Identity_Application schema"
        );
    }
}

/// A `list "halopsa_client"` block named `name` with the `config` body `config`.
fn list_block(name: &str, config: &str) -> String {
    format!(
        "list \"halopsa_client\" \"{name}\" {{\n  provider         = halopsa\n  \
         include_resource = true\n  limit            = 500\n  config {{\n{config}  }}\n}}\n\n"
    )
}

#[test]
fn list_blocks_filter_clients_by_name_and_department_over_every_page() {
    let env = TestEnv::new();
    let desk = env.sim_id_named(Kind::Department, "Service Desk");
    seed_customers(&env, &desk);
    let org: i64 = env
        .sim_id_named(Kind::Organisation, "Main Organisation")
        .parse()
        .unwrap();
    let projects = env.sim_insert(
        Kind::Department,
        json!({"name": "Projects", "organisation_id": org}),
    );
    let mut in_projects: Vec<String> = ["Alpha", "Beta", "Gamma"]
        .iter()
        .map(|n| {
            env.sim_insert(
                Kind::Client,
                json!({"name": format!("Project {n}"), "toplevel_id": projects.parse::<i64>().unwrap()}),
            )
        })
        .collect();
    in_projects.sort();

    let wd = env.workdir();
    wd.write_config("");
    let mut blocks = list_block("all", "");
    blocks.push_str(&list_block(
        "of_projects",
        &format!("    department_id = \"{projects}\"\n"),
    ));
    blocks.push_str(&list_block("named", "    name = \"customer 12\"\n"));
    wd.write_file("clients.tfquery.hcl", &blocks);
    let out = wd.run_ok(&["query", "-no-color"]);

    assert_eq!(
        listed_ids(&out, "halopsa_client", "all").len(),
        133,
        "every page, inactive too:\n{out}"
    );
    assert_eq!(
        listed_ids(&out, "halopsa_client", "of_projects"),
        in_projects,
        "{out}"
    );
    let mut named: Vec<String> = (120..130)
        .map(|i| id_of(&env.sim_one_named(Kind::Client, &format!("Customer {i}"))))
        .collect();
    named.sort();
    assert_eq!(listed_ids(&out, "halopsa_client", "named"), named, "{out}");
}
