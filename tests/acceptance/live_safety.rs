//! The live mode's safety, proven against a Halo the live run knows only by URL:
//! halo-sim behind a recording proxy ([`Proxy`]). The live run is this test binary
//! started again as `live::run` with `HALOPSA_LIVE=1` and the proxy's URL and the
//! credentials, as a user starts it against their sandbox; the test driver (this
//! process) looks at the emulator and the proxy afterwards.
//!
//! - Without `HALOPSA_LIVE_CONFIRM` equal to the host name it refuses and sends
//!   nothing at all.
//! - A run sends nothing to a control path (`/__...`), only `/api` and `/auth`, and
//!   leaves nothing with its prefix behind, nor changes anything without it.
//! - A run killed midway leaves objects that `sweep` lists and then removes
//!   completely, touching nothing without the prefix.

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::live::run_sweep;
use crate::support::proxy::Proxy;
use crate::support::{id_of, Kind, Sim, SimOptions};

/// halo-sim and a proxy in front of it.
struct Remote {
    sim: Sim,
    proxy: Proxy,
    client_id: String,
    client_secret: String,
}

impl Remote {
    fn start() -> Remote {
        let options = SimOptions::default();
        let (client_id, client_secret) = (options.client_id.clone(), options.client_secret.clone());
        let sim = Sim::start(options).expect("start halo-sim");
        let proxy = Proxy::start(&sim.url());
        Remote {
            sim,
            proxy,
            client_id,
            client_secret,
        }
    }

    /// What a user sets: the URL (the proxy's) and the credentials.
    fn halo_env(&self) -> Vec<(String, String)> {
        vec![
            ("HALOPSA_URL".into(), self.proxy.url()),
            ("HALOPSA_CLIENT_ID".into(), self.client_id.clone()),
            ("HALOPSA_CLIENT_SECRET".into(), self.client_secret.clone()),
        ]
    }

