//! Issue #23: `terraform-provider-halopsa export`, the built binary against
//! halo-sim, and its files through real Terraform: they import cleanly on the
//! tenant they came from, build the same configuration on an empty one, and that
//! one exports to the same files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

use crate::support::{id_of, Kind, TestEnv, Workdir};

/// A secret seeded into applications and webhooks: it must reach no file.
const SECRET: &str = "TOPSECRET-never-exported";

/// What the seeds made so far, by name, for later seeds to refer to.
#[derive(Default)]
struct Seeded {
    ids: BTreeMap<(&'static str, String), Value>,
}

impl Seeded {
    fn add(&mut self, kind: &'static str, name: &str, object: &Value) {
        self.ids
            .insert((kind, name.to_owned()), object["id"].clone());
    }

    fn id(&self, kind: &'static str, name: &str) -> Value {
        self.ids
            .get(&(kind, name.to_owned()))
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} {name:?} seeded"))
    }
}

/// One kind's objects, inserted out of band. A kind that lands later is one more
/// seed in [`SEEDS`].
type Seed = fn(&TestEnv, &mut Seeded);

const SEEDS: &[Seed] = &[
    organisations,
    departments,
    teams,
    roles,
    agents,
    clients,
    webhooks,
    api_applications,
    service_desk,
];

fn organisations(env: &TestEnv, s: &mut Seeded) {
    for (name, phone) in [("Acme Ltd", "+44 20 7946 0000"), ("Globex", "")] {
        let o = env.sim.insert(
            Kind::Organisation,
            json!({"name": name, "email": "help@example.com", "phone": phone,
                   "website": "https://example.com", "reply_address": ""}),
        );
        s.add("organisation", name, &o);
    }
}

fn departments(env: &TestEnv, s: &mut Seeded) {
    for (name, org, notes) in [
        (
            "Acme Desk",
            "Acme Ltd",
            "Main desk: \"24/7\" ${not a template}",
        ),
        ("Globex Desk", "Globex", ""),
    ] {
        let d = env.sim.insert(
            Kind::Department,
            json!({"name": name, "organisation_id": s.id("organisation", org), "notes": notes}),
        );
        s.add("department", name, &d);
    }
}

fn teams(env: &TestEnv, s: &mut Seeded) {
    for (name, dept, inactive) in [
        ("Field", "Acme Desk", false),
        ("Projects", "Acme Desk", true),
        ("Field", "Globex Desk", false),
    ] {
        let t = env.sim.insert(
            Kind::Team,
            json!({"name": name, "department_id": s.id("department", dept), "inactive": inactive}),
        );
        s.add("team", &format!("{name}/{dept}"), &t);
    }
}

fn roles(env: &TestEnv, s: &mut Seeded) {
    let desks = [
        s.id("department", "Acme Desk"),
        s.id("department", "Globex Desk"),
    ];
    let r = env.sim.insert(
        Kind::Role,
        json!({"name": "Technicians", "notes": "Technicians role",
               "claims": [{"type": "Tx", "value": "2"}, {"type": "l6", "value": "1"}],
               "departments": [{"department_id": desks[0], "membershiplevel": 0},
                               {"department_id": desks[1], "membershiplevel": 1}]}),
    );
    s.add("role", "Technicians", &r);
    let r = env.sim.insert(
        Kind::Role,
        json!({"name": "Integrations", "notes": "", "claims": [], "departments": []}),
    );
    s.add("role", "Integrations", &r);
}

