//! The live mode of the acceptance suite: the lifecycle of every resource, the data
//! sources, import, `terraform query` and the integration (Cork) module, through
//! real Terraform against a Halo known only by its URL and credentials.
//!
//! ```sh
//! HALOPSA_LIVE=1 HALOPSA_LIVE_CONFIRM=acme-sandbox.halopsa.com \
//!   cargo test --test acceptance -- --exact live::run --nocapture   # or scripts/test --live
//! ```
//!
//! Without `HALOPSA_LIVE=1`, `live::run` says it is skipped and passes. With it, it
//! reads the `HALOPSA_*` settings ([`LiveConfig::from_env`]) and refuses to start,
//! sending nothing, unless `HALOPSA_LIVE_CONFIRM` is the instance's host name. It
//! then runs the cases one after another (paced: the provider's shared budget at 240
//! requests per 300 s, the observer's own requests `HALOPSA_LIVE_PACE_MS` apart),
//! printing each one's outcome and request count, names every object
//! `tfacc-<run id>-...`, changes only objects it created (a department named by
//! `HALOPSA_LIVE_DEPARTMENT_ID` is only referred to), sweeps its prefix with
//! `terraform-provider-halopsa sweep --yes` at the end whatever happened, and
//! writes the report `HALOPSA_LIVE_REPORT` (default `halopsa-live-report.json`): each
//! case's outcome and, for a failure, its message, the last Halo request and answer
//! the test looked at and the last requests the provider sent (secrets redacted).
//!
//! The cases observe Halo through [`Api`] (its REST API) only, so they run the same
//! on halo-sim in-process ([`Target::sim`]) as on a live instance.

use std::panic::AssertUnwindSafe;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{json, Value};

use crate::support::target::{redact, Api, LiveConfig, Target};
use crate::support::{listed_ids, provider_bin, Workdir};

/// One case of the live run.
pub struct Case {
    pub name: &'static str,
    pub run: fn(&Target),
    /// Why the case needs halo-sim (fault injection, request counting), if it
    /// does: on a live target it is skipped with this message.
    pub sim_only: Option<&'static str>,
}

impl Case {
    const fn any(name: &'static str, run: fn(&Target)) -> Case {
        Case {
            name,
            run,
            sim_only: None,
        }
    }
}

/// Every case, in the order they run.
pub const CASES: &[Case] = &[
    Case::any("organisation", organisation),
    Case::any("department", department),
    Case::any("team", team),
    Case::any("client", client),
    Case::any("role", role),
    Case::any("role_department", role_department),
    Case::any("agent", agent),
    Case::any("agent_department", agent_department),
    Case::any("api_application", api_application),
    Case::any("webhook", webhook),
    Case::any("status", status),
    Case::any("outcome", outcome),
    Case::any("category", category),
    Case::any("ticket_type", ticket_type),
    Case::any("field_group", field_group),
    Case::any("api_object", api_object),
    Case::any("data_sources", data_sources),
    Case::any("query", query),
    Case::any("integration_module", integration_module),
    Case {
        name: "create_retried_after_503",
        run: create_retried_after_503,
        sim_only: Some("it makes halo-sim answer 503 once"),
    },
];

