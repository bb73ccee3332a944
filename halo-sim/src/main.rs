//! The `halo-sim` binary: runs the emulator until SIGINT or SIGTERM.

use std::ffi::OsString;
use std::io::{self, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use halo_sim::{FaultRate, RateLimit, SimOptions};
use tokio::net::TcpListener;

const HELP: &str = "\
halo-sim: an emulator of the HaloPSA REST API (see docs/halo-api.md)

USAGE:
    halo-sim [OPTIONS]

OPTIONS:
    --bind ADDR            Loopback address to listen on [default: 127.0.0.1]
                           (non-loopback addresses are refused)
    --port PORT            Port to listen on; 0 picks a free one [default: 0]
    --addr-file PATH       Write the base URL (http://127.0.0.1:PORT) to PATH once listening
    --journal PATH         Append every /api and /auth request to PATH as JSON lines
    --client-id ID         Client id the token endpoint accepts [default: halo-sim]
    --client-secret S      Client secret the token endpoint accepts [default: halo-sim-secret]
    --tenant T             Require ?tenant=T on /auth/token and report it in /api/authinfo
    --no-seed              Start empty (no seed organisation, department, teams, workdays, admin)
    --token-ttl SECS       Access token lifetime in seconds [default: 3600]
    --rate-limit N/SECS    Allow N requests per rolling SECS seconds, then 429 (e.g. 300/300)
    --latency-ms MS        Delay added to every /api and /auth request [default: 0]
    --page-cap N           Most objects in one list answer, paged or not [default: 100]
    --fault-rate SPEC      Random faults, e.g. 503=0.05,429=0.02,drop=0.01: per /api request
                           the chance of a 503, of a 429, and (creates only) of the create
                           being committed and its answer dropped
    --fault-seed N         Seed of the random faults [default: 0]
    -h, --help             Print this help

The first line on stdout is `halo-sim listening on http://HOST:PORT`.

CONTROL ENDPOINTS (no auth, not journaled):
    GET    /__state                    all objects by kind (secrets never included)
    GET    /__journal                  the request journal; DELETE clears it
    POST   /__faults                   inject a fault; DELETE clears all faults
    GET    /__config                   current settings; POST changes them:
                                       {\"rate_limit\": {\"requests\": N, \"window_secs\": S} | null,
                                        \"latency_ms\": N, \"token_ttl_secs\": N, \"page_cap\": N,
                                        \"answer_first_only\": B,
                                        \"fault_rate\": {\"seed\": N, \"status_503\": P,
                                          \"status_429\": P, \"drop_creates\": P} | null}
    POST   /__objects/{kind}           insert an object out of band
    PATCH  /__objects/{kind}/{id}      merge fields into an object out of band
    DELETE /__objects/{kind}/{id}      delete an object out of band
    POST   /__revoke_tokens            invalidate every issued token
    kind: organisations, departments, teams, workdays, agents, roles, applications, clients
";

/// What the command line asks for.
struct Cli {
    bind: IpAddr,
    port: u16,
    addr_file: Option<PathBuf>,
    opts: SimOptions,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("unknown argument `{0}`")]
    Unknown(String),
    #[error("`{0}` needs a value")]
    MissingValue(String),
    #[error("invalid value `{value}` for `{flag}`: {reason}")]
    Invalid {
        flag: String,
        value: String,
        reason: String,
    },
    #[error("argument `{0}` is not valid UTF-8")]
    NotUtf8(String),
}

fn invalid(flag: &str, value: &str, reason: impl ToString) -> CliError {
    CliError::Invalid {
        flag: flag.to_owned(),
        value: value.to_owned(),
        reason: reason.to_string(),
    }
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, CliError>
where
    T::Err: ToString,
{
    value
        .parse()
        .map_err(|err: T::Err| invalid(flag, value, err))
}

fn parse_bind(value: &str) -> Result<IpAddr, CliError> {
    let ip = if value.eq_ignore_ascii_case("localhost") {
        IpAddr::from([127, 0, 0, 1])
    } else {
        value
            .parse::<IpAddr>()
            .map_err(|err| invalid("--bind", value, err))?
    };
    if ip.is_loopback() {
        Ok(ip)
    } else {
        Err(invalid(
            "--bind",
            value,
            "only loopback addresses are allowed (the emulator has no real security)",
        ))
    }
}

fn parse_rate_limit(value: &str) -> Result<RateLimit, CliError> {
    let (requests, secs) = value
        .split_once('/')
        .ok_or_else(|| invalid("--rate-limit", value, "expected N/SECS, e.g. 300/300"))?;
    let requests: u32 = parse_number("--rate-limit", requests)?;
    let secs: u64 = parse_number("--rate-limit", secs)?;
    if requests == 0 || secs == 0 {
        return Err(invalid(
            "--rate-limit",
            value,
            "N and SECS must be positive",
        ));
    }
    Ok(RateLimit {
        requests,
        window: Duration::from_secs(secs),
    })
}

fn parse_fault_rate(value: &str, seed: u64) -> Result<FaultRate, CliError> {
    let mut rate = FaultRate {
        seed,
        status_503: 0.0,
        status_429: 0.0,
        drop_creates: 0.0,
    };
    for part in value.split(',').filter(|p| !p.trim().is_empty()) {
        let (key, p) = part.split_once('=').ok_or_else(|| {
            invalid(
                "--fault-rate",
                value,
                "expected KEY=P pairs, e.g. 503=0.05,429=0.02,drop=0.01",
            )
        })?;
        let p: f64 = parse_number("--fault-rate", p.trim())?;
        match key.trim() {
            "503" => rate.status_503 = p,
            "429" => rate.status_429 = p,
            "drop" => rate.drop_creates = p,
            other => {
                return Err(invalid(
                    "--fault-rate",
                    value,
                    format!("unknown key `{other}` (expected 503, 429 or drop)"),
                ))
            }
        }
    }
    rate.check()
        .map_err(|e| invalid("--fault-rate", value, e))?;
    Ok(rate)
}

/// Parses the arguments; `Ok(None)` means help was asked for.
fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Option<Cli>, CliError> {
    let mut cli = Cli {
        bind: IpAddr::from([127, 0, 0, 1]),
        port: 0,
        addr_file: None,
        opts: SimOptions::default(),
    };
    let mut args = args.into_iter();
    let mut fault_rate: Option<String> = None;
    let mut fault_seed = 0u64;
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|a| CliError::NotUtf8(a.to_string_lossy().into_owned()))?;
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = || -> Result<String, CliError> {
            match inline.clone() {
                Some(value) => Ok(value),
                None => args
                    .next()
                    .ok_or_else(|| CliError::MissingValue(flag.clone()))?
                    .into_string()
                    .map_err(|a| CliError::NotUtf8(a.to_string_lossy().into_owned())),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--bind" => cli.bind = parse_bind(&value()?)?,
            "--port" => cli.port = parse_number("--port", &value()?)?,
            "--addr-file" => cli.addr_file = Some(PathBuf::from(value()?)),
            "--journal" => cli.opts.journal_path = Some(PathBuf::from(value()?)),
            "--client-id" => cli.opts.client_id = value()?,
            "--client-secret" => cli.opts.client_secret = value()?,
            "--tenant" => cli.opts.tenant = Some(value()?),
            "--no-seed" => cli.opts.seed = false,
            "--token-ttl" => {
                cli.opts.token_ttl = Duration::from_secs(parse_number("--token-ttl", &value()?)?)
            }
            "--rate-limit" => cli.opts.rate_limit = Some(parse_rate_limit(&value()?)?),
            "--latency-ms" => {
                cli.opts.latency = Duration::from_millis(parse_number("--latency-ms", &value()?)?)
            }
            "--page-cap" => {
                let value = value()?;
                let cap: usize = parse_number("--page-cap", &value)?;
                if cap == 0 {
                    return Err(invalid("--page-cap", &value, "must be at least 1"));
                }
                cli.opts.page_cap = cap;
            }
            "--fault-rate" => fault_rate = Some(value()?),
            "--fault-seed" => fault_seed = parse_number("--fault-seed", &value()?)?,
            _ => return Err(CliError::Unknown(flag)),
        }
    }
    if let Some(spec) = fault_rate {
        cli.opts.fault_rate = Some(parse_fault_rate(&spec, fault_seed)?);
    }
    Ok(Some(cli))
}

/// Writes `contents` to `path` whole: through a temporary file and a rename.
fn write_atomically(path: &Path, contents: &str) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path)
}