fn agents(env: &TestEnv, s: &mut Seeded) {
    let workday = env.sim.objects(Kind::Workday)[0]["id"].clone();
    let a = env.sim.insert(
        Kind::Agent,
        json!({"name": "alice", "email": "alice@example.com", "firstname": "Alice",
               "surname": "Smith", "isapiagent": false, "isdisabled": false,
               "team": "Projects", "workday_id": workday,
               "roles": [{"id": s.id("role", "Technicians")}, {"id": s.id("role", "Integrations")}],
               "departments": [{"department_id": s.id("department", "Acme Desk"), "membershiplevel": 0}]}),
    );
    s.add("agent", "alice", &a);
    let a = env.sim.insert(
        Kind::Agent,
        json!({"name": "api-sync", "isapiagent": true, "isdisabled": false,
               "roles": [{"id": s.id("role", "Integrations")}],
               "departments": [{"department_id": s.id("department", "Globex Desk"), "membershiplevel": 1}]}),
    );
    s.add("agent", "api-sync", &a);
    // A built-in agent's membership of a new department is the tenant's own
    // configuration, exported like any other.
    let admin = env.sim_one_named(Kind::Agent, "admin");
    let mut departments = admin["departments"].as_array().cloned().unwrap_or_default();
    departments
        .push(json!({"department_id": s.id("department", "Globex Desk"), "membershiplevel": 0}));
    assert!(env.sim.patch(
        Kind::Agent,
        &id_of(&admin),
        json!({"departments": departments})
    ));
}

fn clients(env: &TestEnv, s: &mut Seeded) {
    for (name, dept, notes) in [
        ("Customer A", "Acme Desk", "Account 1"),
        ("Customer B", "Globex Desk", ""),
    ] {
        let mut c =
            json!({"name": name, "toplevel_id": s.id("department", dept), "inactive": false});
        if !notes.is_empty() {
            c["notes"] = json!(notes);
        }
        env.sim.insert(Kind::Client, c);
    }
}

fn webhooks(env: &TestEnv, _s: &mut Seeded) {
    env.sim.insert(
        Kind::Webhook,
        json!({"name": "Ticket sync", "url": "https://hooks.example.com/halo",
               "content_type": "application/json", "active": true,
               "events": [{"eventno": 1}, {"eventno": 2}]}),
    );
}

fn api_applications(env: &TestEnv, s: &mut Seeded) {
    env.sim.insert(
        Kind::Application,
        json!({"displayName": "PSA Sync", "grant_type": "client_credentials", "loginentity": 0,
               "loginas_agent_id": s.id("agent", "api-sync"),
               "scopes": [{"name": "read:tickets"}, {"name": "edit:tickets"}],
               "inactive": false, "clientId": "00000000-0000-4000-8000-000000000001",
               "clientSecret": SECRET}),
    );
}

