//! `terraform-provider-halopsa sweep --prefix PREFIX [--yes] [--json]`: finds what
//! test runs left behind in a Halo instance (every object whose name starts with
//! `PREFIX`) and, with `--yes`, deletes it.
//!
//! It is configured like the provider (the `HALOPSA_*` environment variables, the
//! same URL rules, timeouts, retries and rate limit). Without `--yes` it only lists
//! (`GET` requests besides the token request). With `--yes` it deletes children
//! before parents: API applications, webhooks, the service desk configuration
//! (ticket types, field groups, custom fields, SLAs, actions, statuses,
//! categories), work hours, clients and teams, then agents and
//! roles (their department memberships are part of them in Halo and go with them),
//! then departments, then organisations. It never sends a request that changes an
//! object whose name does not start with the prefix, and it refuses a prefix that
//! is empty or shorter than [`MIN_PREFIX_LEN`] characters, so that it cannot be
//! pointed at a whole tenant by mistake. The acceptance suite's live mode sweeps its
//! own run prefix (`tfacc-<run id>-`) with it at the end of every run.
//!
//! The kinds come from the registry (`resources::swept`: each row that is one
//! Halo object), listed and deleted alike; their order of deletion and what a
//! kind carries with it are `kinds`' explicit tables.

mod kinds;

use std::process::ExitCode;

use serde::Serialize;

use crate::args::{Command, Flag};
use crate::halo::{HaloClient, HaloError};
use crate::session::Session;

pub(crate) use kinds::{Of, SweptKind};

/// The shortest prefix accepted: `tfacc-`, the acceptance runs' common prefix.
pub const MIN_PREFIX_LEN: usize = 6;

/// The command line: its flags, from which both the parsing and `--help` come.
const COMMAND: Command = Command {
    name: "sweep",
    about: "\
Lists every object in Halo whose name starts with PREFIX (API applications, webhooks,
ticket types, field groups, custom fields, SLAs, actions, statuses, categories, work
hours, clients, teams, agents with their department memberships, roles with theirs,
departments, organisations). Nothing is changed unless --yes is given; then they are
deleted, children before parents. Objects whose names do not start with PREFIX are
never changed. PREFIX must be at least 6 characters (e.g. tfacc-, which every
acceptance run uses). Configure it like the provider: HALOPSA_URL, HALOPSA_CLIENT_ID,
HALOPSA_CLIENT_SECRET (and HALOPSA_TENANT, ... where needed).",
    flags: &[
        Flag {
            name: "--prefix",
            value: Some("PREFIX"),
            required: true,
            example: "tfacc-",
            help: "the name prefix (case-sensitive)",
        },
        Flag {
            name: "--yes",
            value: None,
            required: false,
            example: "",
            help: "delete what is listed",
        },
        Flag {
            name: "--json",
            value: None,
            required: false,
            example: "",
            help:
                "print {\"instance\", \"prefix\", \"deleting\", \"objects\": [{\"kind\", \"id\",\n\
                   \"name\", \"memberships\", \"deleted\", \"error\"}]}",
        },
    ],
    footer: "\
Exit status: 0 when everything listed was deleted (or, without --yes, listed), 1 when
a delete failed, 2 for a usage or sign-in error.",
};

/// The `--help` text.
pub fn usage() -> String {
    COMMAND.usage()
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub prefix: String,
    pub yes: bool,
    pub json: bool,
}

/// Parses the arguments after `sweep`; `Ok(None)` means help was asked for.
pub fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let Some(given) = COMMAND.parse(args).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let prefix = given.value("--prefix").unwrap_or_default().to_owned();
    check_prefix(&prefix)?;
    Ok(Some(Options {
        prefix,
        yes: given.has("--yes"),
        json: given.has("--json"),
    }))
}

/// A prefix narrow enough to sweep by: not blank, at least [`MIN_PREFIX_LEN`]
/// characters, no leading or trailing space.
pub fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.trim().is_empty() {
        return Err("--prefix must not be empty: that would match every object".into());
    }
    if prefix.trim() != prefix {
        return Err(format!(
            "--prefix {prefix:?} starts or ends with a space; give it exactly"
        ));
    }
    if prefix.chars().count() < MIN_PREFIX_LEN {
        return Err(format!(
            "--prefix {prefix:?} is too short: at least {MIN_PREFIX_LEN} characters \
             (e.g. tfacc-), so that it cannot match objects a person made"
        ));
    }
    Ok(())
}

/// One object found (and perhaps deleted).
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    /// The kind, as the provider's resource type without `halopsa_`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    /// Department memberships of the object (agents and roles) as the list shows
    /// them: they go with it.
    pub memberships: usize,
    pub deleted: bool,
    /// Why the delete failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The whole answer.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub instance: String,
    pub prefix: String,
    pub deleting: bool,
    pub objects: Vec<Found>,
}

