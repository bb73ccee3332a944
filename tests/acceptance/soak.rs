//! Soak: a large mixed apply at `-parallelism=20` while halo-sim answers at
//! random (seeded) 5% of requests 503, 2% 429, and loses the answer of 1% of
//! creates after saving them. The apply converges (one re-run allowed), the
//! second plan is clean, every object exists exactly once, and destroy leaves
//! nothing behind.
//!
//! The full 500 objects run in about a minute on 2 cores; `HALOPSA_SOAK_OBJECTS=N`
//! runs another size.

use std::collections::BTreeMap;

use crate::support::{mixed_objects, Kind, TestEnv, Workdir};
use halo_sim::FaultRate;
use serde_json::Value;

const PREFIX: &str = "Soak";

fn objects() -> usize {
    std::env::var("HALOPSA_SOAK_OBJECTS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(500)
        .max(6)
}

/// `n` mixed objects ([`mixed_objects`]) and a provider that retries more.
fn mixed(n: usize) -> String {
    // halo-sim has no rate limit here: the soak is about faults, not pacing.
    let provider =
        "provider \"halopsa\" {\n  max_retries         = 8\n  rate_limit_requests = 100000\n}\n";
    format!("{provider}{}", mixed_objects(n, PREFIX))
}

const KINDS: [(Kind, &str); 6] = [
    (Kind::Organisation, "Org"),
    (Kind::Department, "Dept"),
    (Kind::Team, "Team"),
    (Kind::Role, "Role"),
    (Kind::Agent, "Agent"),
    (Kind::Application, "App"),
];

/// How many objects of `kind` Halo holds under each soak name.
fn soak_names(env: &TestEnv, kind: Kind) -> BTreeMap<String, usize> {
    let mut names = BTreeMap::new();
    for obj in env.sim.objects(kind) {
        let name = obj
            .get("name")
            .or_else(|| obj.get("displayName"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name.starts_with(PREFIX) {
            *names.entry(name.to_owned()).or_insert(0) += 1;
        }
    }
    names
}

fn apply(wd: &Workdir) -> crate::support::TfOutput {
    wd.run(
        &["apply", "-auto-approve", "-no-color", "-parallelism=20"],
        &[],
    )
}

#[test]
fn large_apply_under_random_faults_converges_without_duplicates() {
    let n = objects();
    let k = n / 6;
    let env = TestEnv::new();
    env.sim.set_fault_rate(Some(FaultRate {
        seed: 16,
        status_503: 0.05,
        status_429: 0.02,
        drop_creates: 0.01,
    }));
    let wd = env.workdir();
    wd.write_config(&mixed(n));

    let first = apply(&wd);
    if !first.success() {
        let again = apply(&wd);
        assert!(
            again.success(),
            "the apply converges with one re-run\nfirst run:\n{first}\nre-run:\n{again}"
        );
    }
    let journal = env.sim.journal();
    let count = |status: u16| journal.iter().filter(|e| e.status == status).count();
    assert!(
        count(503) > 0 && count(429) > 0,
        "the faults fired (503: {}, 429: {}, dropped: {})",
        count(503),
        count(429),
        count(0)
    );

    let plan = wd.run(&["plan", "-no-color", "-detailed-exitcode"], &[]);
    assert_eq!(plan.code, 0, "the second plan is clean\n{plan}");

    for (kind, word) in KINDS {
        let names = soak_names(&env, kind);
        for i in 0..k {
            let name = format!("{PREFIX} {word} {i}");
            assert_eq!(
                names.get(&name).copied().unwrap_or(0),
                1,
                "{name} exists exactly once"
            );
        }
        assert_eq!(names.len(), k, "no other {word} objects: {names:?}");
    }

    let destroy = wd.run(
        &["destroy", "-auto-approve", "-no-color", "-parallelism=20"],
        &[],
    );
    let destroy = if destroy.success() {
        destroy
    } else {
        wd.run(
            &["destroy", "-auto-approve", "-no-color", "-parallelism=20"],
            &[],
        )
    };
    assert!(destroy.success(), "destroy converges\n{destroy}");
    for (kind, word) in KINDS {
        let left = soak_names(&env, kind);
        assert!(left.is_empty(), "no {word} left behind: {left:?}");
    }
}
