//! One request budget for every provider process on the machine that talks to
//! the same instance with the same client id: Terraform starts the provider
//! anew for each plan and apply, and Halo counts all their requests in one
//! rolling window. Back-to-back runs under a tight limit on both sides must
//! never be answered 429.

use std::time::Duration;

use crate::support::{Kind, TestEnv};
use halo_sim::RateLimit;

#[test]
fn back_to_back_runs_share_one_budget_and_see_no_429() {
    let env = TestEnv::new();
    // Halo's limit and the provider's are the same: 10 requests per 15 s. Apply,
    // plan and destroy together need about 17 (authentication once per process),
    // so processes pacing themselves alone would overrun Halo's window.
    env.sim.set_rate_limit(Some(RateLimit {
        requests: 10,
        window: Duration::from_secs(15),
    }));
    let cache = env.dir.path().join("cache");
    let cache_text = cache.to_string_lossy().into_owned();
    let vars = [
        ("HALOPSA_RATE_LIMIT_REQUESTS", "10"),
        ("HALOPSA_RATE_LIMIT_WINDOW_SECONDS", "15"),
        ("XDG_CACHE_HOME", cache_text.as_str()),
    ];
    let wd = env.workdir();
    wd.write_config(
        r#"
resource "halopsa_organisation" "o" {
  count = 6
  name  = "Budget ${count.index}"
}
"#,
    );
    env.sim.clear_journal();
    for args in [
        &["apply", "-auto-approve", "-no-color"][..],
        &["plan", "-no-color", "-detailed-exitcode"][..],
        &["destroy", "-auto-approve", "-no-color"][..],
    ] {
        let out = wd.run(args, &vars);
        assert!(out.success(), "terraform {args:?}\n{out}");
    }
    let journal = env.sim.journal();
    let limited = journal.iter().filter(|e| e.status == 429).count();
    assert_eq!(
        limited,
        0,
        "no request was answered 429\n{}",
        env.journal_summary()
    );
    assert!(
        journal.len() > 10,
        "the runs needed more than one window's budget ({} requests), so they were paced",
        journal.len()
    );
    for i in 0..6 {
        assert!(env
            .sim_objects_named(Kind::Organisation, &format!("Budget {i}"))
            .is_empty());
    }
    let files: Vec<_> = std::fs::read_dir(cache.join("terraform-provider-halopsa"))
        .map(|dir| dir.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert_eq!(
        files.len(),
        1,
        "one budget file for the instance: {files:?}"
    );
}
