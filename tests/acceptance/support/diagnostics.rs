//! Terraform's diagnostics: read from the machine-readable UI (`-json`) where
//! Terraform prints them one JSON object a line, or from the text output with the
//! lines quoting the configuration left out.

use serde_json::Value;

/// One error or warning Terraform printed.
#[derive(Debug)]
pub struct Diagnostic {
    pub severity: String,
    pub summary: String,
    pub detail: String,
    /// The resource it is about (`with ADDR` in the text output), if any.
    pub address: Option<String>,
}

impl Diagnostic {
    /// The summary and the detail, as a user reads them.
    pub fn text(&self) -> String {
        format!("{}: {}", self.summary, self.detail)
    }
}

/// The diagnostics in the output of a command run with `-json`.
pub fn parse_json_diagnostics(stdout: &str) -> Vec<Diagnostic> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["type"] == "diagnostic")
        .map(|message| {
            let d = &message["diagnostic"];
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            Diagnostic {
                severity: text("severity"),
                summary: text("summary"),
                detail: text("detail"),
                address: d["address"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// Assert that there is exactly one error, that it is about `addr` and that its
/// summary or detail names `attribute`.
pub fn assert_one_error_naming(diagnostics: &[Diagnostic], addr: &str, attribute: &str) {
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .collect();
    assert!(
        errors.len() == 1
            && errors[0].address.as_deref() == Some(addr)
            && errors[0].text().contains(attribute),
        "expected one error on {addr} that names `{attribute}`, got {diagnostics:#?}"
    );
}

/// Terraform's text error output without the lines quoting the configuration
/// (`  8:   name = ""`), so that an attribute name found in it comes from the
/// diagnostic itself.
pub fn diagnostic_text(err: &str) -> String {
    err.lines()
        .filter(|line| !is_quoted_source_line(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A line in which Terraform quotes configuration: `  8:   name = ""`.
fn is_quoted_source_line(line: &str) -> bool {
    match line.trim_start().split_once(':') {
        Some((number, _)) => !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        None => false,
    }
}