#[test]
fn run() {
    if std::env::var("HALOPSA_LIVE").ok().as_deref() != Some("1") {
        eprintln!(
            "live::run skipped: set HALOPSA_LIVE=1 (and HALOPSA_URL, HALOPSA_CLIENT_ID, \
             HALOPSA_CLIENT_SECRET, HALOPSA_LIVE_CONFIRM) to run the suite against a Halo \
             instance; see the README, \"Testing against your own Halo\""
        );
        return;
    }
    let config = match LiveConfig::from_env() {
        Ok(config) => config,
        Err(refusal) => panic!("live run: {refusal}"),
    };
    let report = drive(&config);
    let failed: Vec<&str> = report["tests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["outcome"] == "failed")
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(
        failed.is_empty() && report["sweep"]["complete"] == true,
        "live run: failed: {failed:?}; sweep complete: {}; report: {}",
        report["sweep"]["complete"],
        config.report_path.display()
    );
}

/// Runs the cases `config` selects against its instance, sweeps, writes the report
/// and answers it.
fn drive(config: &LiveConfig) -> Value {
    let target = Target::live(config);
    let cases: Vec<&Case> = CASES
        .iter()
        .filter(|c| {
            config
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|o| o == c.name))
        })
        .collect();
    eprintln!(
        "live run {} on {}: {} cases, objects named {}...",
        config.run_id,
        config.host,
        cases.len(),
        target.prefix
    );
    let started = Instant::now();
    let mut tests = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let provider_before = target.provider_requests().len();
        let api_before = target.api.requests();
        if let (Some(why), true) = (case.sim_only, target.is_live()) {
            eprintln!(
                "[{}/{}] {} ... skipped: halo-sim only ({why})",
                i + 1,
                cases.len(),
                case.name
            );
            tests.push(json!({
                "name": case.name,
                "outcome": "skipped",
                "message": format!("halo-sim only: {why}"),
            }));
            continue;
        }
        let t0 = Instant::now();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| (case.run)(&target)));
        let provider = target.provider_requests();
        let requests = provider.len() - provider_before + target.api.requests() - api_before;
        let seconds = t0.elapsed().as_secs_f64();
        let mut entry = json!({
            "name": case.name,
            "seconds": (seconds * 10.0).round() / 10.0,
            "requests": requests,
        });
        match outcome {
            Ok(()) => {
                entry["outcome"] = json!("passed");
                eprintln!(
                    "[{}/{}] {} ... ok ({seconds:.1} s, {requests} requests)",
                    i + 1,
                    cases.len(),
                    case.name
                );
            }
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panicked".into());
                entry["outcome"] = json!("failed");
                entry["message"] = json!(message);
                if let Some(x) = target.api.last_exchange() {
                    entry["halo_exchange"] = json!({
                        "request": format!("{} {}", x.method, x.path),
                        "status": x.status,
                        "answer": x.answer,
                    });
                }
                let tail = provider[provider_before..]
                    .iter()
                    .rev()
                    .take(20)
                    .rev()
                    .cloned()
                    .collect::<Vec<_>>();
                entry["provider_requests"] = json!(tail);
                eprintln!(
                    "[{}/{}] {} ... FAILED ({seconds:.1} s, {requests} requests)",
                    i + 1,
                    cases.len(),
                    case.name
                );
            }
        }
        tests.push(entry);
    }
    let sweep = sweep(&target);
    let provider_total = target.provider_requests().len();
    let mut report = json!({
        "instance": target.describe(),
        "run_id": config.run_id,
        "provider_version": env!("CARGO_PKG_VERSION"),
        "seconds": started.elapsed().as_secs(),
        "requests": {
            "provider": provider_total,
            "observer": target.api.requests(),
        },
        "tests": tests,
        "sweep": sweep,
    });
    redact(&mut report);
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    for secret in target.secrets().iter().filter(|s| s.len() >= 4) {
        text = text.replace(secret.as_str(), "***");
    }
    if let Err(e) = std::fs::write(&config.report_path, &text) {
        eprintln!(
            "live run: could not write the report {}: {e}",
            config.report_path.display()
        );
    }
    eprintln!(
        "live run {}: {} passed, {} failed, {} skipped, {} requests ({} by the provider), sweep: {}; report: {}",
        config.run_id,
        tests_with(&report, "passed"),
        tests_with(&report, "failed"),
        tests_with(&report, "skipped"),
        provider_total + target.api.requests(),
        provider_total,
        if report["sweep"]["complete"] == true { "complete" } else { "INCOMPLETE" },
        config.report_path.display()
    );
    serde_json::from_str(&text).unwrap_or(report)
}

fn tests_with(report: &Value, outcome: &str) -> usize {
    report["tests"]
        .as_array()
        .map_or(0, |t| t.iter().filter(|t| t["outcome"] == outcome).count())
}

/// `terraform-provider-halopsa sweep --prefix PREFIX --json` (with `--yes` when
/// `delete`), with these `HALOPSA_*` settings and no others: its exit status, its
/// JSON answer (`null` if it printed none) and its stderr.
pub fn run_sweep(env: &[(String, String)], prefix: &str, delete: bool) -> (i32, Value, String) {
    let mut cmd = Command::new(provider_bin());
    cmd.args(["sweep", "--prefix", prefix, "--json"]);
    if delete {
        cmd.arg("--yes");
    }
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("HALOPSA_") {
            cmd.env_remove(&key);
        }
    }
    cmd.envs(env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("could not run the sweeper: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr,
    )
}

