//! terraform-provider-halopsa: a Terraform provider (plugin protocol 6) for HaloPSA.

use terraform_provider_halopsa::args::{Command, Flag, Subcommand, PROGRAM};
use terraform_provider_halopsa::{doctor, export, logging, plugin, provider, sweep};

use std::process::ExitCode;

/// The command line: the binary's own flags and its subcommands, from which the
/// parsing, the choice of subcommand and `--help` all come.
const COMMAND: Command = Command {
    program: None,
    name: PROGRAM,
    about: "\
The Terraform provider for HaloPSA. Terraform starts this program itself (without
arguments, it serves Terraform); running it by hand is for the flags and commands below.",
    flags: &[
        Flag {
            name: "--debug",
            value: None,
            required: false,
            example: "",
            help: "serve without Terraform and print TF_REATTACH_PROVIDERS",
        },
        Flag {
            name: "--version",
            value: None,
            required: false,
            example: "",
            help: "print the version",
        },
    ],
    subcommands: &[
        Subcommand {
            command: &doctor::COMMAND,
            summary: "check a live Halo instance against the provider's assumptions,\n\
                      read-only (HALOPSA_* environment)",
            run: doctor::run,
        },
        Subcommand {
            command: &export::COMMAND,
            summary: "write the tenant's configuration as HCL with import blocks,\n\
                      read-only (HALOPSA_* environment)",
            run: export::run,
        },
        Subcommand {
            command: &sweep::COMMAND,
            summary: "list (and with --yes delete) what test runs left: every object\n\
                      named PREFIX... (e.g. tfacc-)",
            run: sweep::run,
        },
    ],
    footer: "",
};

/// What the binary's own flags ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Serve Terraform, or (`--debug`) serve without it.
    Serve {
        debug: bool,
    },
    Version,
}

/// Parses the binary's own flags (no subcommand); `Ok(None)` means help was
/// asked for. `--version` wins over `--debug`.
fn parse(args: &[String]) -> Result<Option<Mode>, String> {
    let Some(given) = COMMAND.parse(args).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    Ok(Some(if given.has("--version") {
        Mode::Version
    } else {
        Mode::Serve {
            debug: given.has("--debug"),
        }
    }))
}

const PROVIDER_ADDRESS: &str = "registry.terraform.io/halopsa/halopsa";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(sub) = COMMAND.subcommand(&args) {
        return (sub.run)(&args[1..]);
    }
    let debug = match COMMAND.options(&args, parse) {
        Ok(Mode::Version) => {
            println!("{PROGRAM} {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Ok(Mode::Serve { debug }) => debug,
        Err(code) => return code,
    };
    logging::init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-halopsa: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let service = provider::service();
    let result = runtime.block_on(async move {
        if debug {
            plugin::serve_debug(service, PROVIDER_ADDRESS).await
        } else {
            plugin::serve_for_terraform(service).await
        }
    });
    // Background tasks (idle connections) must not hold the process after shutdown.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_binary_serves_prints_its_version_or_help() {
        assert_eq!(parse(&[]), Ok(Some(Mode::Serve { debug: false })));
        assert_eq!(
            parse(&owned(&["--debug"])),
            Ok(Some(Mode::Serve { debug: true }))
        );
        assert_eq!(parse(&owned(&["--version"])), Ok(Some(Mode::Version)));
        assert_eq!(
            parse(&owned(&["--debug", "--version"])),
            Ok(Some(Mode::Version))
        );
        assert_eq!(parse(&owned(&["-h"])), Ok(None));
    }

    #[test]
    fn every_mistake_names_its_flag() {
        for (args, text) in [
            (&["serve"][..], "unknown argument \"serve\""),
            (&["--debug", "extra"][..], "unknown argument \"extra\""),
            (&["--version=2"][..], "--version takes no value (got \"2\")"),
            (
                &["--debug", "--debug"][..],
                "--debug is given more than once",
            ),
        ] {
            assert_eq!(parse(&owned(args)), Err(text.to_owned()), "{args:?}");
        }
    }

    #[test]
    fn each_subcommand_is_found_by_its_name_and_listed_with_its_flags() {
        for name in ["doctor", "export", "sweep"] {
            let found = COMMAND.subcommand(&owned(&[name, "--help"]));
            assert_eq!(found.map(|s| s.command.name), Some(name));
        }
        assert!(COMMAND.subcommand(&owned(&["--debug"])).is_none());
        let usage = COMMAND.usage();
        for line in [
            "Usage: terraform-provider-halopsa [--debug] [--version]\n",
            "  --debug    serve without Terraform",
            "  --version  print the version\n",
            "\nCommands:\n  doctor [--json]\n      check a live Halo",
            "\n  export --dir DIR [--kinds KIND,KIND]\n      write the tenant's",
            "\n  sweep --prefix PREFIX [--yes] [--json]\n      list (and with --yes delete)",
            "terraform-provider-halopsa COMMAND --help",
        ] {
            assert!(usage.contains(line), "{line:?} in\n{usage}");
        }
    }
}
