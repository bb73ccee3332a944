//! The command lines of the programs: the provider binary itself (its own flags
//! and its subcommands `doctor`, `export`, `sweep`) and `halopsa-docs`. Each
//! declares its flags once, in a table ([`Command`]), and the parsing, the
//! `--help` text and (for the provider binary) the choice of subcommand all come
//! from that table, so the help cannot leave a flag or a subcommand out and every
//! mistake is reported against the flag it concerns.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

/// The provider binary's name, the program the subcommands belong to.
pub const PROGRAM: &str = "terraform-provider-halopsa";

/// One flag of a subcommand.
pub struct Flag {
    /// `--prefix`.
    pub name: &'static str,
    /// The placeholder of its value (`PREFIX`); `None` for a switch.
    pub value: Option<&'static str>,
    /// Whether the command refuses to run without it.
    pub required: bool,
    /// A value to show in the error when a required flag is missing (may be empty).
    pub example: &'static str,
    /// What it does; a `\n` continues the text on the next line, under the first.
    pub help: &'static str,
}

/// A program or one of its subcommands: its name, what it does, its flags and
/// its own subcommands.
pub struct Command {
    /// The program it is a subcommand of ([`PROGRAM`]); `None` for a program.
    pub program: Option<&'static str>,
    /// The word after the program's name (`sweep`), or the program's name
    /// (`halopsa-docs`); it starts every error message.
    pub name: &'static str,
    /// What it does, before the list of flags.
    pub about: &'static str,
    pub flags: &'static [Flag],
    /// Its subcommands, chosen by the first argument (none but the provider
    /// binary's).
    pub subcommands: &'static [Subcommand],
    /// What follows the list of flags (the exit status).
    pub footer: &'static str,
}

/// A subcommand as its program lists and runs it.
pub struct Subcommand {
    pub command: &'static Command,
    /// One line for the program's help: what it does.
    pub summary: &'static str,
    /// Runs it with the arguments after its name; answers the exit status.
    pub run: fn(&[String]) -> ExitCode,
}

