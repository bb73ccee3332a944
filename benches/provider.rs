//! `cargo bench --bench provider`: the provider's speed and request economy,
//! each figure printed beside its goal and, where the issue asks for a ratio,
//! against a baseline measured in the same run.
//!
//! 1. Provider overhead: a fresh apply of N `halopsa_organisation` against
//!    halo-sim (no latency) vs N of Terraform's built-in `terraform_data` and vs
//!    the plugin floor, N `floor_thing` of a no-op provider built from the same
//!    crates (`benches/floor/mod.rs`; medians of three), beside the same apply
//!    without batch creates.
//! 2. Start-up: process start to handshake line; peak RSS during a plan.
//! 3. Requests per object: halo-sim's journal for apply, no-change plan and
//!    destroy of a mix of object kinds.
//! 4. Refresh of many objects under Halo's hosted rate limit and 100 ms latency.
//! 5. Apply of 500 mixed objects under Halo's hosted rate limit and 100 ms latency
//!    (batch creates).
//! 6. Apply then destroy back to back with 40 requests per 60 s on both sides
//!    (the request budget shared by provider processes): no 429.
//!
//! Sizes can be lowered for a quick look: `BENCH_SCALE=0.2 cargo bench --bench provider`;
//! `cargo bench --bench provider -- mixed` runs only the measures so named.

// Each bench uses a part of the acceptance tests' harness.
#[allow(dead_code, unused_imports)]
#[path = "../tests/acceptance/support/mod.rs"]
mod common;
mod floor;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestEnv, Workdir};
use halo_sim::RateLimit;

fn scale(n: usize) -> usize {
    let factor: f64 = std::env::var("BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    ((n as f64 * factor).round() as usize).max(1)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "meets goal"
    } else {
        "MISSES goal"
    }
}

fn organisations(n: usize) -> String {
    format!("resource \"halopsa_organisation\" \"o\" {{\n  count = {n}\n  name  = \"Bench ${{count.index}}\"\n}}\n")
}

/// A mix of kinds, `n` objects in all ([`common::mixed_objects`]).
fn mixed(n: usize) -> String {
    common::mixed_objects(n.max(6), "Mix")
}

/// Halo API requests in the journal (auth requests are per process, not per object).
fn api_requests(env: &TestEnv) -> usize {
    env.sim
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/api/") && e.path != "/api/authinfo")
        .count()
}

/// Setting-up runs lift the provider's client-side rate limit (default: Halo's
/// hosted 300 requests per 5 minutes), which would otherwise pace them.
const UNPACED: &[(&str, &str)] = &[("HALOPSA_RATE_LIMIT_REQUESTS", "1000000")];

fn run(wd: &Workdir, args: &[&str], env: &[(&str, &str)]) {
    let out = wd.run(args, env);
    assert!(out.success(), "{out}");
}

fn apply(wd: &Workdir) {
    run(
        wd,
        &["apply", "-auto-approve", "-no-color", "-parallelism=10"],
        UNPACED,
    );
}

/// The median of a few durations.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// How many times each apply of measure 1 runs; its figures are the medians.
const OVERHEAD_RUNS: usize = 3;

/// Adds the floor provider to the environment's CLI configuration (a second
/// `dev_overrides` entry) and installs it.
fn with_floor(env: &TestEnv) {
    let dir = env.dir.path().join("floor-provider");
    floor::install(&dir);
    let config = std::fs::read_to_string(&env.cli_config).expect("the CLI configuration");
    let entry = format!(
        "  dev_overrides {{\n    \"{}\" = \"{}\"\n",
        floor::SOURCE,
        dir.display()
    );
    let config = config.replacen("  dev_overrides {\n", &entry, 1);
    std::fs::write(&env.cli_config, config).expect("the CLI configuration is written");
}