/// The service desk configuration, made through the provider (so every object
/// is as Halo keeps what the provider sends): five ticket types sharing two SLAs,
/// statuses the ticket types and outcomes refer to, built-in statuses and work
/// hours among them, categories, and a field group with its custom fields.
fn service_desk(env: &TestEnv, s: &mut Seeded) {
    let field = s.id("team", "Field/Acme Desk");
    let first_line = env.sim_id_named(Kind::Team, "1st Line Support");
    let wd = env.workdir();
    wd.write_config(&format!(
        r##"
data "halopsa_workday" "standard" {{
  name = "Standard Hours"
}}

data "halopsa_status" "new" {{
  name = "New"
}}

data "halopsa_status" "closed" {{
  name = "Closed"
}}

resource "halopsa_workday" "office" {{
  name     = "Office Hours"
  timezone = "GMT Standard Time"
  days     = ["monday", "tuesday", "wednesday", "thursday", "friday"]
}}

resource "halopsa_status" "waiting" {{
  name       = "Waiting on Customer"
  short_name = "Waiting"
  sequence   = 3
  colour     = "#f9a825"
  sla_action = "hold"
}}

resource "halopsa_status" "scheduled" {{
  name        = "Scheduled"
  status_type = "halo:1"
  sla_action  = "remove_hold"
}}

resource "halopsa_outcome" "ask_customer" {{
  name        = "Ask Customer"
  button_name = "Ask Customer"
  sequence    = 5
  status_id   = halopsa_status.waiting.id
  sla_hold    = true
}}

resource "halopsa_outcome" "close" {{
  name        = "Close Ticket"
  button_name = "Close"
  status_id   = data.halopsa_status.closed.id
}}

resource "halopsa_sla" "gold" {{
  name       = "Gold"
  workday_id = halopsa_workday.office.id
  priorities = [
    {{ priority_id = 1, name = "Critical", response_time = 0.5, response_units = "hours", fix_time = 4, fix_units = "hours", colour = "#d32f2f" }},
    {{ priority_id = 2, name = "Normal", response_time = 1, response_units = "days", fix_time = 5, fix_units = "days", colour = null }},
  ]
}}

resource "halopsa_sla" "standard" {{
  name       = "Standard"
  workday_id = data.halopsa_workday.standard.id
  priorities = [
    {{ priority_id = 3, name = "Low", response_time = 2, response_units = "days", fix_time = 10, fix_units = "days", colour = null }},
  ]
}}

resource "halopsa_ticket_type" "incident" {{
  name                 = "Incident"
  sla_id               = halopsa_sla.gold.id
  priority_id          = 1
  status_ids           = [data.halopsa_status.new.id, halopsa_status.waiting.id, data.halopsa_status.closed.id]
  team_ids             = ["{field}", "{first_line}"]
  end_users_can_select = true
}}

resource "halopsa_ticket_type" "problem" {{
  name        = "Problem"
  sla_id      = halopsa_sla.gold.id
  priority_id = 2
  status_ids  = [halopsa_status.scheduled.id, data.halopsa_status.closed.id]
}}

resource "halopsa_ticket_type" "request" {{
  name        = "Service Request"
  sla_id      = halopsa_sla.standard.id
  priority_id = 3
}}

resource "halopsa_ticket_type" "change" {{
  name              = "Change"
  sla_id            = halopsa_sla.standard.id
  priority_id       = 3
  team_ids          = ["{field}"]
  agents_can_select = false
}}

resource "halopsa_ticket_type" "project" {{
  name           = "Project"
  sla_id         = halopsa_sla.standard.id
  field_group_id = halopsa_field_group.contract.id
}}

resource "halopsa_category" "hardware" {{
  name           = "Hardware"
  category_field = 1
}}

resource "halopsa_category" "laptop" {{
  name           = "${{halopsa_category.hardware.name}}>Laptop"
  category_field = halopsa_category.hardware.category_field
}}

resource "halopsa_custom_field" "tier" {{
  name       = "contract_tier"
  label      = "Contract tier"
  field_type = "single_select"
  options    = ["Bronze", "Silver", "Gold"]
}}

resource "halopsa_custom_field" "seats" {{
  name       = "licensed_seats"
  label      = "Licensed seats"
  field_type = "text"
  input_type = 1
}}

resource "halopsa_field_group" "contract" {{
  name      = "Contract details"
  field_ids = [halopsa_custom_field.tier.id, halopsa_custom_field.seats.id]
}}
"##
    ));
    wd.apply();
}

fn seed(env: &TestEnv) {
    let mut seeded = Seeded::default();
    for s in SEEDS {
        s(env, &mut seeded);
    }
}

/// Runs `export ARGS` against `env`'s halo-sim.
fn export(env: &TestEnv, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_terraform-provider-halopsa"));
    cmd.arg("export").args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("HALOPSA_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HALOPSA_URL", env.sim.url())
        .env("HALOPSA_CLIENT_ID", &env.client_id)
        .env("HALOPSA_CLIENT_SECRET", &env.client_secret)
        .env("HALOPSA_MAX_RETRIES", "1");
    cmd.output().expect("run the provider binary")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exports `env`'s tenant into a new directory and answers its files; only
/// `GET`s reach Halo.
fn exported(env: &TestEnv, name: &str) -> (BTreeMap<String, String>, String) {
    let dir = env.dir.path().join(name);
    env.sim.clear_journal();
    let out = export(env, &["--dir", &dir.to_string_lossy()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "export failed: {}",
        stderr(&out)
    );
    let writes: Vec<String> = env
        .sim
        .journal()
        .iter()
        .filter(|e| e.method != "GET" && e.path.starts_with("/api/"))
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    assert!(writes.is_empty(), "the export wrote to Halo: {writes:?}");
    (read_dir(&dir), stderr(&out))
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("the export directory")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).expect("an exported file");
            (name, text)
        })
        .collect()
}