/// Why a command line was refused; each names the flag or argument at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgError {
    #[error("unknown argument {0:?}")]
    Unknown(String),
    #[error("{0} needs a value")]
    NeedsValue(&'static str),
    #[error("{flag} takes no value (got {value:?})")]
    TakesNoValue { flag: &'static str, value: String },
    #[error("{0} is given more than once")]
    Repeated(&'static str),
    #[error("{flag} is required{}", example_text(flag, example))]
    Missing {
        flag: &'static str,
        example: &'static str,
    },
}

fn example_text(flag: &str, example: &str) -> String {
    if example.is_empty() {
        String::new()
    } else {
        format!(" (e.g. {flag} {example})")
    }
}

/// The flags given: each flag's value (a switch's is empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Given(BTreeMap<&'static str, String>);

impl Given {
    /// The value of a flag that takes one, when it was given.
    pub fn value(&self, flag: &str) -> Option<&str> {
        self.0.get(flag).map(String::as_str)
    }

    /// Whether the flag (a switch or not) was given.
    pub fn has(&self, flag: &str) -> bool {
        self.0.contains_key(flag)
    }
}

impl Command {
    /// The subcommand `args` starts with, if it starts with one's name.
    pub fn subcommand(&self, args: &[String]) -> Option<&'static Subcommand> {
        let first = args.first()?;
        self.subcommands.iter().find(|s| s.command.name == first)
    }

    /// Parses the arguments after the subcommand's name. `Ok(None)` means help
    /// was asked for (`--help` or `-h`, wherever it stands). A flag's value comes
    /// after it or after `=` (`--prefix=tfacc-`); the required flags must be there.
    pub fn parse(&self, args: &[String]) -> Result<Option<Given>, ArgError> {
        if args.iter().any(|a| a == "--help" || a == "-h") {
            return Ok(None);
        }
        let mut given = Given::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value)),
                _ => (arg.as_str(), None),
            };
            let Some(flag) = self.flags.iter().find(|f| f.name == name) else {
                return Err(ArgError::Unknown(arg.clone()));
            };
            let value = match (flag.value, inline) {
                (Some(_), Some(value)) => value.to_owned(),
                (Some(_), None) => args
                    .next()
                    .cloned()
                    .ok_or(ArgError::NeedsValue(flag.name))?,
                (None, Some(value)) => {
                    return Err(ArgError::TakesNoValue {
                        flag: flag.name,
                        value: value.to_owned(),
                    })
                }
                (None, None) => String::new(),
            };
            if given.0.insert(flag.name, value).is_some() {
                return Err(ArgError::Repeated(flag.name));
            }
        }
        if let Some(flag) = self.flags.iter().find(|f| f.required && !given.has(f.name)) {
            return Err(ArgError::Missing {
                flag: flag.name,
                example: flag.example,
            });
        }
        Ok(Some(given))
    }

    /// The options `parse` (the table's parsing, then the command's own checks)
    /// makes of `args`, or the exit status to end with: 0 once the help is
    /// printed, 2 once the mistake is, followed by the help.
    pub fn options<T>(
        &self,
        args: &[String],
        parse: fn(&[String]) -> Result<Option<T>, String>,
    ) -> Result<T, ExitCode> {
        match parse(args) {
            Ok(Some(options)) => Ok(options),
            Ok(None) => {
                print!("{}", self.usage());
                Err(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("{}: {e}\n\n{}", self.name, self.usage());
                Err(ExitCode::from(2))
            }
        }
    }

    /// Its name and flags as typed: `sweep --prefix PREFIX [--yes]`.
    fn synopsis(&self) -> String {
        let mut words = vec![self.name.to_owned()];
        words.extend(self.flags.iter().map(|f| {
            let spelled = spelled(f);
            if f.required {
                spelled
            } else {
                format!("[{spelled}]")
            }
        }));
        words.join(" ")
    }

    /// The `--help` text: the synopsis, what the command does, one line per
    /// flag (their help aligned), the subcommands (each with its synopsis and
    /// summary), then the footer.
    pub fn usage(&self) -> String {
        let invocation = match self.program {
            Some(program) => format!("{program} {}", self.synopsis()),
            None => self.synopsis(),
        };
        let mut out = format!("Usage: {invocation}\n\n{}\n\n", self.about.trim_end());
        let help = Flag {
            name: "--help",
            value: None,
            required: false,
            example: "",
            help: "print this help",
        };
        let rows: Vec<&Flag> = self.flags.iter().chain([&help]).collect();
        let width = rows.iter().map(|f| spelled(f).len()).max().unwrap_or(0) + 2;
        for flag in rows {
            let mut lines = flag.help.lines();
            let first = lines.next().unwrap_or_default();
            let _ = writeln!(out, "  {:<width$}{first}", spelled(flag));
            for line in lines {
                let _ = writeln!(out, "  {:<width$}{}", "", line.trim_start());
            }
        }
        if !self.subcommands.is_empty() {
            out.push_str("\nCommands:\n");
            for sub in self.subcommands {
                let _ = writeln!(out, "  {}", sub.command.synopsis());
                for line in sub.summary.lines() {
                    let _ = writeln!(out, "      {}", line.trim_start());
                }
            }
            let _ = writeln!(
                out,
                "\nEach command's own --help tells more: {} COMMAND --help",
                self.name
            );
        }
        if !self.footer.is_empty() {
            let _ = write!(out, "\n{}\n", self.footer.trim_end());
        }
        out
    }
}

/// `--prefix PREFIX`, or `--yes` for a switch.
fn spelled(flag: &Flag) -> String {
    match flag.value {
        Some(value) => format!("{} {value}", flag.name),
        None => flag.name.to_owned(),
    }
}