    /// This test binary as `live::run`, with `extra` after the connection settings.
    fn live_run(&self, extra: &[(&str, &str)]) -> Command {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut cmd = Command::new(exe);
        cmd.args(["--exact", "live::run", "--nocapture", "--test-threads=1"]);
        for (key, _) in std::env::vars_os() {
            let k = key.to_string_lossy();
            if k.starts_with("HALOPSA_") || k.starts_with("TF_") {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HALOPSA_LIVE", "1")
            .envs(self.halo_env())
            .envs(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .stdin(Stdio::null());
        cmd
    }

    /// Every object of every kind in the emulator, as `(kind, id, name)` with the
    /// object, sorted.
    fn objects(&self) -> Vec<(String, String, String, Value)> {
        let mut all = Vec::new();
        for kind in Kind::ALL {
            for o in self.sim.objects(kind) {
                let name = o["name"]
                    .as_str()
                    .or_else(|| o["displayName"].as_str())
                    .unwrap_or("")
                    .to_owned();
                all.push((format!("{kind:?}"), id_of(&o), name, o));
            }
        }
        all.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        all
    }

    /// The objects whose name starts with `prefix` (as `kind/id`), and all the
    /// others whole.
    fn split(&self, prefix: &str) -> (BTreeSet<String>, Vec<Value>) {
        let mut named = BTreeSet::new();
        let mut others = Vec::new();
        for (kind, id, name, o) in self.objects() {
            if name.starts_with(prefix) {
                named.insert(format!("{kind}/{id}"));
            } else {
                others.push(json!({"kind": kind, "object": o}));
            }
        }
        (named, others)
    }

    /// Objects a person made, whose names resemble the run's prefix but do not
    /// start with it: a sweep must leave them alone.
    fn insert_decoys(&self, prefix: &str) {
        self.sim
            .insert(Kind::Organisation, json!({"name": "tfacc-other-Org"}));
        self.sim.insert(
            Kind::Organisation,
            json!({"name": format!("Acme {prefix}Org")}),
        );
        self.sim.insert(
            Kind::Role,
            json!({"name": prefix.to_ascii_uppercase() + "Role"}),
        );
        self.sim.insert(
            Kind::Webhook,
            json!({"name": "tfacc-", "url": "https://example.com/x"}),
        );
    }
}

fn kill_group(child: &mut Child) {
    // The live run, its Terraform and their providers are one process group.
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn refuses_to_start_without_the_confirmation_and_sends_nothing() {
    let remote = Remote::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("report.json");
    let report_text = report.to_string_lossy().into_owned();
    for confirm in [None, Some("halo.example.com"), Some("127.0.0.2")] {
        let mut extra = vec![("HALOPSA_LIVE_REPORT", report_text.as_str())];
        if let Some(c) = confirm {
            extra.push(("HALOPSA_LIVE_CONFIRM", c));
        }
        let out = remote.live_run(&extra).output().expect("run the live run");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.status.success(),
            "the run started with {confirm:?}:\n{text}"
        );
        assert!(
            text.contains("refusing to start (nothing was sent)")
                && text.contains("HALOPSA_LIVE_CONFIRM=127.0.0.1"),
            "the refusal names the variable and the host to confirm:\n{text}"
        );
        assert_eq!(
            remote.proxy.seen(),
            vec![],
            "a request was sent with confirmation {confirm:?}"
        );
        assert!(remote.sim.journal().is_empty());
        assert!(!report.exists(), "no report of a run that did not start");
    }
}

#[test]
fn a_live_run_sends_no_control_request_and_leaves_nothing_behind() {
    let remote = Remote::start();
    let prefix = "tfacc-nocontrol-";
    remote.insert_decoys(prefix);
    let (_, others_before) = remote.split(prefix);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("report.json");
    let out = remote
        .live_run(&[
            ("HALOPSA_LIVE_CONFIRM", "127.0.0.1"),
            ("HALOPSA_LIVE_RUN_ID", "nocontrol"),
            ("HALOPSA_LIVE_ONLY", "role_department,api_application,query"),
            ("HALOPSA_LIVE_PACE_MS", "0"),
            ("HALOPSA_LIVE_REPORT", &report.to_string_lossy()),
        ])
        .output()
        .expect("run the live run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the live run failed:\n{stderr}");
    for line in [
        "[1/3] role_department ... ok",
        "[3/3] query ... ok",
        "requests",
    ] {
        assert!(
            stderr.contains(line),
            "progress {line:?} is printed:\n{stderr}"
        );
    }

    let seen = remote.proxy.seen();
    assert!(seen.len() > 20, "the run went through the proxy: {seen:?}");
    let wrong: Vec<_> = seen
        .iter()
        .filter(|s| !(s.target.starts_with("/api/") || s.target.starts_with("/auth/")))
        .collect();
    assert!(
        wrong.is_empty(),
        "requests outside /api and /auth: {wrong:?}"
    );
    assert!(seen.iter().all(|s| !s.target.starts_with("/__")));

    let (left, others_after) = remote.split(prefix);
    assert!(left.is_empty(), "the run left {left:?}");
    assert_eq!(
        others_after, others_before,
        "objects without the prefix changed"
    );
    let journal = remote.sim.journal();
    assert!(
        journal.iter().all(|e| e.status != 429),
        "the run stayed under the rate limit"
    );

    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("the report was written"))
            .expect("the report is JSON");
    let outcomes: Vec<(&str, &str)> = report["tests"]
        .as_array()
        .expect("tests in the report")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap_or(""),
                t["outcome"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("role_department", "passed"),
            ("api_application", "passed"),
            ("query", "passed")
        ]
    );
    assert_eq!(report["sweep"]["complete"], true, "{report:#}");
    let provider = report["requests"]["provider"].as_u64().unwrap_or(0);
    assert!(
        provider > 10,
        "the provider's requests are counted: {report:#}"
    );
    assert_eq!(report["instance"]["prefix"], prefix);
    let text = report.to_string();
    assert!(
        !text.contains(&remote.client_secret),
        "the report holds the client secret"
    );
}

#[test]
fn an_interrupted_run_leaves_what_sweep_removes_touching_nothing_else() {
    let remote = Remote::start();
    let prefix = "tfacc-killed-";
    remote.insert_decoys(prefix);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("report.json");
    let mut cmd = remote.live_run(&[
        ("HALOPSA_LIVE_CONFIRM", "127.0.0.1"),
        ("HALOPSA_LIVE_RUN_ID", "killed"),
        ("HALOPSA_LIVE_ONLY", "data_sources,integration_module"),
        ("HALOPSA_LIVE_PACE_MS", "0"),
        ("HALOPSA_LIVE_REPORT", &report.to_string_lossy()),
    ]);
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the live run");
    // Killed as soon as it has made several objects, mid-apply or just after.
    let started = Instant::now();
    loop {
        if remote.split(prefix).0.len() >= 4 {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the live run ended ({status}) before it was interrupted");
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "the live run made no objects"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    kill_group(&mut child);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!report.exists(), "the killed run wrote no report");

    let (left, others) = remote.split(prefix);
    assert!(
        left.len() >= 4,
        "the interrupted run left objects: {left:?}"
    );

    // Too short or empty a prefix is refused before anything is sent.
    remote.sim.clear_journal();
    let env = remote.halo_env();
    for bad in ["", "tfac", "  "] {
        let (code, _, stderr) = run_sweep(&env, bad, true);
        assert_eq!(code, 2, "sweep --prefix {bad:?} was refused: {stderr}");
    }
    assert!(
        remote.sim.journal().is_empty(),
        "a refused sweep sent requests"
    );

    // The dry run lists exactly the leftovers and changes nothing.
    let (code, listed, stderr) = run_sweep(&env, prefix, false);
    assert_eq!(code, 0, "{stderr}");
    let kind_names = |kind: &str| match kind {
        "organisation" => "Organisation",
        "department" => "Department",
        "team" => "Team",
        "agent" => "Agent",
        "role" => "Role",
        "api_application" => "Application",
        "client" => "Client",
        "webhook" => "Webhook",
        other => panic!("the sweeper listed an unknown kind {other}"),
    };
    let listed: BTreeSet<String> = listed["objects"]
        .as_array()
        .expect("objects in the sweep's answer")
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                kind_names(o["kind"].as_str().unwrap_or("")),
                o["id"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(listed, left, "the dry run lists what the run left");
    assert_eq!(remote.split(prefix), (left.clone(), others.clone()));
    assert!(remote
        .sim
        .journal()
        .iter()
        .all(|e| e.method == "GET" || e.path.starts_with("/auth")));

    // --yes removes them all, children first, and nothing else.
    remote.sim.clear_journal();
    let (code, deleted, stderr) = run_sweep(&env, prefix, true);
    assert_eq!(
        code, 0,
        "the sweep deleted everything: {deleted:#}\n{stderr}"
    );
    let (after, others_after) = remote.split(prefix);
    assert!(after.is_empty(), "the sweep left {after:?}");
    assert_eq!(others_after, others, "objects without the prefix changed");
    let writes: Vec<String> = remote
        .sim
        .journal()
        .iter()
        .filter(|e| e.method != "GET" && e.path.starts_with("/api/"))
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    assert!(
        writes.iter().all(|w| w.starts_with("DELETE ")),
        "the sweep only deletes: {writes:?}"
    );
    assert_eq!(
        writes.len(),
        left.len(),
        "one DELETE per leftover: {writes:?}"
    );
    let position = |path: &str| writes.iter().position(|w| w.contains(path));
    if let (Some(agent), Some(org)) = (position("/api/Agent/"), position("/api/Organisation/")) {
        assert!(agent < org, "children before parents: {writes:?}");
    }
}

#[test]
fn a_failed_case_is_reported_and_its_objects_still_swept() {
    let remote = Remote::start();
    let prefix = "tfacc-failing-";
    // The first read of an organisation by id fails: the case fails there, whether
    // the provider or the test's read-back meets it.
    remote.sim.inject(halo_sim::Fault {
        method: Some("GET".into()),
        path_prefix: "/api/Organisation/".into(),
        count: 1,
        action: halo_sim::FaultAction::Status {
            status: 500,
            retry_after_secs: None,
        },
    });
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("report.json");
    let out = remote
        .live_run(&[
            ("HALOPSA_LIVE_CONFIRM", "127.0.0.1"),
            ("HALOPSA_LIVE_RUN_ID", "failing"),
            ("HALOPSA_LIVE_ONLY", "organisation"),
            ("HALOPSA_LIVE_PACE_MS", "0"),
            ("HALOPSA_LIVE_REPORT", &report.to_string_lossy()),
        ])
        .output()
        .expect("run the live run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the run failed:\n{stderr}");
    assert!(stderr.contains("[1/1] organisation ... FAILED"), "{stderr}");

    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("the report was written"))
            .expect("the report is JSON");
    let case = &report["tests"][0];
    assert_eq!(case["outcome"], "failed", "{report:#}");
    assert!(
        case["message"].as_str().is_some_and(|m| m.contains("500")),
        "the message says what Halo answered: {report:#}"
    );
    assert!(
        case["provider_requests"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r
                .as_str()
                .is_some_and(|r| r.starts_with("POST /api/Organisation")))),
        "the provider's requests are in the report: {report:#}"
    );
    // When the test's read-back met the fault, the report shows that exchange.
    if !case["halo_exchange"].is_null() {
        assert_eq!(case["halo_exchange"]["status"], 500, "{report:#}");
        assert!(case["halo_exchange"]["request"]
            .as_str()
            .is_some_and(|r| r.starts_with("GET /api/Organisation/")));
    }
    assert!(!report.to_string().contains(&remote.client_secret));
    // The organisation the failed case made was swept at the end.
    assert_eq!(report["sweep"]["complete"], true, "{report:#}");
    assert!(
        report["sweep"]["deleted"]
            .as_array()
            .is_some_and(|d| d.iter().any(|o| o["kind"] == "organisation")),
        "{report:#}"
    );
    assert!(remote.split(prefix).0.is_empty());
}

/// The sweep finds and deletes the service desk configuration a run left behind
/// (ticket types, field groups, custom fields, SLAs, actions, statuses,
/// categories, work hours) and leaves alone what is not under its prefix.
#[test]
fn sweep_removes_the_service_desk_kinds_under_its_prefix_only() {
    let remote = Remote::start();
    let prefix = "tfacc-desk-";
    let families = [
        ("TicketType", "name"),
        ("FieldGroup", "name"),
        ("FieldInfo", "name"),
        ("SLA", "name"),
        ("Outcome", "outcome"),
        ("Status", "name"),
        ("Category", "value"),
    ];
    for (family, key) in families {
        remote
            .sim
            .insert_generic(family, json!({ key: format!("{prefix}{family}") }));
        remote
            .sim
            .insert_generic(family, json!({ key: format!("kept-{family}") }));
    }
    let hours = |name: &str| json!({"name": name, "timezone": "UTC"});
    remote
        .sim
        .insert(Kind::Workday, hours(&format!("{prefix}Hours")));
    remote.sim.insert(Kind::Workday, hours("kept-Hours"));
    let (code, listed, stderr) = run_sweep(&remote.halo_env(), prefix, false);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        listed["objects"].as_array().map_or(0, Vec::len),
        families.len() + 1,
        "{listed:#}"
    );
    let (code, _, stderr) = run_sweep(&remote.halo_env(), prefix, true);
    assert_eq!(code, 0, "{stderr}");
    for (family, key) in families {
        let names: Vec<String> = remote
            .sim
            .generic_objects(family)
            .iter()
            .filter_map(|o| o[key].as_str().map(str::to_owned))
            .collect();
        assert!(
            !names.iter().any(|n| n.starts_with(prefix)),
            "{family} still holds {names:?}"
        );
        assert!(
            names.contains(&format!("kept-{family}")),
            "{family} lost what is not under the prefix: {names:?}"
        );
    }
    let hours: Vec<String> = remote
        .sim
        .objects(Kind::Workday)
        .iter()
        .filter_map(|o| o["name"].as_str().map(str::to_owned))
        .collect();
    assert!(!hours.iter().any(|n| n.starts_with(prefix)), "{hours:?}");
    assert!(hours.iter().any(|n| n == "kept-Hours"), "{hours:?}");
}
