//! The doctor's findings and their two renderings: text for people, JSON for tools.

use serde_json::{json, Map, Value};

/// What a check found about one assumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Confirmed,
    Contradicted,
    Unchecked,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Contradicted => "contradicted",
            Verdict::Unchecked => "unchecked",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: &'static str,
    pub verdict: Verdict,
    /// One sentence: what was found.
    pub summary: String,
    /// The raw values behind the verdict (never a secret).
    pub evidence: Map<String, Value>,
    /// What to correct when the assumption is contradicted.
    pub fix: &'static str,
}

impl Check {
    pub fn new(id: &'static str, fix: &'static str) -> Self {
        Check {
            id,
            verdict: Verdict::Unchecked,
            summary: String::new(),
            evidence: Map::new(),
            fix,
        }
    }

    pub fn verdict(mut self, verdict: Verdict, summary: impl Into<String>) -> Self {
        self.verdict = verdict;
        self.summary = summary.into();
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.evidence.insert(key.to_owned(), value.into());
        self
    }
}

/// `{"instance", "requests", "checks": [{"id", "verdict", "evidence"}]}`; the
/// summary is in the evidence too.
pub fn json(instance: &str, requests: usize, checks: &[Check]) -> String {
    let checks: Vec<Value> = checks
        .iter()
        .map(|c| {
            let mut evidence = Map::new();
            evidence.insert("summary".into(), Value::String(c.summary.clone()));
            evidence.extend(c.evidence.clone());
            json!({"id": c.id, "verdict": c.verdict.as_str(), "evidence": evidence})
        })
        .collect();
    let out = json!({"instance": instance, "requests": requests, "checks": checks});
    // Serialising a `Value` cannot fail; fall back to the compact form regardless.
    serde_json::to_string_pretty(&out).unwrap_or_else(|_| out.to_string()) + "\n"
}

/// One line per check with its verdict and summary, the evidence indented below,
/// then what to correct when contradicted.
pub fn text(instance: &str, requests: usize, limit: usize, checks: &[Check]) -> String {
    let mut out = format!("halopsa doctor: {instance} ({requests} of at most {limit} requests, all GET besides the token)\n\n");
    for c in checks {
        out.push_str(&format!(
            "{}: {} - {}\n",
            c.id,
            c.verdict.as_str(),
            c.summary
        ));
        for (k, v) in &c.evidence {
            let shown = match v {
                Value::String(s) if !s.is_empty() => s.clone(),
                other => other.to_string(),
            };
            out.push_str(&format!("    {k}: {shown}\n"));
        }
        if c.verdict == Verdict::Contradicted {
            out.push_str(&format!("    to correct: {}\n", c.fix));
        }
        out.push('\n');
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    out.push_str(&format!(
        "{} confirmed, {} contradicted, {} unchecked.\n",
        count(Verdict::Confirmed),
        count(Verdict::Contradicted),
        count(Verdict::Unchecked)
    ));
    if count(Verdict::Contradicted) > 0 {
        out.push_str(
            "Something the provider assumes does not hold on this instance: please open an \
             issue with the output of `terraform-provider-halopsa doctor --json` (it holds no \
             secret) before applying, or correct the table named above.\n",
        );
    }
    out
}