/// Registers the SIGINT/SIGTERM handlers now (so a signal sent right after the
/// address line is printed is not lost) and completes when one arrives.
fn shutdown_signal() -> io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    })
}

async fn run(cli: Cli) -> io::Result<()> {
    let listener = TcpListener::bind((cli.bind, cli.port)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let shutdown = shutdown_signal()?;
    // The address file first: whoever reads the stdout line may look at it next.
    if let Some(path) = &cli.addr_file {
        write_atomically(path, &url)?;
    }
    {
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "halo-sim listening on {url}")?;
        stdout.flush()?;
    }
    halo_sim::serve(listener, cli.opts, shutdown).await?;
    eprintln!("halo-sim stopped");
    Ok(())
}

fn main() -> ExitCode {
    let cli = match parse(std::env::args_os().skip(1)) {
        Ok(Some(cli)) => cli,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("halo-sim: {err}\nRun `halo-sim --help` for usage.");
            return ExitCode::from(2);
        }
    };
    let result = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .and_then(|runtime| runtime.block_on(run(cli)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("halo-sim: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn parses_flags() {
        let cli = parse(args(&[
            "--port=8080",
            "--tenant",
            "acme",
            "--no-seed",
            "--rate-limit",
            "300/300",
            "--latency-ms",
            "5",
        ]))
        .ok()
        .flatten();
        let Some(cli) = cli else {
            panic!("flags did not parse");
        };
        assert_eq!(cli.port, 8080);
        assert_eq!(cli.opts.tenant.as_deref(), Some("acme"));
        assert!(!cli.opts.seed);
        assert_eq!(
            cli.opts.rate_limit,
            Some(RateLimit {
                requests: 300,
                window: Duration::from_secs(300)
            })
        );
        assert_eq!(cli.opts.latency, Duration::from_millis(5));
    }

    #[test]
    fn refuses_non_loopback_and_junk() {
        assert!(parse(args(&["--bind", "0.0.0.0"])).is_err());
        assert!(parse(args(&["--bind", "::1"])).is_ok());
        assert!(parse(args(&["--rate-limit", "300"])).is_err());
        assert!(parse(args(&["--port"])).is_err());
        assert!(parse(args(&["--frobnicate"])).is_err());
        assert!(matches!(parse(args(&["--help"])), Ok(None)));
        assert!(parse(args(&["--page-cap", "0"])).is_err());
        assert!(parse(args(&["--fault-rate", "503=2"])).is_err());
        assert!(parse(args(&["--fault-rate", "500=0.1"])).is_err());
    }

    #[test]
    fn parses_page_cap_and_fault_rate() {
        let cli = parse(args(&[
            "--page-cap",
            "7",
            "--fault-rate=503=0.05,429=0.02,drop=0.01",
            "--fault-seed",
            "9",
        ]))
        .ok()
        .flatten();
        let Some(cli) = cli else {
            panic!("flags did not parse");
        };
        assert_eq!(cli.opts.page_cap, 7);
        assert_eq!(
            cli.opts.fault_rate,
            Some(FaultRate {
                seed: 9,
                status_503: 0.05,
                status_429: 0.02,
                drop_creates: 0.01
            })
        );
    }
}
