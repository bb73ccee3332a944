//! `cargo bench --bench api_object`: the Halo requests of a no-change plan of
//! 1,000 `halopsa_api_object`s in five families, and its time.
//!
//! A refresh reads each family's list once per run (every page of it, shared
//! by all objects of the family) and answers each object from it when the
//! listed object carries every key its `body` manages; an object whose body
//! manages a key the list leaves out (Halo's list answers leave out detail
//! lists such as an SLA's `priorities`) is read by `GET /api/PATH/ID`. The
//! second measure shows that case: SLAs with their priorities.
//!
//! `BENCH_SCALE=0.2 cargo bench --bench api_object` for a quick look.

#[allow(dead_code, unused_imports)]
#[path = "../tests/acceptance/support/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{TestEnv, Workdir};

const FAMILIES: [(&str, &str); 5] = [
    ("TicketType", "name"),
    ("Status", "name"),
    ("Category", "value"),
    ("Outcome", "outcome"),
    ("Priority", "name"),
];

fn scale(n: usize) -> usize {
    let s: f64 = std::env::var("BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    ((n as f64 * s).round() as usize).max(5)
}

fn scalar_objects(per_family: usize) -> String {
    FAMILIES
        .iter()
        .map(|(family, name)| {
            format!(
                r#"
resource "halopsa_api_object" "{lower}" {{
  count = {per_family}
  path  = "{family}"
  body  = {{ {name} = "Bench {family} ${{count.index}}" }}
}}
"#,
                lower = family.to_ascii_lowercase()
            )
        })
        .collect()
}

fn slas(n: usize) -> String {
    format!(
        r#"
resource "halopsa_api_object" "sla" {{
  count = {n}
  path  = "SLA"
  body = {{
    name       = "Bench SLA ${{count.index}}"
    priorities = [{{ name = "P1", responsetime = 1 }}, {{ name = "P2", responsetime = 4 }}]
  }}
}}
"#
    )
}

fn api_requests(env: &TestEnv) -> (usize, usize) {
    let journal = env.sim.journal();
    let api: Vec<_> = journal
        .iter()
        .filter(|e| e.path.starts_with("/api/") && e.path != "/api/authinfo")
        .collect();
    let gets_by_id = api
        .iter()
        .filter(|e| e.method == "GET" && e.path.trim_start_matches("/api/").contains('/'))
        .count();
    (api.len(), gets_by_id)
}

/// The provider unpaced: halo-sim has no rate limit here, the client-side
/// pacing (Halo's hosted 300 per 5 minutes) would only measure the wait.
const UNPACED: &[(&str, &str)] = &[("HALOPSA_RATE_LIMIT_REQUESTS", "1000000")];

fn apply(wd: &Workdir) {
    let out = wd.run(
        &[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-parallelism=20",
        ],
        UNPACED,
    );
    assert!(out.success(), "{out}");
}

fn no_change_plan(env: &TestEnv, wd: &Workdir) -> (usize, usize, Duration) {
    env.sim.clear_journal();
    let started = Instant::now();
    let out = wd.run(
        &[
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-no-color",
            "-parallelism=10",
        ],
        UNPACED,
    );
    let took = started.elapsed();
    assert!(out.code == 0, "the plan is not clean:\n{out}");
    let (all, gets) = api_requests(env);
    (all, gets, took)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let per_family = scale(200);
    let n = per_family * FAMILIES.len();
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&scalar_objects(per_family));
    apply(&wd);
    let (all, gets, took) = no_change_plan(&env, &wd);
    println!(
        "1. no-change plan of {n} halopsa_api_object in five families: {all} Halo requests = {:.3}/object ({gets} GET by id; goal: list pages only, {}), {took:.2?}",
        all as f64 / n as f64,
        if gets == 0 { "met" } else { "NOT met" }
    );

    let m = scale(100);
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&slas(m));
    apply(&wd);
    let (all, gets, took) = no_change_plan(&env, &wd);
    println!(
        "2. no-change plan of {m} SLAs managing `priorities` (a detail list Halo's list answer leaves out): {all} requests = {:.3}/object, {gets} of them GET by id, {took:.2?}",
        all as f64 / m as f64
    );
}
