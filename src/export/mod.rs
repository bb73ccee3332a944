//! `terraform-provider-halopsa export --dir DIR [--kinds K1,K2]`: writes a
//! tenant's configuration as HCL whose cross-references are Terraform
//! references, with `import` blocks apart (`imports.tf`), so that the same files
//! import cleanly on the tenant they came from and build the same configuration
//! on an empty one.
//!
//! It is generic over the registered resource types (`kinds`): objects are read
//! through each type's own `list` (all pages, detail reads only where the type
//! needs them), attributes are written as the schema declares them (`render`),
//! references follow `Attribute::references`. Objects a tenant comes with are
//! looked up by name (`builtin`). It is configured like the provider (the
//! `HALOPSA_*` environment: URL rules, timeouts, retries, rate limit and shared
//! budget), sends only `GET` requests besides the token request, and never
//! writes a secret.

mod builtin;
mod collect;
mod hcl;
mod kinds;
mod label;
mod render;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::args::{Command, Flag};
use crate::framework::Diagnostics;
use crate::halo::HaloClient;
use crate::session::Session;

pub use collect::Listed;
pub use render::{IMPORTS_FILE, VERSIONS_FILE};

/// The command line: its flags, from which both the parsing and `--help` come.
const COMMAND: Command = Command {
    name: "export",
    about: "\
Writes the configuration of a Halo tenant into DIR, read-only: one file per resource
type (halopsa_team.tf, ...) whose references between objects are Terraform references,
imports.tf with an import block per object, and versions.tf. Applied with imports.tf
to the same tenant, it only imports; applied without it to an empty tenant, it creates
the same configuration there. Objects every tenant comes with are written as data
look-ups by name; secrets are never exported. Configure it like the provider:
HALOPSA_URL, HALOPSA_CLIENT_ID, HALOPSA_CLIENT_SECRET (and HALOPSA_TENANT, ... where
needed). A progress line per kind goes to stderr.",
    flags: &[
        Flag {
            name: "--dir",
            value: Some("DIR"),
            required: true,
            example: "",
            help: "where to write (created if missing; must hold no .tf file)",
        },
        Flag {
            name: "--kinds",
            value: Some("KIND,KIND"),
            required: false,
            example: "",
            help: "only these resource types (e.g. halopsa_team,halopsa_agent)",
        },
    ],
    footer: "\
Exit status: 0 when the export was written, 1 when reading the tenant or writing the
files failed, 2 for a usage, configuration or sign-in error.",
};

const CREDENTIALS_HINT: &str = "The export signs in like the provider: set HALOPSA_URL (the \
instance, e.g. https://acme.halopsa.com), HALOPSA_CLIENT_ID and HALOPSA_CLIENT_SECRET (a \
\"Client ID and Secret (Services)\" API application), and on hosted Halo HALOPSA_TENANT.";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub dir: PathBuf,
    pub kinds: Option<Vec<String>>,
}

/// Parses the arguments after `export`; `Ok(None)` means help was asked for.
pub fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let Some(given) = COMMAND.parse(args).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let dir = PathBuf::from(given.value("--dir").unwrap_or_default());
    let kinds = match given.value("--kinds") {
        None => None,
        Some(value) => {
            let list: Vec<String> = value
                .split(',')
                .map(|k| k.trim().to_owned())
                .filter(|k| !k.is_empty())
                .collect();
            if list.is_empty() {
                return Err("--kinds needs at least one kind (e.g. halopsa_team)".into());
            }
            Some(list)
        }
    };
    Ok(Some(Options { dir, kinds }))
}

/// Why an export failed, and the exit status it gives.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// `--kinds` names a type that is not exported.
    #[error("{0}")]
    Kinds(String),
    #[error("cannot sign in to {url}: {source}\n{CREDENTIALS_HINT}")]
    SignIn {
        url: String,
        source: crate::halo::HaloError,
    },
    #[error("cannot list {type_name}: {}", .diagnostics.to_string().trim_end())]
    List {
        type_name: &'static str,
        diagnostics: Diagnostics,
    },
}

/// Reads every kind of `wanted` (already checked by `kinds::select`) and
/// renders the files; `progress` gets a line per kind as it is read.
pub async fn export(
    client: &HaloClient,
    wanted: Option<&[String]>,
    mut progress: impl FnMut(&str),
) -> Result<BTreeMap<String, String>, ExportError> {
    let selected = kinds::select(crate::resources::all(), wanted).map_err(ExportError::Kinds)?;
    client
        .authenticate()
        .await
        .map_err(|source| ExportError::SignIn {
            url: client.base_url().as_str().trim_end_matches('/').to_owned(),
            source,
        })?;
    let mut listed = Vec::with_capacity(selected.len());
    for r in &selected {
        let kind = collect::list(client, r.as_ref())
            .await
            .map_err(|diagnostics| ExportError::List {
                type_name: r.type_name(),
                diagnostics,
            })?;
        progress(&kind.progress());
        listed.push(kind);
    }
    let lookups = render::LookupSchemas(
        crate::resources::data_sources()
            .iter()
            .map(|d| (d.type_name(), d.schema()))
            .collect(),
    );
    Ok(render::files(&listed, &lookups))
}

/// Refuses a directory that already holds configuration (it would mix with the
/// export), and creates a missing one.
fn prepare(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "tf") {
                return Err(format!(
                    "{} already holds {}: export into an empty directory",
                    dir.display(),
                    entry.file_name().to_string_lossy()
                ));
            }
        }
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn write(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Runs `export` with the arguments after it.
pub fn run(args: &[String]) -> ExitCode {
    let options = match COMMAND.options(args, parse) {
        Ok(options) => options,
        Err(code) => return code,
    };
    if let Err(e) = kinds::select(crate::resources::all(), options.kinds.as_deref()) {
        eprintln!("export: {e}");
        return ExitCode::from(2);
    }
    let session = match Session::open("export", CREDENTIALS_HINT) {
        Ok(session) => session,
        Err(code) => return code,
    };
    if let Err(e) = prepare(&options.dir) {
        eprintln!("export: {e}");
        return ExitCode::from(2);
    }
    let outcome = session.run(export(&session.client, options.kinds.as_deref(), |line| {
        eprintln!("{line}")
    }));
    let scrub = |text: String| session.scrub(text);
    match outcome {
        Ok(files) => match write(&options.dir, &files) {
            Ok(()) => {
                eprintln!(
                    "export: wrote {} files to {} ({} requests)",
                    files.len(),
                    options.dir.display(),
                    session.client.api_requests()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("export: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e @ (ExportError::SignIn { .. } | ExportError::Kinds(_))) => {
            eprintln!("export: {}", scrub(e.to_string()));
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("export: {}", scrub(e.to_string()));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::args::owned as args;

    #[test]
    fn arguments_parse_and_mistakes_are_named() {
        assert_eq!(
            parse(&args(&[
                "--dir",
                "out",
                "--kinds=halopsa_team, halopsa_agent"
            ])),
            Ok(Some(Options {
                dir: PathBuf::from("out"),
                kinds: Some(vec!["halopsa_team".into(), "halopsa_agent".into()]),
            }))
        );
        assert_eq!(parse(&args(&["--help"])), Ok(None));
        assert!(parse(&args(&[])).unwrap_err().contains("--dir"));
        assert!(parse(&args(&["--dir"]))
            .unwrap_err()
            .contains("needs a value"));
        assert!(parse(&args(&["--dir", "x", "--kinds", ","]))
            .unwrap_err()
            .contains("at least one"));
        assert!(parse(&args(&["--bogus"])).unwrap_err().contains("--bogus"));
    }
}
