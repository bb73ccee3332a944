//! Logs in the form Terraform reads from a plugin's stderr: one hclog JSON object
//! per line (`@level`, `@message`, `@timestamp`, `@module` and fields). Terraform
//! shows them with `TF_LOG=debug` or `TF_LOG_PROVIDER=debug`.
//!
//! Only the provider's own events are written (this crate's and its layers',
//! `tfplugin` and `halo_client`); libraries below them (HTTP, TLS, gRPC) could
//! otherwise log headers, and headers carry tokens.

use std::io::Write;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

const MODULE: &str = "provider.terraform-provider-halopsa";
/// The crates whose events are the provider's own (tracing targets start with the
/// crate name).
const OWN_TARGETS: [&str; 3] = ["terraform_provider_halopsa", "tfplugin", "halo_client"];

fn is_own(target: &str) -> bool {
    OWN_TARGETS.iter().any(|own| {
        target
            .strip_prefix(own)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    })
}

/// Installs the logger. The level comes from `TF_LOG_PROVIDER`, else `TF_LOG`;
/// without either, only warnings and errors are written.
pub fn init() {
    let level = level_from_env();
    let _ = tracing_subscriber::registry()
        .with(HclogLayer { max: level })
        .try_init();
}

fn level_from_env() -> Option<Level> {
    let raw = std::env::var("TF_LOG_PROVIDER")
        .or_else(|_| std::env::var("TF_LOG"))
        .unwrap_or_default();
    match raw.trim().to_ascii_lowercase().as_str() {
        "off" => None,
        "trace" | "json" => Some(Level::TRACE),
        "debug" => Some(Level::DEBUG),
        "info" => Some(Level::INFO),
        "error" => Some(Level::ERROR),
        _ => Some(Level::WARN),
    }
}

struct HclogLayer {
    max: Option<Level>,
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        self.max.is_some_and(|max| *metadata.level() <= max) && is_own(metadata.target())
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = FieldCollector(serde_json::Map::new());
        event.record(&mut fields);
        let mut line = fields.0;
        let message = line
            .remove("message")
            .unwrap_or(serde_json::Value::String(String::new()));
        let level = match *event.metadata().level() {
            Level::TRACE => "trace",
            Level::DEBUG => "debug",
            Level::INFO => "info",
            Level::WARN => "warn",
            Level::ERROR => "error",
        };
        line.insert("@level".into(), level.into());
        line.insert("@message".into(), message);
        line.insert("@module".into(), MODULE.into());
        line.insert("@timestamp".into(), timestamp().into());
        if let Ok(mut text) = serde_json::to_string(&line) {
            text.push('\n');
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        }
    }
}

fn timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

struct FieldCollector(serde_json::Map<String, serde_json::Value>);

impl Visit for FieldCollector {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}").into());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.into());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_string(), value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_string(), value.into());
    }
}