fn overhead() {
    let n = scale(200);
    let env = TestEnv::new();
    with_floor(&env);
    let data = format!("resource \"terraform_data\" \"d\" {{\n  count = {n}\n  input = \"Bench ${{count.index}}\"\n}}\n");
    let unbatched = format!(
        "provider \"halopsa\" {{\n  batch_creates = false\n}}\n{}",
        organisations(n)
    );
    let (mut base, mut mine, mut unbatched_times, mut floors, mut requests) =
        (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..OVERHEAD_RUNS {
        // A fresh workdir (and state) per apply, the kinds in turn, so that
        // drift of the machine's speed reaches each alike.
        let baseline = env.workdir();
        baseline.write_config(&data);
        base.push(timed(|| apply(&baseline)).1);
        let plugin_floor = env.workdir();
        plugin_floor.write_config_raw(&floor::things(n));
        floors.push(timed(|| apply(&plugin_floor)).1);
        let ours = env.workdir();
        ours.write_config(&organisations(n));
        env.sim.clear_journal();
        mine.push(timed(|| apply(&ours)).1);
        requests.push(api_requests(&env));
        let alone = env.workdir();
        alone.write_config(&unbatched);
        unbatched_times.push(timed(|| apply(&alone)).1);
    }
    let (base, mine, unbatched, floor) = (
        median(base),
        median(mine),
        median(unbatched_times),
        median(floors),
    );
    requests.sort_unstable();
    let requests = requests[requests.len() / 2];
    let ratio = mine.as_secs_f64() / base.as_secs_f64();
    let floor_ratio = mine.as_secs_f64() / floor.as_secs_f64();
    let plugin_cost = floor.as_secs_f64() / base.as_secs_f64();
    println!("1. provider overhead: apply of {n} halopsa_organisation {mine:.2?} vs {n} terraform_data {base:.2?} (medians of {OVERHEAD_RUNS}): ratio {ratio:.2} (goal <= 1.20: {})", verdict(ratio <= 1.2));
    println!("   vs the plugin floor, {n} floor_thing of a no-op provider on the same crates {floor:.2?}: ratio {floor_ratio:.2} (goal <= 1.05: {}); the floor itself is {plugin_cost:.2}x terraform_data, Terraform's cost of any plugin (process, gRPC)", verdict(floor_ratio <= 1.05));
    let unbatched_ratio = unbatched.as_secs_f64() / floor.as_secs_f64();
    println!("   the same apply with batch_creates = false (one request per object, no gathering): {unbatched:.2?}, ratio {unbatched_ratio:.2} to the floor");
    let per = requests as f64 / n as f64;
    println!(
        "1b. requests per object, fresh apply of {n} organisations at -parallelism=10: {requests} = {per:.3}/object (goal <= 0.25: {})",
        verdict(per <= 0.25)
    );
}

fn startup_and_memory() {
    // Start-up: from spawn to the handshake line, median of 21 runs.
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).ok();
    let cert = key.and_then(|k| {
        let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).ok()?;
        params.self_signed(&k).ok()
    });
    let Some(cert) = cert else {
        println!("2. start-up: could not make a client certificate");
        return;
    };
    let mut times = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        let child = Command::new(common::provider_bin())
            .env(
                "TF_PLUGIN_MAGIC_COOKIE",
                "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
            )
            .env("PLUGIN_PROTOCOL_VERSIONS", "6")
            .env("PLUGIN_CLIENT_CERT", cert.pem())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut child) = child else { continue };
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        times.push(started.elapsed());
        let _ = child.kill();
        let _ = child.wait();
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!(
        "2a. start-up to handshake line: median {median:.2?} of {} runs (goal < 10 ms: {})",
        times.len(),
        verdict(median < Duration::from_millis(10))
    );

    // Peak RSS of the provider process during a plan of N resources.
    let n = scale(200);
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&organisations(n));
    apply(&wd);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak_kib = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                peak_kib = peak_kib.max(provider_peak_rss_kib());
                std::thread::sleep(Duration::from_millis(2));
            }
            peak_kib
        })
    };
    wd.run_ok(&["plan", "-no-color"]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = watcher.join().unwrap_or(0);
    let mib = peak as f64 / 1024.0;
    println!(
        "2b. provider peak RSS during a plan of {n} resources: {mib:.1} MiB (goal < 20 MiB: {})",
        verdict(mib < 20.0)
    );
}

/// The largest VmHWM among running provider processes, in KiB.
fn provider_peak_rss_kib() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut peak = 0;
    for entry in entries.flatten() {
        let status = entry.path().join("status");
        let Ok(text) = std::fs::read_to_string(&status) else {
            continue;
        };
        if !text
            .lines()
            .any(|l| l.starts_with("Name:") && l.contains("terraform-provi"))
        {
            continue;
        }
        if let Some(kib) = text
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
    }
    peak
}

fn requests_per_object() {
    let n = scale(500);
    let objects = (n / 6).max(1) * 6;
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&mixed(n));
    env.sim.clear_journal();
    apply(&wd);
    let applied = api_requests(&env);
    env.sim.clear_journal();
    run(
        &wd,
        &["plan", "-no-color", "-detailed-exitcode", "-parallelism=10"],
        UNPACED,
    );
    let refreshed = api_requests(&env);
    env.sim.clear_journal();
    run(
        &wd,
        &["destroy", "-auto-approve", "-no-color", "-parallelism=10"],
        UNPACED,
    );
    let destroyed = api_requests(&env);
    let deletes = env
        .sim
        .journal()
        .iter()
        .filter(|e| e.method == "DELETE")
        .count();
    let per = |r: usize| r as f64 / objects as f64;
    println!(
        "3. Halo API requests per object ({objects} mixed objects; auth requests not counted):"
    );
    println!(
        "   apply   {applied:>5} = {:.3}/object (goal <= 1.0: {})",
        per(applied),
        verdict(per(applied) <= 1.0)
    );
    println!(
        "   refresh {refreshed:>5} = {:.3}/object (goal <= 0.1: {})",
        per(refreshed),
        verdict(per(refreshed) <= 0.1)
    );
    println!(
        "   destroy {destroyed:>5} = {:.3}/object (goal <= 1.0: {}): {deletes} DELETE + {} list requests of the refresh Terraform runs before destroying",
        per(destroyed),
        verdict(per(destroyed) <= 1.0),
        destroyed - deletes
    );
}