/// A working directory holding `files` (and nothing else).
fn workdir_with(env: &TestEnv, files: &BTreeMap<String, String>, skip: &[&str]) -> Workdir {
    let wd = env.workdir();
    for (name, text) in files.iter().filter(|(n, _)| !skip.contains(&n.as_str())) {
        wd.write_file(name, text);
    }
    wd
}

/// The `to` addresses of the import blocks.
fn import_addresses(imports: &str) -> Vec<String> {
    imports
        .lines()
        .filter_map(|l| l.trim().strip_prefix("to = "))
        .map(str::to_owned)
        .collect()
}

/// The typed service desk endpoints: each must have been written to.
const TYPED_ENDPOINTS: &[&str] = &[
    "Status",
    "Outcome",
    "Category",
    "SLA",
    "TicketType",
    "FieldInfo",
    "FieldGroup",
    "Workday",
];

/// Every field of every object the provider sent to an endpoint of Halo's
/// document (`crates/halo-catalog`, from Halo's swagger), nested rows included,
/// is a field of that endpoint's schema; every typed endpoint was written to.
fn assert_every_field_sent_is_in_halos_schema(env: &TestEnv) {
    let catalog = halo_catalog::catalog();
    let mut refused = Vec::new();
    let mut written = BTreeSet::new();
    for e in env.sim.journal() {
        let (Some(family), Some(body)) = (e.path.strip_prefix("/api/"), e.body) else {
            continue;
        };
        if e.method != "POST" || family.contains('/') {
            continue;
        }
        let Some((name, f)) = catalog.family(family) else {
            assert!(
                !TYPED_ENDPOINTS.contains(&family),
                "{family} is not in Halo's document"
            );
            continue;
        };
        written.insert(name.to_owned());
        let items = match body {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in &items {
            for k in catalog.check_body(&f.schema, item) {
                refused.push(format!("{family}: {:?} not in {}", k.path, k.schema));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "fields sent that Halo's schema lacks:\n{}",
        refused.join("\n")
    );
    for t in TYPED_ENDPOINTS {
        assert!(
            written.contains(*t),
            "nothing was sent to /api/{t}: {written:?}"
        );
    }
}

#[test]
fn an_export_imports_clean_and_rebuilds_the_same_tenant_elsewhere() {
    let a = TestEnv::new();
    seed(&a);
    let (files, progress) = exported(&a, "export-a");

    // A progress line per kind; a file per kind with objects, imports apart.
    for kind in [
        "halopsa_organisation",
        "halopsa_team",
        "halopsa_agent_department",
    ] {
        assert!(
            progress.contains(&format!("{kind}: ")),
            "no progress for {kind}:\n{progress}"
        );
    }
    assert!(
        progress.contains("halopsa_team: 5 objects, 1 request"),
        "{progress}"
    );
    for name in [
        "versions.tf",
        "imports.tf",
        "halopsa_organisation.tf",
        "halopsa_department.tf",
        "halopsa_team.tf",
        "halopsa_agent.tf",
        "halopsa_role.tf",
        "halopsa_role_department.tf",
        "halopsa_agent_department.tf",
        "halopsa_client.tf",
        "halopsa_webhook.tf",
        "halopsa_api_application.tf",
        "halopsa_workday.tf",
        "halopsa_status.tf",
        "halopsa_outcome.tf",
        "halopsa_category.tf",
        "halopsa_sla.tf",
        "halopsa_ticket_type.tf",
        "halopsa_custom_field.tf",
        "halopsa_field_group.tf",
    ] {
        assert!(files.contains_key(name), "no {name} in {:?}", files.keys());
    }
    let all: String = files.values().cloned().collect();
    assert!(!all.contains(SECRET), "a secret was exported:\n{all}");
    assert!(
        files["halopsa_api_application.tf"].contains("# Secrets are not exportable: client_secret")
    );

    // References are Terraform references; built-in objects are looked up.
    let teams = &files["halopsa_team.tf"];
    assert!(
        teams.contains("department_id = halopsa_department.acme_desk.id"),
        "{teams}"
    );
    assert!(
        teams.contains("data \"halopsa_team\" \"_1st_line_support\""),
        "{teams}"
    );
    assert!(
        teams.contains("resource \"halopsa_team\" \"field_2\""),
        "{teams}"
    );
    let agents = &files["halopsa_agent.tf"];
    assert!(
        agents.contains("default_team = halopsa_team.projects.name"),
        "{agents}"
    );
    assert!(
        agents
            .contains("role_ids     = [halopsa_role.integrations.id, halopsa_role.technicians.id]"),
        "{agents}"
    );
    assert!(
        agents.contains("data \"halopsa_agent\" \"admin\""),
        "{agents}"
    );
    let memberships = &files["halopsa_agent_department.tf"];
    assert!(
        memberships.contains("agent_id         = data.halopsa_agent.admin.id"),
        "{memberships}"
    );
    assert!(
        !memberships.contains("department_id    = data.halopsa_department.service_desk.id"),
        "the built-in admin's built-in membership is the tenant's own:\n{memberships}"
    );
    assert!(files["halopsa_department.tf"].contains(r#""Main desk: \"24/7\" $${not a template}""#));

    // The service desk: references to SLAs, statuses, teams, work hours and
    // custom fields; built-in statuses and work hours looked up by name; an SLA's
    // priorities a list of whole objects (nulls kept); `halo:` values verbatim.
    let types = &files["halopsa_ticket_type.tf"];
    for line in [
        "sla_id               = halopsa_sla.gold.id",
        "sla_id            = halopsa_sla.standard.id",
        "status_ids           = [data.halopsa_status.closed.id, data.halopsa_status.new.id, \
         halopsa_status.waiting_on_customer.id]",
        "status_ids  = [data.halopsa_status.closed.id, halopsa_status.scheduled.id]",
        "team_ids             = [data.halopsa_team._1st_line_support.id, halopsa_team.field.id]",
    ] {
        assert!(types.contains(line), "no `{line}` in:\n{types}");
    }
    assert!(
        types.contains("= halopsa_field_group.contract_details.id"),
        "the project's field group is a reference:\n{types}"
    );
    assert_eq!(types.matches("resource \"halopsa_ticket_type\"").count(), 5);
    let statuses = &files["halopsa_status.tf"];
    for name in ["New", "In Progress", "Pending Closure", "Closed"] {
        let slug = name.to_lowercase().replace(' ', "_");
        assert!(
            statuses.contains(&format!(
                "data \"halopsa_status\" \"{slug}\" {{\n  name = \"{name}\"\n}}"
            )),
            "{statuses}"
        );
    }
    assert!(statuses.contains("status_type = \"halo:1\""), "{statuses}");
    assert_eq!(statuses.matches("resource \"halopsa_status\"").count(), 2);
    let outcomes = &files["halopsa_outcome.tf"];
    assert!(
        outcomes.contains("status_id   = halopsa_status.waiting_on_customer.id")
            && outcomes.contains("status_id   = data.halopsa_status.closed.id"),
        "{outcomes}"
    );
    let slas = &files["halopsa_sla.tf"];
    assert!(
        slas.contains("workday_id = halopsa_workday.office_hours.id")
            && slas.contains("workday_id = data.halopsa_workday.standard_hours.id")
            && slas.contains("      colour         = null\n")
            && slas.contains("      response_time  = 0.5\n"),
        "{slas}"
    );
    assert!(
        files["halopsa_workday.tf"].contains("data \"halopsa_workday\" \"standard_hours\""),
        "{}",
        files["halopsa_workday.tf"]
    );
    assert!(
        files["halopsa_field_group.tf"].contains(
            "field_ids = [halopsa_custom_field.contract_tier.id, \
             halopsa_custom_field.licensed_seats.id]"
        ),
        "{}",
        files["halopsa_field_group.tf"]
    );
    assert!(files["halopsa_category.tf"].contains("name           = \"Hardware>Laptop\""));
    // One request per page of each list plus one per object read in detail.
    for line in [
        "halopsa_status: 6 objects, 1 request",
        "halopsa_sla: 2 objects, 3 requests",
        "halopsa_ticket_type: 5 objects, 6 requests",
        "halopsa_field_group: 1 object, 2 requests",
    ] {
        assert!(progress.contains(line), "no `{line}` in:\n{progress}");
    }

    // terraform fmt leaves the files as they are.
    let wd_a = workdir_with(&a, &files, &[]);
    let fmt = wd_a.run(&["fmt", "-check", "-diff", "-no-color"], &[]);
    assert!(fmt.success(), "the export is not fmt-clean:\n{fmt}");

    // On A: imports only, then clean.
    let addresses = import_addresses(&files["imports.tf"]);
    assert!(addresses.len() > 15, "{addresses:?}");
    let addrs: Vec<&str> = addresses.iter().map(String::as_str).collect();
    wd_a.plan_json().assert_imports_only(&addrs);
    let writes = a.halo_writes();
    wd_a.apply();
    assert_eq!(
        a.halo_writes(),
        writes,
        "importing wrote to Halo:\n{}",
        a.journal_summary()
    );
    wd_a.assert_plan_clean();

    // On an empty B, without the imports: the same configuration is built.
    let b = TestEnv::new();
    let wd_b = workdir_with(&b, &files, &["imports.tf"]);
    wd_b.apply();
    wd_b.assert_plan_clean();
    assert_every_field_sent_is_in_halos_schema(&b);
    let (again, _) = exported(&b, "export-b");
    assert_eq!(
        again.keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>()
    );
    for (name, text) in &files {
        if name == "imports.tf" {
            // The same objects, under other ids.
            assert_eq!(import_addresses(&again[name]), addresses);
        } else {
            assert_eq!(&again[name], text, "{name} differs between A and B");
        }
    }
}

#[test]
fn kinds_restrict_the_export_and_an_unknown_kind_is_refused() {
    let env = TestEnv::new();
    seed(&env);
    let dir = env.dir.path().join("some");
    let out = export(
        &env,
        &[
            "--dir",
            &dir.to_string_lossy(),
            "--kinds",
            "halopsa_team,halopsa_agent",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let files = read_dir(&dir);
    assert_eq!(
        files.keys().map(String::as_str).collect::<Vec<_>>(),
        vec![
            "halopsa_agent.tf",
            "halopsa_team.tf",
            "imports.tf",
            "versions.tf"
        ]
    );
    // Departments are not exported, so teams hold their ids.
    let dept = id_of(&env.sim_one_named(Kind::Department, "Acme Desk"));
    assert!(files["halopsa_team.tf"].contains(&format!("department_id = \"{dept}\"")));
    let progress = stderr(&out);
    assert!(
        progress.contains("halopsa_team: ") && !progress.contains("halopsa_role: "),
        "{progress}"
    );

    // Into a directory that holds configuration: refused, nothing read.
    let again = export(&env, &["--dir", &dir.to_string_lossy()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already holds"),
        "{}",
        stderr(&again)
    );

    let bad = export(&env, &["--dir", "unused", "--kinds", "halopsa_tem"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(
        err.contains("unknown kind \"halopsa_tem\"") && err.contains("halopsa_team"),
        "{err}"
    );
    assert!(!Path::new("unused").exists());
}