/// Deletes what the run left under its prefix, then checks that nothing is left.
fn sweep(target: &Target) -> Value {
    let env = target.halo_env();
    let (code, deleted, stderr) = run_sweep(&env, &target.prefix, true);
    let (_, left, _) = run_sweep(&env, &target.prefix, false);
    let leftovers = left["objects"].as_array().cloned().unwrap_or_default();
    eprintln!(
        "sweep {}: {} objects deleted, {} left",
        target.prefix,
        deleted["objects"].as_array().map_or(0, Vec::len),
        leftovers.len()
    );
    json!({
        "exit_code": code,
        "deleted": deleted["objects"],
        "leftovers": leftovers,
        "complete": code == 0 && left.is_object() && leftovers.is_empty(),
        "stderr": stderr,
    })
}

// ----- the cases ---------------------------------------------------------------

/// An HCL string literal.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A resource's lifecycle on any target: create, read back from Halo, plan clean,
/// update in place, read back, plan clean, forget and import again (plan clean),
/// destroy, gone from Halo. `observe` finds the object in Halo by id.
struct Lifecycle<'a> {
    addr: &'a str,
    prelude: String,
    create: String,
    update: String,
    observe: &'a dyn Fn(&Api, &str) -> Option<Value>,
    check_create: &'a dyn Fn(&Value),
    check_update: &'a dyn Fn(&Value),
}

fn lifecycle(t: &Target, l: Lifecycle<'_>) {
    lifecycle_imported_as(t, l, &|id| id.to_owned());
}

/// [`lifecycle`] for a resource whose import id is not its id: `import_id` makes
/// the one from the other.
fn lifecycle_imported_as(t: &Target, l: Lifecycle<'_>, import_id: &dyn Fn(&str) -> String) {
    let wd = t.workdir();
    wd.write_config(&format!("{}\n{}", l.prelude, l.create));
    wd.apply();
    let id = wd.resource_id(l.addr);
    let seen = (l.observe)(&t.api, &id)
        .unwrap_or_else(|| panic!("{} {id} is not in Halo after the apply", l.addr));
    (l.check_create)(&seen);
    wd.assert_plan_clean();

    wd.write_config(&format!("{}\n{}", l.prelude, l.update));
    let out = wd.apply();
    assert!(
        out.contains("0 added, 1 changed, 0 destroyed"),
        "{} was updated in place:\n{out}",
        l.addr
    );
    assert_eq!(wd.resource_id(l.addr), id, "the update kept the id");
    let seen = (l.observe)(&t.api, &id)
        .unwrap_or_else(|| panic!("{} {id} is not in Halo after the update", l.addr));
    (l.check_update)(&seen);
    wd.assert_plan_clean();

    import_again(&wd, l.addr, &import_id(&id), &id);

    wd.destroy();
    assert!(
        (l.observe)(&t.api, &id).is_none(),
        "{} {id} is still in Halo after the destroy",
        l.addr
    );
}

/// Forgets `addr` and imports it again by `import_id`; the state then holds the
/// object `id` and the plan is clean.
fn import_again(wd: &Workdir, addr: &str, import_id: &str, id: &str) {
    wd.run_ok(&["state", "rm", "-no-color", addr]);
    wd.import(addr, import_id);
    assert_eq!(wd.resource_id(addr), id, "the import found the same object");
    wd.assert_plan_clean();
}

fn by_id(path: &'static str) -> impl Fn(&Api, &str) -> Option<Value> {
    move |api, id| api.object(path, id)
}

fn named(expected: String) -> impl Fn(&Value) {
    move |o| assert_eq!(o["name"], expected.as_str(), "Halo's object: {o}")
}

/// The membership `PARENT_ID/DEPARTMENT_ID` as the parent's department list in
/// Halo holds it.
fn membership(parent_path: &'static str) -> impl Fn(&Api, &str) -> Option<Value> {
    move |api, id| {
        let (parent, department) = id.split_once('/')?;
        let object = api.object(parent_path, parent)?;
        object["departments"]
            .as_array()?
            .iter()
            .find(|m| m["department_id"].to_string().trim_matches('"') == department)
            .cloned()
    }
}

fn organisation(t: &Target) {
    let block = |name: &str| {
        format!(
            "resource \"halopsa_organisation\" \"o\" {{\n  name = {}\n}}\n",
            q(name)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_organisation.o",
            prelude: String::new(),
            create: block(&t.name("Org")),
            update: block(&t.name("Org renamed")),
            observe: &by_id("Organisation"),
            check_create: &named(t.name("Org")),
            check_update: &named(t.name("Org renamed")),
        },
    );
}