/// `list` as the owned arguments a command receives, for tests.
#[cfg(test)]
pub fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOOL: Command = Command {
        program: Some(PROGRAM),
        name: "tool",
        about: "Does a thing.",
        flags: &[
            Flag {
                name: "--dir",
                value: Some("DIR"),
                required: true,
                example: "out",
                help: "where to write\nand a second line",
            },
            Flag {
                name: "--kinds",
                value: Some("K,K"),
                required: false,
                example: "",
                help: "which kinds",
            },
            Flag {
                name: "--yes",
                value: None,
                required: false,
                example: "",
                help: "do it",
            },
        ],
        subcommands: &[],
        footer: "Exit status: 0.",
    };

    fn run_tool(_: &[String]) -> ExitCode {
        ExitCode::SUCCESS
    }

    /// A program of its own with `tool` as its subcommand.
    const SUITE: Command = Command {
        program: None,
        name: "suite",
        about: "Many things.",
        flags: &[Flag {
            name: "--quiet",
            value: None,
            required: false,
            example: "",
            help: "say less",
        }],
        subcommands: &[Subcommand {
            command: &TOOL,
            summary: "does a thing\nin a directory",
            run: run_tool,
        }],
        footer: "",
    };

    fn parse(list: &[&str]) -> Result<Option<Given>, ArgError> {
        TOOL.parse(&owned(list))
    }

    #[test]
    fn values_come_after_the_flag_or_after_an_equals_sign() {
        let given = parse(&["--dir", "a b", "--kinds=x,y=z", "--yes"])
            .expect("parsed")
            .expect("not help");
        assert_eq!(given.value("--dir"), Some("a b"));
        assert_eq!(given.value("--kinds"), Some("x,y=z"));
        assert!(given.has("--yes"));
        let given = parse(&["--dir="]).expect("parsed").expect("not help");
        assert_eq!(given.value("--dir"), Some(""), "an empty value is a value");
        assert!(!given.has("--yes") && given.value("--kinds").is_none());
    }

    #[test]
    fn help_wins_wherever_it_stands() {
        assert_eq!(parse(&["--help"]), Ok(None));
        assert_eq!(parse(&["--bogus", "-h"]), Ok(None));
    }

    #[test]
    fn every_mistake_names_its_flag() {
        let cases: [(&[&str], ArgError, &str); 6] = [
            (
                &["--dir", "a", "--bogus"],
                ArgError::Unknown("--bogus".into()),
                "unknown argument \"--bogus\"",
            ),
            (
                &["stray", "--dir", "a"],
                ArgError::Unknown("stray".into()),
                "unknown argument \"stray\"",
            ),
            (
                &["--dir"],
                ArgError::NeedsValue("--dir"),
                "--dir needs a value",
            ),
            (
                &["--dir", "a", "--yes=no"],
                ArgError::TakesNoValue {
                    flag: "--yes",
                    value: "no".into(),
                },
                "--yes takes no value (got \"no\")",
            ),
            (
                &["--dir", "a", "--dir=b"],
                ArgError::Repeated("--dir"),
                "--dir is given more than once",
            ),
            (
                &["--yes"],
                ArgError::Missing {
                    flag: "--dir",
                    example: "out",
                },
                "--dir is required (e.g. --dir out)",
            ),
        ];
        for (args, error, text) in cases {
            let got = parse(args).expect_err("refused");
            assert_eq!(got, error, "{args:?}");
            assert_eq!(got.to_string(), text, "{args:?}");
        }
    }

    #[test]
    fn the_help_lists_every_flag_from_the_table() {
        assert_eq!(
            TOOL.usage(),
            "Usage: terraform-provider-halopsa tool --dir DIR [--kinds K,K] [--yes]\n\
             \n\
             Does a thing.\n\
             \n\
             \x20 --dir DIR    where to write\n\
             \x20              and a second line\n\
             \x20 --kinds K,K  which kinds\n\
             \x20 --yes        do it\n\
             \x20 --help       print this help\n\
             \n\
             Exit status: 0.\n"
        );
    }

    #[test]
    fn a_program_lists_its_subcommands_and_finds_them_by_their_first_word() {
        assert_eq!(
            SUITE.usage(),
            "Usage: suite [--quiet]\n\
             \n\
             Many things.\n\
             \n\
             \x20 --quiet  say less\n\
             \x20 --help   print this help\n\
             \n\
             Commands:\n\
             \x20 tool --dir DIR [--kinds K,K] [--yes]\n\
             \x20     does a thing\n\
             \x20     in a directory\n\
             \n\
             Each command's own --help tells more: suite COMMAND --help\n"
        );
        let found = SUITE.subcommand(&owned(&["tool", "--dir", "a"]));
        assert_eq!(found.map(|s| s.command.name), Some("tool"));
        assert!(SUITE.subcommand(&owned(&["--quiet"])).is_none());
        assert!(SUITE.subcommand(&owned(&["tools"])).is_none());
        assert!(SUITE.subcommand(&[]).is_none());
        // What is not a subcommand is the program's own flags, checked as any.
        assert_eq!(
            SUITE.parse(&owned(&["tools"])),
            Err(ArgError::Unknown("tools".into()))
        );
    }
}
