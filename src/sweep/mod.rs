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

use std::process::ExitCode;

use serde::Serialize;

use crate::halo::{
    Agent, Application, Category, Client, CustomField, Department, FieldGroup, HaloClient,
    HaloError, HaloObject, Organisation, Outcome, Role, Sla, Status, Team, TicketType, Webhook,
    Workday,
};
use crate::session::Session;

/// The shortest prefix accepted: `tfacc-`, the acceptance runs' common prefix.
pub const MIN_PREFIX_LEN: usize = 6;

pub const USAGE: &str = "\
Usage: terraform-provider-halopsa sweep --prefix PREFIX [--yes] [--json]

Lists every object in Halo whose name starts with PREFIX (organisations, departments,
teams, agents with their department memberships, roles with theirs, API applications,
clients, webhooks). Nothing is changed unless --yes is given; then they are deleted,
children before parents. Objects whose names do not start with PREFIX are never
changed. PREFIX must be at least 6 characters (e.g. tfacc-, which every acceptance run
uses). Configure it like the provider: HALOPSA_URL, HALOPSA_CLIENT_ID,
HALOPSA_CLIENT_SECRET (and HALOPSA_TENANT, ... where needed).

  --prefix PREFIX  the name prefix (case-sensitive)
  --yes            delete what is listed
  --json           print {\"instance\", \"prefix\", \"deleting\", \"objects\": [{\"kind\", \"id\",
                   \"name\", \"memberships\", \"deleted\", \"error\"}]}

Exit status: 0 when everything listed was deleted (or, without --yes, listed), 1 when
a delete failed, 2 for a usage or sign-in error.
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub prefix: String,
    pub yes: bool,
    pub json: bool,
}

/// Parses the arguments after `sweep`; `Ok(None)` means help was asked for.
pub fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut prefix: Option<String> = None;
    let mut yes = false;
    let mut json = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--yes" => yes = true,
            "--json" => json = true,
            "--prefix" => match args.next() {
                Some(value) => prefix = Some(value.clone()),
                None => return Err("--prefix needs a value".into()),
            },
            other => match other.strip_prefix("--prefix=") {
                Some(value) => prefix = Some(value.to_owned()),
                None => return Err(format!("unknown argument {other:?}")),
            },
        }
    }
    let Some(prefix) = prefix else {
        return Err("--prefix is required (e.g. --prefix tfacc-)".into());
    };
    check_prefix(&prefix)?;
    Ok(Some(Options { prefix, yes, json }))
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
    let options = match parse(args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("sweep: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
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

    // Deletion order: children before parents.
    let mut objects = Vec::new();
    objects.extend(
        found::<Application>(client, "api_application", prefix, |a| {
            (a.id.clone(), a.display_name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Webhook>(client, "webhook", prefix, |w| {
            (w.id.clone(), w.name.clone(), 0)
        })
        .await?,
    );
    // Ticket types before the statuses, SLAs and teams they allow, field groups
    // before their custom fields.
    objects.extend(
        found::<TicketType>(client, "ticket_type", prefix, |t| {
            (t.id.map(|i| i.to_string()), t.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<FieldGroup>(client, "field_group", prefix, |g| {
            (g.id.map(|i| i.to_string()), g.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<CustomField>(client, "custom_field", prefix, |f| {
            (f.id.map(|i| i.to_string()), f.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Sla>(client, "sla", prefix, |s| {
            (s.id.map(|i| i.to_string()), s.name.clone(), 0)
        })
        .await?,
    );
    // Actions before the statuses they move tickets to.
    objects.extend(
        found::<Outcome>(client, "outcome", prefix, |o| {
            (o.id.map(|i| i.to_string()), o.outcome.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Status>(client, "status", prefix, |s| {
            (s.id.map(|i| i.to_string()), s.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Category>(client, "category", prefix, |c| {
            (c.id.map(|i| i.to_string()), c.value.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Workday>(client, "workday", prefix, |w| {
            (w.id.map(|i| i.to_string()), w.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Client>(client, "client", prefix, |c| {
            (c.id.map(|i| i.to_string()), c.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Team>(client, "team", prefix, |t| {
            (t.id.map(|i| i.to_string()), t.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Agent>(client, "agent", prefix, |a| {
            let own = a
                .departments
                .iter()
                .flatten()
                .filter(|m| m.role_id.as_deref().is_none_or(|r| r.trim().is_empty()))
                .count();
            (a.id.map(|i| i.to_string()), a.name.clone(), own)
        })
        .await?,
    );
    objects.extend(
        found::<Role>(client, "role", prefix, |r| {
            let n = r.departments.as_ref().map_or(0, Vec::len);
            (r.id.clone(), r.name.clone(), n)
        })
        .await?,
    );
    objects.extend(
        found::<Department>(client, "department", prefix, |d| {
            (d.id.map(|i| i.to_string()), d.name.clone(), 0)
        })
        .await?,
    );
    objects.extend(
        found::<Organisation>(client, "organisation", prefix, |o| {
            (o.id.map(|i| i.to_string()), o.name.clone(), 0)
        })
        .await?,
    );

    if options.yes {
        for object in &mut objects {
            let result = match object.kind {
                "api_application" => client.delete::<Application>(object.id.clone()).await,
                "webhook" => client.delete::<Webhook>(object.id.clone()).await,
                "role" => client.delete::<Role>(object.id.clone()).await,
                kind => match object.id.parse::<i64>() {
                    Ok(id) => match kind {
                        "client" => client.delete::<Client>(id).await,
                        "ticket_type" => client.delete::<TicketType>(id).await,
                        "field_group" => client.delete::<FieldGroup>(id).await,
                        "custom_field" => client.delete::<CustomField>(id).await,
                        "sla" => client.delete::<Sla>(id).await,
                        "workday" => client.delete::<Workday>(id).await,
                        "outcome" => client.delete::<Outcome>(id).await,
                        "status" => client.delete::<Status>(id).await,
                        "category" => client.delete::<Category>(id).await,
                        "team" => client.delete::<Team>(id).await,
                        "agent" => client.delete::<Agent>(id).await,
                        "department" => client.delete::<Department>(id).await,
                        _ => client.delete::<Organisation>(id).await,
                    },
                    Err(_) => Err(HaloError::InvalidArgument(format!(
                        "{kind} id {:?} is not a whole number",
                        object.id
                    ))),
                },
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

/// The objects of `T` whose name starts with `prefix` (every page, hidden ones
/// included: `list_all`); `parts` gives id, name and the memberships the list
/// shows. Objects without an id or a name are left out.
async fn found<T: HaloObject>(
    client: &HaloClient,
    kind: &'static str,
    prefix: &str,
    parts: impl Fn(&T) -> (Option<String>, Option<String>, usize),
) -> Result<Vec<Found>, HaloError> {
    let all = client.list_all::<T>(false).await?;
    let mut out = Vec::new();
    for object in &all {
        let (id, name, memberships) = parts(object);
        let (Some(id), Some(name)) = (id, name) else {
            continue;
        };
        if !name.starts_with(prefix) {
            continue;
        }
        out.push(Found {
            kind,
            id,
            name,
            memberships,
            deleted: false,
            error: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

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
}