fn department(t: &Target) {
    let prelude = format!(
        "resource \"halopsa_organisation\" \"o\" {{\n  name = {}\n}}\n",
        q(&t.name("Dept Org"))
    );
    let block = |name: &str| {
        format!(
            "resource \"halopsa_department\" \"d\" {{\n  name            = {}\n  organisation_id = halopsa_organisation.o.id\n}}\n",
            q(name)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_department.d",
            prelude,
            create: block(&t.name("Dept")),
            update: block(&t.name("Dept renamed")),
            observe: &by_id("TopLevel"),
            check_create: &named(t.name("Dept")),
            check_update: &named(t.name("Dept renamed")),
        },
    );
}

fn team(t: &Target) {
    let (prelude, department) = t.department();
    let block = |name: &str| {
        format!(
            "resource \"halopsa_team\" \"t\" {{\n  name          = {}\n  department_id = {department}\n}}\n",
            q(name)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_team.t",
            prelude,
            create: block(&t.name("Team")),
            update: block(&t.name("Team renamed")),
            observe: &by_id("Team"),
            check_create: &named(t.name("Team")),
            check_update: &named(t.name("Team renamed")),
        },
    );
}

fn status(t: &Target) {
    let block = |name: &str| {
        format!(
            "resource \"halopsa_status\" \"s\" {{\n  name       = {}\n  colour     = \"#f9a825\"\n  sla_action = \"hold\"\n}}\n",
            q(name)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_status.s",
            prelude: String::new(),
            create: block(&t.name("Status")),
            update: block(&t.name("Status renamed")),
            observe: &by_id("Status"),
            check_create: &named(t.name("Status")),
            check_update: &named(t.name("Status renamed")),
        },
    );
}

fn outcome(t: &Target) {
    let prelude = format!(
        "resource \"halopsa_status\" \"s\" {{\n  name = {}\n}}\n",
        q(&t.name("Action status"))
    );
    let block = |name: &str| {
        format!(
            "resource \"halopsa_outcome\" \"o\" {{\n  name      = {}\n  status_id = halopsa_status.s.id\n  sla_hold  = true\n}}\n",
            q(name)
        )
    };
    let (first, second) = (t.name("Action"), t.name("Action renamed"));
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_outcome.o",
            prelude,
            create: block(&first),
            update: block(&second),
            observe: &by_id("Outcome"),
            check_create: &|o| assert_eq!(o["outcome"], first.as_str(), "Halo's action: {o}"),
            check_update: &|o| assert_eq!(o["outcome"], second.as_str(), "Halo's action: {o}"),
        },
    );
}

fn category(t: &Target) {
    let block = |path: &str| {
        format!(
            "resource \"halopsa_category\" \"c\" {{\n  name           = {}\n  category_field = 1\n}}\n",
            q(path)
        )
    };
    let (first, second) = (t.name("Category"), format!("{}>Laptop", t.name("Category")));
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_category.c",
            prelude: String::new(),
            create: block(&first),
            update: block(&second),
            observe: &by_id("Category"),
            check_create: &|o| assert_eq!(o["value"], first.as_str(), "Halo's category: {o}"),
            check_update: &|o| assert_eq!(o["value"], second.as_str(), "Halo's category: {o}"),
        },
    );
}

fn client(t: &Target) {
    let (prelude, department) = t.department();
    let block = |notes: &str| {
        format!(
            "resource \"halopsa_client\" \"c\" {{\n  name          = {}\n  department_id = {department}\n  notes         = {}\n}}\n",
            q(&t.name("Client")),
            q(notes)
        )
    };
    let name = t.name("Client");
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_client.c",
            prelude,
            create: block("first"),
            update: block("second"),
            observe: &by_id("Client"),
            check_create: &named(name.clone()),
            check_update: &|o| assert_eq!(o["notes"], "second", "Halo's client: {o}"),
        },
    );
}

fn role(t: &Target) {
    let block = |description: &str, access: &str| {
        format!(
            "resource \"halopsa_role\" \"r\" {{\n  name        = {}\n  description = {}\n  permissions = {{\n    tickets_access = {}\n  }}\n}}\n",
            q(&t.name("Role")),
            q(description),
            q(access)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_role.r",
            prelude: String::new(),
            create: block("first", "read_only"),
            update: block("second", "read_modify"),
            observe: &by_id("Roles"),
            check_create: &named(t.name("Role")),
            check_update: &|o| assert_eq!(o["notes"], "second", "Halo's role: {o}"),
        },
    );
}