fn refresh_under_rate_limit() {
    let n = scale(1000);
    let env = TestEnv::new();
    let wd = env.workdir();
    wd.write_config(&organisations(n));
    // The unpaced set-up keeps its requests out of the measured run's shared
    // budget: halo-sim had no limit while it ran.
    let setup = env
        .dir
        .path()
        .join("setup-cache")
        .to_string_lossy()
        .into_owned();
    let mut setup_env = UNPACED.to_vec();
    setup_env.push(("XDG_CACHE_HOME", setup.as_str()));
    run(
        &wd,
        &["apply", "-auto-approve", "-no-color", "-parallelism=20"],
        &setup_env,
    );
    env.sim.set_rate_limit(Some(RateLimit {
        requests: 300,
        window: Duration::from_secs(300),
    }));
    env.sim.set_latency(Duration::from_millis(100));
    env.sim.clear_journal();
    let cache = own_budget(&env);
    let (_, took) = timed(|| {
        run(
            &wd,
            &["plan", "-no-color", "-refresh-only"],
            &[("XDG_CACHE_HOME", cache.as_str())],
        )
    });
    let limited = env.sim.journal().iter().filter(|e| e.status == 429).count();
    println!("4. refresh of {n} objects at 300 requests/5 min and 100 ms latency: {took:.2?}, {} requests, {limited} answered 429 (goal < 60 s: {}; one GET per object would need {} s)", env.sim.journal().len(), verdict(took < Duration::from_secs(60)), n);
}

/// The harness's variables plus a budget directory of the bench's own.
fn own_budget(env: &TestEnv) -> String {
    env.dir.path().join("cache").to_string_lossy().into_owned()
}

fn mixed_under_hosted_limit() {
    let n = scale(500);
    let objects = (n / 6).max(1) * 6;
    let env = TestEnv::new();
    env.sim.set_rate_limit(Some(RateLimit {
        requests: 300,
        window: Duration::from_secs(300),
    }));
    env.sim.set_latency(Duration::from_millis(100));
    let wd = env.workdir();
    wd.write_config(&mixed(n));
    let cache = own_budget(&env);
    env.sim.clear_journal();
    // The provider's own limit is its default: Halo's hosted 300 per 5 minutes.
    let (out, took) = timed(|| {
        wd.run_within(
            &["apply", "-auto-approve", "-no-color"],
            &[("XDG_CACHE_HOME", cache.as_str())],
            Duration::from_secs(900),
        )
    });
    let journal = env.sim.journal();
    let limited = journal.iter().filter(|e| e.status == 429).count();
    println!(
        "5. apply of {objects} mixed objects at 300 requests/5 min and 100 ms latency: {took:.2?}{}, {} requests, {limited} answered 429 (goal < 90 s: {}; one request per object would need over 500 s)",
        if out.success() { "" } else { " (FAILED)" },
        journal.len(),
        verdict(out.success() && took < Duration::from_secs(90))
    );
}

fn apply_destroy_under_tight_limit() {
    let env = TestEnv::new();
    env.sim.set_rate_limit(Some(RateLimit {
        requests: 40,
        window: Duration::from_secs(60),
    }));
    let wd = env.workdir();
    wd.write_config(&mixed(30));
    let cache = own_budget(&env);
    let vars = [
        ("HALOPSA_RATE_LIMIT_REQUESTS", "40"),
        ("HALOPSA_RATE_LIMIT_WINDOW_SECONDS", "60"),
        ("XDG_CACHE_HOME", cache.as_str()),
    ];
    env.sim.clear_journal();
    let (ok, took) = timed(|| {
        ["apply", "destroy"].iter().all(|verb| {
            wd.run_within(
                &[verb, "-auto-approve", "-no-color"],
                &vars,
                Duration::from_secs(600),
            )
            .success()
        })
    });
    let journal = env.sim.journal();
    let limited = journal.iter().filter(|e| e.status == 429).count();
    println!(
        "6. apply then destroy of 30 mixed objects at 40 requests/60 s on both sides: {took:.2?}{}, {} requests, {limited} answered 429 (goal: no 429: {})",
        if ok { "" } else { " (FAILED)" },
        journal.len(),
        verdict(ok && limited == 0)
    );
}

fn main() {
    // Started by Terraform as the floor provider (measure 1)?
    if floor::serve_if_launched() {
        return;
    }
    // `cargo bench` passes `--bench`; any other argument names the measures to run
    // (`cargo bench --bench provider -- mixed`): those whose name contains it.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    println!(
        "terraform-provider-halopsa benchmarks (Terraform: {})",
        common::terraform_bin().display()
    );
    let measures: [(&str, fn()); 6] = [
        ("overhead", overhead),
        ("startup_and_memory", startup_and_memory),
        ("requests_per_object", requests_per_object),
        ("refresh_under_rate_limit", refresh_under_rate_limit),
        ("mixed_under_hosted_limit", mixed_under_hosted_limit),
        (
            "apply_destroy_under_tight_limit",
            apply_destroy_under_tight_limit,
        ),
    ];
    for (name, measure) in measures {
        if wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str())) {
            measure();
        }
    }
}
