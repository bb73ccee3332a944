//! `cargo bench --bench rate_limit`: a 300-object apply against halo-sim with
//! Halo's hosted rate limit (300 requests per rolling 5 minutes) switched on.
//! The provider's client-side limiter should pace the run so that Halo never
//! answers 429. Reports the counts and the time; takes about five minutes.

// Each bench uses a part of the acceptance tests' harness.
#[allow(dead_code, unused_imports)]
#[path = "../tests/acceptance/support/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::TestEnv;
use halo_sim::RateLimit;

fn main() {
    let n: usize = std::env::var("BENCH_OBJECTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let env = TestEnv::new();
    env.sim.set_rate_limit(Some(RateLimit {
        requests: 300,
        window: Duration::from_secs(300),
    }));
    let wd = env.workdir();
    wd.write_config(&format!(
        "resource \"halopsa_organisation\" \"o\" {{\n  count = {n}\n  name  = \"Paced ${{count.index}}\"\n}}\n"
    ));
    let started = Instant::now();
    let out = wd.run_within(
        &["apply", "-auto-approve", "-no-color", "-parallelism=10"],
        &[],
        Duration::from_secs(1200),
    );
    let took = started.elapsed();
    let journal = env.sim.journal();
    let limited = journal.iter().filter(|e| e.status == 429).count();
    println!(
        "rate limit: apply of {n} organisations at Halo's 300 requests/5 min: {} in {took:.1?}; {} requests, {limited} answered 429 (goal: 0)",
        if out.success() { "succeeded" } else { "FAILED" },
        journal.len()
    );
    if !out.success() {
        println!("{out}");
    }
}