fn role_department(t: &Target) {
    let (home, department) = t.department();
    let prelude = format!(
        "{home}\nresource \"halopsa_role\" \"r\" {{\n  name = {}\n}}\n",
        q(&t.name("Member Role"))
    );
    let block = |level: &str| {
        format!(
            "resource \"halopsa_role_department\" \"m\" {{\n  role_id          = halopsa_role.r.id\n  department_id    = {department}\n  membership_level = {}\n}}\n",
            q(level)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_role_department.m",
            prelude,
            create: block("read_only"),
            update: block("modify_all"),
            observe: &membership("Roles"),
            check_create: &|_| {},
            check_update: &|_| {},
        },
    );
}

fn agent_role_prelude(t: &Target) -> String {
    format!(
        "resource \"halopsa_role\" \"r\" {{\n  name = {}\n}}\n\nresource \"halopsa_agent\" \"a\" {{\n  name         = {}\n  is_api_agent = true\n  role_ids     = [halopsa_role.r.id]\n}}\n",
        q(&t.name("Agent Role")),
        q(&t.name("Agent"))
    )
}

fn agent(t: &Target) {
    let role = format!(
        "resource \"halopsa_role\" \"r\" {{\n  name = {}\n}}\n",
        q(&t.name("Agent Role"))
    );
    let block = |name: &str| {
        format!(
            "resource \"halopsa_agent\" \"a\" {{\n  name         = {}\n  is_api_agent = true\n  role_ids     = [halopsa_role.r.id]\n}}\n",
            q(name)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_agent.a",
            prelude: role,
            create: block(&t.name("Agent")),
            update: block(&t.name("Agent renamed")),
            observe: &|api, id| {
                api.object("Agent", id)
                    .filter(|o| o["isdisabled"] != true && o["inactive"] != true)
            },
            check_create: &|o| {
                assert_eq!(o["isapiagent"], true, "Halo's agent is API-only: {o}");
            },
            check_update: &named(t.name("Agent renamed")),
        },
    );
}

fn agent_department(t: &Target) {
    let (home, department) = t.department();
    let prelude = format!("{home}\n{}", agent_role_prelude(t));
    let block = |level: &str| {
        format!(
            "resource \"halopsa_agent_department\" \"m\" {{\n  agent_id         = halopsa_agent.a.id\n  department_id    = {department}\n  membership_level = {}\n}}\n",
            q(level)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_agent_department.m",
            prelude,
            create: block("read_only"),
            update: block("modify_all"),
            observe: &membership("Agent"),
            check_create: &|_| {},
            check_update: &|_| {},
        },
    );
}

fn scopes(o: &Value) -> Vec<String> {
    let mut names: Vec<String> = o["scopes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn api_application(t: &Target) {
    let block = |scopes: &str| {
        format!(
            "resource \"halopsa_api_application\" \"app\" {{\n  name              = {}\n  login_as_agent_id = halopsa_agent.a.id\n  permissions       = {scopes}\n}}\n",
            q(&t.name("App"))
        )
    };
    let name = t.name("App");
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_api_application.app",
            prelude: agent_role_prelude(t),
            create: block("[\"read:tickets\"]"),
            update: block("[\"read:tickets\", \"read:customers\"]"),
            observe: &by_id("Application"),
            check_create: &|o| {
                assert_eq!(o["displayName"], name.as_str(), "Halo's application: {o}");
                assert_eq!(scopes(o), ["read:tickets"], "Halo's application: {o}");
            },
            check_update: &|o| {
                assert_eq!(
                    scopes(o),
                    ["read:customers", "read:tickets"],
                    "Halo's application: {o}"
                );
            },
        },
    );
}

fn webhook(t: &Target) {
    let block = |url: &str| {
        format!(
            "resource \"halopsa_webhook\" \"w\" {{\n  name = {}\n  url  = {}\n}}\n",
            q(&t.name("Hook")),
            q(url)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_webhook.w",
            prelude: String::new(),
            create: block("https://tfacc.example.com/first"),
            update: block("https://tfacc.example.com/second"),
            observe: &by_id("Webhook"),
            check_create: &named(t.name("Hook")),
            check_update: &|o| {
                assert_eq!(
                    o["url"], "https://tfacc.example.com/second",
                    "Halo's webhook: {o}"
                )
            },
        },
    );
}