impl Report {
    /// How many deletes were asked for and failed.
    pub fn failures(&self) -> usize {
        self.objects.iter().filter(|o| o.error.is_some()).count()
    }

    /// The text output.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let verb = if self.deleting {
            "deleting"
        } else {
            "found (dry run; --yes deletes)"
        };
        out.push_str(&format!(
            "sweep {}: {} objects named {:?}... {verb}\n",
            self.instance,
            self.objects.len(),
            self.prefix
        ));
        for o in &self.objects {
            let status = match (&o.error, o.deleted) {
                (Some(e), _) => format!("  FAILED: {e}"),
                (None, true) => "  deleted".into(),
                (None, false) => String::new(),
            };
            let memberships = if o.memberships > 0 {
                format!(" (with {} department memberships)", o.memberships)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "  {:<16} {:<38} {}{memberships}{status}\n",
                o.kind, o.id, o.name
            ));
        }
        out
    }
}

/// Runs `sweep` with the arguments after it.
pub fn run(args: &[String]) -> ExitCode {
    let options = match COMMAND.options(args, parse) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let session = match Session::open("sweep", "") {
        Ok(session) => session,
        Err(code) => return code,
    };
    let outcome = session.run(sweep(&session.client, &options));
    let scrub = |text: String| session.scrub(text);
    match outcome {
        Ok(report) => {
            let out = if options.json {
                match serde_json::to_string_pretty(&report) {
                    Ok(json) => json + "\n",
                    Err(e) => {
                        eprintln!("sweep: cannot print the report: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else {
                report.text()
            };
            print!("{}", scrub(out));
            if report.failures() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("sweep: {}", scrub(e.to_string()));
            ExitCode::from(2)
        }
    }
}

/// Lists every kind (all of it before any delete, so a failure to list changes
/// nothing), then deletes in order when asked to.
pub async fn sweep(client: &HaloClient, options: &Options) -> Result<Report, HaloError> {
    let prefix = options.prefix.as_str();
    let instance = client.base_url().as_str().trim_end_matches('/').to_owned();
    client.authenticate().await?;

    // Deletion order: children before parents (`kinds::ORDER`).
    let kinds = kinds::ordered(crate::resources::swept());
    let mut objects = Vec::new();
    for kind in &kinds {
        objects.extend(kind.found(client, prefix).await?);
    }

    if options.yes {
        for object in &mut objects {
            let result = match kinds.iter().find(|k| k.kind() == object.kind) {
                Some(kind) => kind.delete(client, &object.id).await,
                None => Err(HaloError::InvalidArgument(format!(
                    "no way to delete a {}",
                    object.kind
                ))),
            };
            match result {
                Ok(()) => object.deleted = true,
                Err(e) => object.error = Some(e.to_string()),
            }
        }
    }
    Ok(Report {
        instance,
        prefix: prefix.to_owned(),
        deleting: options.yes,
        objects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::args::owned as args;

    #[test]
    fn refuses_empty_short_or_padded_prefixes() {
        for bad in [
            &["--prefix", ""][..],
            &["--prefix", "   "],
            &["--prefix", "tf"],
            &["--prefix=tfac"],
            &["--prefix", " tfacc-"],
            &[],
            &["--yes"],
            &["--prefix"],
            &["--prefix", "tfacc-", "--frobnicate"],
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn parses_prefix_yes_and_json() {
        assert_eq!(
            parse(&args(&["--prefix", "tfacc-", "--yes", "--json"])),
            Ok(Some(Options {
                prefix: "tfacc-".into(),
                yes: true,
                json: true
            }))
        );
        assert_eq!(
            parse(&args(&["--prefix=tfacc-run1-"])),
            Ok(Some(Options {
                prefix: "tfacc-run1-".into(),
                yes: false,
                json: false
            }))
        );
        assert_eq!(parse(&args(&["--help"])), Ok(None));
    }

    #[test]
    fn mistakes_name_their_flag_and_the_help_lists_every_flag() {
        for (bad, named) in [
            (
                &["--prefix", "tfacc-", "--yes=1"][..],
                "--yes takes no value",
            ),
            (&["--prefix", "tfacc-", "--frobnicate"], "\"--frobnicate\""),
            (&["--prefix"], "--prefix needs a value"),
            (&["--json"], "--prefix is required (e.g. --prefix tfacc-)"),
            (
                &["--prefix", "tfacc-a-", "--prefix", "tfacc-b-"],
                "--prefix is given more than once",
            ),
        ] {
            let err = parse(&args(bad)).expect_err("refused");
            assert!(err.contains(named), "{bad:?}: {err}");
        }
        let usage = usage();
        assert!(
            usage.starts_with(
                "Usage: terraform-provider-halopsa sweep --prefix PREFIX [--yes] [--json]\n"
            ),
            "{usage}"
        );
        for line in [
            "  --prefix PREFIX  the name prefix",
            "  --yes  ",
            "  --json  ",
        ] {
            assert!(usage.contains(line), "{line:?} in\n{usage}");
        }
    }

    #[test]
    fn an_agent_counts_its_own_memberships_and_a_role_all_of_its() {
        use crate::halo::{Agent, DepartmentMembership, Role};
        let own = DepartmentMembership::new(1, 0);
        let inherited = DepartmentMembership {
            role_id: Some("r-1".into()),
            ..DepartmentMembership::new(2, 0)
        };
        let blank_role = DepartmentMembership {
            role_id: Some(" ".into()),
            ..DepartmentMembership::new(3, 0)
        };
        let rows = vec![own, inherited, blank_role];
        let agent = Agent {
            departments: Some(rows.clone()),
            ..Agent::default()
        };
        let role = Role {
            departments: Some(rows),
            ..Role::default()
        };
        use kinds::Carried;
        assert_eq!(agent.memberships(), 2);
        assert_eq!(role.memberships(), 3);
        assert_eq!(Agent::default().memberships(), 0);
    }

    /// Against halo-sim over HTTP: one object of every kind under the prefix
    /// and one beside it. The dry run lists those under it and sends no write;
    /// `--yes` deletes exactly them, one DELETE each, in `kinds::ORDER`.
    #[test]
    fn every_kind_under_the_prefix_is_deleted_in_order_and_nothing_else() {
        use halo_sim::{Kind, Sim, SimOptions};
        use serde_json::json;

        let sim = Sim::start(SimOptions {
            client_id: "id".into(),
            client_secret: "secret".into(),
            ..SimOptions::default()
        })
        .expect("halo-sim starts");
        let prefix = "tfacc-unit-";
        for (name, at) in [(format!("{prefix}x"), "under"), ("kept-x".into(), "beside")] {
            for kind in Kind::ALL {
                let key = if kind == Kind::Application {
                    "displayName"
                } else {
                    "name"
                };
                sim.insert(kind, json!({ key: name, "note": at }));
            }
            // The generic families among the registry's paths (halo-sim stores
            // nothing under the others' paths this way).
            for kind in crate::resources::swept() {
                let key = match kind.path() {
                    "Outcome" => "outcome",
                    "Category" => "value",
                    _ => "name",
                };
                sim.insert_generic(kind.path(), json!({ key: name }));
            }
        }
        let url = url::Url::parse(&sim.url()).expect("sim url");
        let mut config = crate::halo::ClientConfig::new(url, "id", "secret");
        config.timeout = std::time::Duration::from_secs(5);
        let client = HaloClient::new(config).expect("a client");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let mut options = Options {
            prefix: prefix.into(),
            yes: false,
            json: false,
        };

        let listed = runtime
            .block_on(sweep(&client, &options))
            .expect("a dry run");
        let kinds: Vec<&str> = listed.objects.iter().map(|o| o.kind).collect();
        assert_eq!(kinds, kinds::ORDER, "one of each kind, in order");
        assert!(listed.objects.iter().all(|o| o.name == "tfacc-unit-x"));
        assert!(sim
            .journal()
            .iter()
            .all(|e| e.method == "GET" || e.path.starts_with("/auth")));

        sim.clear_journal();
        options.yes = true;
        let report = runtime.block_on(sweep(&client, &options)).expect("a sweep");
        assert_eq!(report.failures(), 0, "{}", report.text());
        assert!(report.objects.iter().all(|o| o.deleted));
        let deletes: Vec<String> = sim
            .journal()
            .iter()
            .filter(|e| e.method != "GET" && e.path.starts_with("/api/"))
            .map(|e| format!("{} {}", e.method, e.path))
            .collect();
        let expected: Vec<String> = report
            .objects
            .iter()
            .map(|o| {
                let path = crate::resources::swept()
                    .iter()
                    .find(|k| k.kind() == o.kind)
                    .map(|k| k.path())
                    .unwrap_or_default();
                format!("DELETE /api/{path}/{}", o.id)
            })
            .collect();
        assert_eq!(deletes, expected);

        // What is left is every kind's object beside the prefix.
        let again = runtime.block_on(sweep(
            &client,
            &Options {
                prefix: "kept-x".into(),
                yes: false,
                json: false,
            },
        ));
        let kept: Vec<&str> = again
            .as_ref()
            .map_or(vec![], |r| r.objects.iter().map(|o| o.kind).collect());
        assert_eq!(kept, kinds::ORDER);
        let after = runtime.block_on(sweep(&client, &{
            options.yes = false;
            options
        }));
        assert_eq!(after.map(|r| r.objects.len()).ok(), Some(0));
    }
}
