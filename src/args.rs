//! The command line of the subcommands that talk to Halo (`export`, `sweep`):
//! each declares its flags once, in a table ([`Command`]), and both the parsing
//! and the `--help` text come from that table, so the help cannot leave a flag
//! out and every mistake is reported against the flag it concerns.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

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

/// A subcommand: its name, what it does and its flags.
pub struct Command {
    /// The word after the binary's name (`sweep`).
    pub name: &'static str,
    /// What it does, before the list of flags.
    pub about: &'static str,
    pub flags: &'static [Flag],
    /// What follows the list of flags (the exit status).
    pub footer: &'static str,
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

    /// The `--help` text: the synopsis, what the command does, one line per
    /// flag (their help aligned), then the footer.
    pub fn usage(&self) -> String {
        let synopsis: Vec<String> = self
            .flags
            .iter()
            .map(|f| {
                let spelled = spelled(f);
                if f.required {
                    spelled
                } else {
                    format!("[{spelled}]")
                }
            })
            .collect();
        let mut out = format!(
            "Usage: terraform-provider-halopsa {} {}\n\n{}\n\n",
            self.name,
            synopsis.join(" "),
            self.about.trim_end()
        );
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
        footer: "Exit status: 0.",
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
}