/// A ticket type renamed and opened to end users in place.
fn ticket_type(t: &Target) {
    let block = |name: &str, end_users: bool| {
        format!(
            "resource \"halopsa_ticket_type\" \"tt\" {{\n  name                 = {}\n  end_users_can_select = {end_users}\n}}\n",
            q(name)
        )
    };
    let renamed = t.name("Type Renamed");
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_ticket_type.tt",
            prelude: String::new(),
            create: block(&t.name("Type"), false),
            update: block(&renamed, true),
            observe: &by_id("TicketType"),
            check_create: &named(t.name("Type")),
            check_update: &|o| {
                assert_eq!(o["name"], renamed.as_str(), "Halo's ticket type: {o}");
                assert_eq!(o["enduserscanselect"], true, "Halo's ticket type: {o}");
            },
        },
    );
}

/// An empty field group renamed in place.
fn field_group(t: &Target) {
    let block = |name: &str| {
        format!(
            "resource \"halopsa_field_group\" \"g\" {{\n  name = {}\n}}\n",
            q(name)
        )
    };
    lifecycle(
        t,
        Lifecycle {
            addr: "halopsa_field_group.g",
            prelude: String::new(),
            create: block(&t.name("Group")),
            update: block(&t.name("Group Renamed")),
            observe: &by_id("FieldGroup"),
            check_create: &named(t.name("Group")),
            check_update: &named(t.name("Group Renamed")),
        },
    );
}

/// The family `api_object`'s case makes its object in: ticket statuses, a kind
/// the sweeper lists by name (`sweep`'s `status`), so what a failed run leaves
/// under its prefix is swept like a `halopsa_status`.
const API_OBJECT_FAMILY: &str = "Status";

/// `halopsa_api_object "o"`: a ticket status (no ticket uses it) named `name`,
/// made through the generic resource.
fn api_object_block(name: &str) -> String {
    format!(
        "resource \"halopsa_api_object\" \"o\" {{\n  path = {}\n  body = {{\n    name   = {}\n    colour = \"#9e9e9e\"\n  }}\n}}\n",
        q(API_OBJECT_FAMILY),
        q(name)
    )
}

/// A status made, renamed in place, imported (by `Status/ID`) and destroyed
/// through the generic `halopsa_api_object`.
fn api_object(t: &Target) {
    lifecycle_imported_as(
        t,
        Lifecycle {
            addr: "halopsa_api_object.o",
            prelude: String::new(),
            create: api_object_block(&t.name("Object")),
            update: api_object_block(&t.name("Object renamed")),
            observe: &by_id(API_OBJECT_FAMILY),
            check_create: &named(t.name("Object")),
            check_update: &named(t.name("Object renamed")),
        },
        &|id| format!("{API_OBJECT_FAMILY}/{id}"),
    );
}

