//! terraform-provider-halopsa: a Terraform provider (plugin protocol 6) for HaloPSA.

use terraform_provider_halopsa::{doctor, export, logging, plugin, provider, sweep};

use std::process::ExitCode;

const USAGE: &str = "\
terraform-provider-halopsa: the Terraform provider for HaloPSA.

Terraform starts this program itself; running it by hand does nothing useful.

Usage:
  terraform-provider-halopsa            serve Terraform (started by Terraform)
  terraform-provider-halopsa --debug    serve without Terraform and print TF_REATTACH_PROVIDERS
  terraform-provider-halopsa --version  print the version
  terraform-provider-halopsa doctor [--json]
                                        check a live Halo instance against the provider's
                                        assumptions, read-only (HALOPSA_* environment)
  terraform-provider-halopsa export --dir DIR [--kinds KIND,...]
                                        write the tenant's configuration as HCL with
                                        import blocks, read-only (HALOPSA_* environment)
  terraform-provider-halopsa sweep --prefix PREFIX [--yes] [--json]
                                        list (and with --yes delete) what test runs left:
                                        every object named PREFIX... (e.g. tfacc-)
";

const PROVIDER_ADDRESS: &str = "registry.terraform.io/halopsa/halopsa";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version" | "-v") => {
            println!("terraform-provider-halopsa {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some("--help" | "-h") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("doctor") => return doctor::run(&args[1..]),
        Some("sweep") => return sweep::run(&args[1..]),
        Some("export") => return export::run(&args[1..]),
        Some("--debug") | None => {}
        Some(other) => {
            eprintln!("unknown argument {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let debug = args.first().is_some_and(|a| a == "--debug");
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
