//! `terraform-provider-halopsa doctor [--json]`: a read-only check of a live Halo
//! instance against every assumption the provider rests on.
//!
//! It is configured by the provider's `HALOPSA_*` environment variables (the same
//! parsing, URL rules, timeouts, retries and rate limit), signs in, reads every
//! kind the provider manages (all pages, raw shapes kept) and one object of each
//! with its details, and reports each assumption as `confirmed`, `contradicted` or
//! `unchecked` with its evidence. It only sends `GET` requests besides the token
//! request (`HaloClient::get_raw` is the only raw call there is), at most
//! `probe::MAX_REQUESTS` (60) of them, and never prints a secret.

mod checks;
mod config_tables;
mod probe;
mod report;
mod scan;

pub(crate) use scan::KindSpec;
mod tables;

use std::process::ExitCode;

use crate::args::{Command, Flag, PROGRAM};
use crate::halo::{HaloClient, HaloError};
use crate::provider::ProviderConfig;

use checks::AuthSeen;
use probe::{Probe, MAX_REQUESTS};
use report::Check;

/// The command line: its flags, from which both the parsing and `--help` come.
pub const COMMAND: Command = Command {
    program: Some(PROGRAM),
    name: "doctor",
    about: "\
Checks a live Halo instance against the provider's assumptions, read-only. Configure it
like the provider: HALOPSA_URL, HALOPSA_CLIENT_ID and HALOPSA_CLIENT_SECRET (and
HALOPSA_TENANT, HALOPSA_AUTH_URL, HALOPSA_SCOPE, ... where needed).",
    flags: &[Flag {
        name: "--json",
        value: None,
        required: false,
        example: "",
        help: "print {\"instance\", \"checks\": [{\"id\", \"verdict\", \"evidence\"}]}",
    }],
    subcommands: &[],
    footer: "\
Exit status: 0 when it could sign in (whatever it found), 2 when it could not.",
};

const CREDENTIALS_HINT: &str = "The doctor signs in like the provider: set HALOPSA_URL (the \
instance, e.g. https://acme.halopsa.com), HALOPSA_CLIENT_ID and HALOPSA_CLIENT_SECRET (a \
\"Client ID and Secret (Services)\" API application), and on hosted Halo HALOPSA_TENANT.";

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// Parses the arguments after `doctor` into the output format; `Ok(None)` means
/// help was asked for.
fn parse(args: &[String]) -> Result<Option<Format>, String> {
    let Some(given) = COMMAND.parse(args).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    Ok(Some(if given.has("--json") {
        Format::Json
    } else {
        Format::Text
    }))
}

/// Runs the doctor with the arguments after `doctor`.
pub fn run(args: &[String]) -> ExitCode {
    let format = match COMMAND.options(args, parse) {
        Ok(format) => format,
        Err(code) => return code,
    };
    let config = match ProviderConfig::default().client_config() {
        Ok(config) => config,
        Err(diags) => {
            eprintln!(
                "doctor: the configuration is incomplete:\n{}\n{CREDENTIALS_HINT}",
                diags.to_string().trim_end()
            );
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("doctor: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let secret = config.client_secret.clone();
    let seen_config = (config.auth_url.clone(), config.tenant.clone());
    let client = match HaloClient::new(config) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("doctor: {e}\n{CREDENTIALS_HINT}");
            return ExitCode::from(2);
        }
    };
    let outcome = runtime.block_on(doctor(client, seen_config, secret.expose()));
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match outcome {
        Ok((probe, instance, checks)) => {
            let out = match format {
                Format::Json => report::json(&instance, probe.used(), &checks),
                Format::Text => report::text(&instance, probe.used(), MAX_REQUESTS, &checks),
            };
            print!("{}", probe.scrub(&out));
            ExitCode::SUCCESS
        }
        Err((url, e)) => {
            let mut message = e.to_string();
            if !secret.is_empty() {
                message = message.replace(secret.expose(), "***");
            }
            eprintln!("doctor: cannot sign in to {url}: {message}\n{CREDENTIALS_HINT}");
            ExitCode::from(2)
        }
    }
}

type Outcome = Result<(Probe, String, Vec<Check>), (String, HaloError)>;

async fn doctor(
    client: HaloClient,
    (auth_url, tenant): (Option<url::Url>, Option<String>),
    secret: &str,
) -> Outcome {
    let instance = client.base_url().to_string();
    let instance = instance.trim_end_matches('/').to_owned();
    if let Err(e) = client.authenticate().await {
        return Err((instance, e));
    }
    // The sign-in: the discovery request (unless the auth server is configured)
    // and the token request.
    let spent = if auth_url.is_some() { 1 } else { 2 };
    let base = client.base_url().clone();
    let mut probe = Probe::new(client, spent, &[secret]);
    let authinfo = probe.get(&["authinfo"], &[]).await;
    let seen = AuthSeen {
        base,
        configured_auth_url: auth_url,
        tenant,
        authinfo,
    };
    let scan = scan::scan(&mut probe).await;
    let checks = vec![
        checks::auth(&seen),
        checks::list_shape(&scan),
        checks::pagination(&scan),
        checks::api_agents_hidden(&scan),
        checks::details(&scan),
        tables::role_claims(&scan),
        tables::membership_levels(&scan),
        tables::application_methods(&scan),
        tables::scopes(&scan),
        tables::webhook_encodings(&scan),
        tables::service_desk_encodings(&scan),
        config_tables::sla_units(&scan),
        config_tables::custom_field_types(&scan),
    ];
    Ok((probe, instance, checks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::owned;

    #[test]
    fn parses_the_format_or_help() {
        assert_eq!(parse(&[]), Ok(Some(Format::Text)));
        assert_eq!(parse(&owned(&["--json"])), Ok(Some(Format::Json)));
        assert_eq!(parse(&owned(&["--json", "-h"])), Ok(None));
    }

    #[test]
    fn every_mistake_names_its_flag() {
        for (args, text) in [
            (&["--jsn"][..], "unknown argument \"--jsn\""),
            (&["text"][..], "unknown argument \"text\""),
            (&["--json=yes"][..], "--json takes no value (got \"yes\")"),
            (&["--json", "--json"][..], "--json is given more than once"),
        ] {
            assert_eq!(parse(&owned(args)), Err(text.to_owned()), "{args:?}");
        }
    }

    #[test]
    fn the_help_comes_from_the_table() {
        let usage = COMMAND.usage();
        assert!(
            usage.starts_with("Usage: terraform-provider-halopsa doctor [--json]\n\nChecks a live"),
            "{usage}"
        );
        for line in [
            "  --json  print {\"instance\", \"checks\"",
            "  --help  print this help\n",
            "\nExit status: 0 when it could sign in",
        ] {
            assert!(usage.contains(line), "{line:?} in\n{usage}");
        }
    }
}