/// Objects of several kinds, then each data source finds them by name.
fn data_sources(t: &Target) {
    let (home, department) = t.department();
    let objects = format!(
        "{home}\n{}\nresource \"halopsa_team\" \"t\" {{\n  name          = {}\n  department_id = {department}\n}}\n\nresource \"halopsa_client\" \"c\" {{\n  name          = {}\n  department_id = {department}\n}}\n\nresource \"halopsa_webhook\" \"w\" {{\n  name = {}\n  url  = \"https://tfacc.example.com/ds\"\n}}\n",
        agent_role_prelude(t),
        q(&t.name("DS Team")),
        q(&t.name("DS Client")),
        q(&t.name("DS Hook")),
    );
    let wd = t.applied(&objects);
    let mut lookups = vec![
        ("halopsa_role", "r", t.name("Agent Role"), "halopsa_role.r"),
        ("halopsa_agent", "a", t.name("Agent"), "halopsa_agent.a"),
        ("halopsa_team", "t", t.name("DS Team"), "halopsa_team.t"),
        (
            "halopsa_client",
            "c",
            t.name("DS Client"),
            "halopsa_client.c",
        ),
        (
            "halopsa_webhook",
            "w",
            t.name("DS Hook"),
            "halopsa_webhook.w",
        ),
    ];
    if t.department_id.is_none() {
        lookups.push((
            "halopsa_organisation",
            "o",
            t.name("Home Org"),
            "halopsa_organisation.home",
        ));
        lookups.push((
            "halopsa_department",
            "d",
            t.name("Home Dept"),
            "halopsa_department.home",
        ));
    }
    let reader = t.workdir();
    let mut hcl = String::new();
    for (type_name, name, object, _) in &lookups {
        hcl.push_str(&format!(
            "data \"{type_name}\" \"{name}\" {{\n  name = {}\n}}\n\n",
            q(object)
        ));
    }
    reader.write_config(&hcl);
    reader.apply();
    for (type_name, name, _, resource) in &lookups {
        assert_eq!(
            reader.resource_id(&format!("data.{type_name}.{name}")),
            wd.resource_id(resource),
            "data.{type_name}.{name} found {resource}"
        );
    }
    // Work hours are Halo's own: the first one is found by its name.
    let workdays = t.api.list("Workday", &[]);
    if let Some(first) = workdays.first().and_then(|w| w["name"].as_str()) {
        reader.write_config(&format!(
            "data \"halopsa_workday\" \"w\" {{\n  name = {}\n}}\n",
            q(first)
        ));
        reader.apply();
        assert_eq!(
            reader.resource_id("data.halopsa_workday.w"),
            crate::support::id_of(&workdays[0])
        );
    }
    wd.destroy();
}

/// `terraform query` lists what the run made, by its prefix, and import blocks
/// generated from it plan clean.
fn query(t: &Target) {
    let wd = t.applied(&format!(
        "{}\nresource \"halopsa_organisation\" \"o\" {{\n  name = {}\n}}\n",
        agent_role_prelude(t),
        q(&t.name("Query Org"))
    ));
    let lister = t.workdir();
    lister.write_config("");
    let mut blocks = String::new();
    for type_name in ["halopsa_organisation", "halopsa_role", "halopsa_agent"] {
        blocks.push_str(&format!(
            "list \"{type_name}\" \"mine\" {{\n  provider = halopsa\n  limit    = 1000\n  config {{\n    name = {}\n  }}\n}}\n\n",
            q(&t.prefix)
        ));
    }
    lister.write_file("tenant.tfquery.hcl", &blocks);
    let out = lister.run_ok(&["query", "-no-color"]);
    for (type_name, addr) in [
        ("halopsa_organisation", "halopsa_organisation.o"),
        ("halopsa_role", "halopsa_role.r"),
        ("halopsa_agent", "halopsa_agent.a"),
    ] {
        let ids = listed_ids(&out, type_name, "mine");
        assert!(
            ids.contains(&wd.resource_id(addr)),
            "terraform query listed {addr} among {type_name}: {ids:?}\n{out}"
        );
    }
    wd.destroy();
}

/// modules/integration on the run's own department and team: the role and the
/// agent get "modify all" on the department, the application logs in as the agent.
fn integration_module(t: &Target) {
    let (home, department) = t.department();
    let workdays = t.api.list("Workday", &[]);
    let work_hours = workdays
        .first()
        .and_then(|w| w["name"].as_str())
        .unwrap_or_else(|| panic!("Halo lists no work hours (GET /api/Workday): {workdays:?}"))
        .to_owned();
    // The department and team first: the module's for_each needs the department's
    // id known at plan.
    let base = t.applied(&format!(
        "{home}\nresource \"halopsa_team\" \"t\" {{\n  name          = {team}\n  department_id = {department}\n}}\n",
        team = q(&t.name("Cork Team")),
    ));
    let department_id = match &t.department_id {
        Some(id) => id.clone(),
        None => base.resource_id("halopsa_department.home"),
    };
    let wd = t.workdir();
    wd.write_config(&format!(
        "module \"cork\" {{\n  source         = \"./modules/integration\"\n  name           = {name}\n  department_ids = [{department}]\n  default_team   = {team}\n  work_hours     = {hours}\n  permissions    = {{ tickets_access = \"read_modify\" }}\n  scopes         = [\"read:tickets\", \"edit:tickets\"]\n}}\n\n\
         output \"agent_id\" {{\n  value = module.cork.agent_id\n}}\n\noutput \"role_id\" {{\n  value = module.cork.role_id\n}}\n\noutput \"application_id\" {{\n  value = module.cork.application_id\n}}\n",
        department = q(&department_id),
        team = q(&t.name("Cork Team")),
        name = q(&t.name("Cork")),
        hours = q(&work_hours),
    ));
    wd.use_module("integration");
    wd.apply();
    let text = |v: Value| {
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string())
    };
    let agent_id = text(wd.output("agent_id"));
    let role_id = text(wd.output("role_id"));
    let app_id = text(wd.output("application_id"));
    let app = t
        .api
        .object("Application", &app_id)
        .unwrap_or_else(|| panic!("the application {app_id} is not in Halo"));
    assert_eq!(
        app["loginas_agent_id"].to_string().trim_matches('"'),
        agent_id,
        "the application logs in as the module's agent: {app}"
    );
    for (path, id) in [("Roles", role_id.as_str()), ("Agent", agent_id.as_str())] {
        assert!(
            membership(path)(&t.api, &format!("{id}/{department_id}")).is_some(),
            "{path} {id} is a member of department {department_id}"
        );
    }
    wd.assert_plan_clean();
    wd.destroy();
    assert!(t.api.object("Application", &app_id).is_none());
    base.destroy();
}

/// halo-sim only: a create answered 503 once is retried, and made once.
fn create_retried_after_503(t: &Target) {
    let Some(sim) = t.sim_only("it makes halo-sim answer 503 once") else {
        return;
    };
    sim.inject(halo_sim::Fault {
        method: Some("POST".into()),
        path_prefix: "/api/Organisation".into(),
        count: 1,
        action: halo_sim::FaultAction::Status {
            status: 503,
            retry_after_secs: None,
        },
    });
    let name = t.name("Retried Org");
    let wd = t.applied(&format!(
        "resource \"halopsa_organisation\" \"o\" {{\n  name = {}\n}}\n",
        q(&name)
    ));
    let id = wd.resource_id("halopsa_organisation.o");
    let made: Vec<Value> = t
        .api
        .list("Organisation", &[])
        .into_iter()
        .filter(|o| o["name"] == name.as_str())
        .collect();
    assert_eq!(made.len(), 1, "one organisation was made: {made:?}");
    assert_eq!(crate::support::id_of(&made[0]), id);
    wd.destroy();
}

/// The halo-sim-only case runs on halo-sim in-process (the live run skips it).
#[test]
fn sim_only_case_runs_on_halo_sim() {
    let target = Target::sim();
    create_retried_after_503(&target);
    let log = target.provider_requests();
    assert!(
        log.iter()
            .filter(|l| l.starts_with("POST /api/Organisation"))
            .count()
            >= 2,
        "the create was sent again after the 503: {log:?}"
    );
}

/// The cases pass on halo-sim in-process too (one of them here; the live run
/// against a standalone halo-sim is `live_safety::`).
#[test]
fn organisation_case_passes_on_halo_sim() {
    let target = Target::sim();
    organisation(&target);
    assert!(target.sim_only("counting the journal").is_some());
    assert!(
        !target.provider_requests().is_empty(),
        "the provider log is read"
    );
}

/// The service desk configuration cases (statuses, actions, categories, ticket
/// types, field groups) pass on halo-sim in-process.
#[test]
fn service_desk_cases_pass_on_halo_sim() {
    let target = Target::sim();
    status(&target);
    outcome(&target);
    category(&target);
    ticket_type(&target);
    field_group(&target);
}

/// The api_object case passes on halo-sim in-process; and the status it makes,
/// left behind as by a run that failed before its destroy, is deleted by the
/// run's sweep, which then finds nothing left under the prefix.
#[test]
fn api_object_case_passes_and_what_it_leaves_is_swept() {
    let target = Target::sim();
    api_object(&target);

    let wd = target.workdir();
    wd.write_config(&api_object_block(&target.name("Object left")));
    wd.apply();
    let id = wd.resource_id("halopsa_api_object.o");
    assert!(target.api.object(API_OBJECT_FAMILY, &id).is_some());

    let report = sweep(&target);
    assert_eq!(report["complete"], true, "{report:#}");
    let deleted = report["deleted"].as_array().cloned().unwrap_or_default();
    assert!(
        deleted
            .iter()
            .any(|o| o["kind"] == "status" && o["id"] == id.as_str()),
        "the sweep deleted the status the api_object made: {report:#}"
    );
    assert!(
        target.api.object(API_OBJECT_FAMILY, &id).is_none(),
        "status {id} is still in Halo after the sweep"
    );
}
