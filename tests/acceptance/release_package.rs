//! The release package, installed the way users install it: `scripts/release`
//! packages the provider binary built for these tests, the zip goes into a
//! filesystem mirror, and a real `terraform init` (no `dev_overrides`) installs it
//! for `source = "halopsa/halopsa"` with a version constraint; `terraform plan` and
//! `apply` then run the installed provider against halo-sim.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{provider_bin, TestEnv};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The platform as Terraform names it (`linux_amd64`).
fn platform() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        other => other,
    };
    format!("{os}_{arch}")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/release --binary <the test build> --out <dir>` and returns `dir`.
fn package(dir: &Path) -> PathBuf {
    let out = dir.join("dist");
    let result = Command::new("bash")
        .arg(repo().join("scripts/release"))
        .arg("--binary")
        .arg(provider_bin())
        .arg("--out")
        .arg(&out)
        .current_dir(repo())
        .output()
        .expect("run scripts/release");
    assert!(
        result.status.success(),
        "scripts/release failed ({})\n--- stdout ---\n{}\n--- stderr ---\n{}",
        result.status,
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

fn hcl_path(path: &Path) -> String {
    path.to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

fn config(version: &str, sim_url: &str) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    halopsa = {{
      source  = "halopsa/halopsa"
      version = "{version}"
    }}
  }}
}}

provider "halopsa" {{
  url           = "{sim_url}"
  client_id     = "halo-sim"
  client_secret = "halo-sim-secret"
}}

resource "halopsa_organisation" "packaged" {{
  name = "Installed from the release zip"
}}
"#
    )
}

#[test]
fn release_zip_installs_from_a_filesystem_mirror_and_plans() {
    let env = TestEnv::new();
    let dist = package(env.dir.path());

    // What the script wrote, with the names registries expect.
    let zip_name = format!("terraform-provider-halopsa_{VERSION}_{}.zip", platform());
    let manifest_name = format!("terraform-provider-halopsa_{VERSION}_manifest.json");
    let sums_name = format!("terraform-provider-halopsa_{VERSION}_SHA256SUMS");
    for name in [&zip_name, &manifest_name, &sums_name] {
        assert!(dist.join(name).is_file(), "scripts/release wrote no {name}");
    }
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.join(&manifest_name)).expect("read the manifest"),
    )
    .expect("the manifest is JSON");
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );
    let sums = std::fs::read_to_string(dist.join(&sums_name)).expect("read SHA256SUMS");
    assert!(
        sums.lines().any(|l| l.ends_with(&format!("  {zip_name}")))
            && sums
                .lines()
                .any(|l| l.ends_with(&format!("  {manifest_name}"))),
        "SHA256SUMS must list the zip and the manifest:\n{sums}"
    );
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", &sums_name])
        .current_dir(&dist)
        .output()
        .expect("run sha256sum");
    assert!(
        check.status.success(),
        "SHA256SUMS does not match the files:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // A filesystem mirror in the packed layout: HOSTNAME/NAMESPACE/TYPE/<the zip>.
    let mirror = env.dir.path().join("mirror");
    let provider_dir = mirror.join("registry.terraform.io/halopsa/halopsa");
    std::fs::create_dir_all(&provider_dir).expect("create the mirror");
    std::fs::copy(dist.join(&zip_name), provider_dir.join(&zip_name)).expect("fill the mirror");

    // No dev_overrides and no `direct {}`: the provider can only come from the mirror.
    let cli_config = env.dir.path().join("mirror.tfrc");
    std::fs::write(
        &cli_config,
        format!(
            r#"disable_checkpoint = true

provider_installation {{
  filesystem_mirror {{
    path    = "{}"
    include = ["halopsa/halopsa"]
  }}
}}
"#,
            hcl_path(&mirror)
        ),
    )
    .expect("write the CLI config");
    let cli_env = [(
        "TF_CLI_CONFIG_FILE",
        cli_config.to_str().expect("utf-8 path"),
    )];

    let wd = env.workdir();
    wd.write_config_raw(&config("~> 0.1", &env.sim.url()));
    let init = wd.run(&["init", "-input=false", "-no-color"], &cli_env);
    assert!(init.success(), "terraform init failed\n{init}");
    assert!(
        init.stdout
            .contains(&format!("Installing halopsa/halopsa v{VERSION}")),
        "init did not install halopsa/halopsa v{VERSION}\n{init}"
    );
    assert!(
        !init.combined().contains("development overrides"),
        "init must not use dev_overrides\n{init}"
    );

    let lock = std::fs::read_to_string(wd.path.join(".terraform.lock.hcl"))
        .expect("terraform init writes .terraform.lock.hcl");
    assert!(
        lock.contains("provider \"registry.terraform.io/halopsa/halopsa\"")
            && lock.contains(&format!("version     = \"{VERSION}\""))
            && lock.contains("\"h1:"),
        "unexpected lock file:\n{lock}"
    );
    let installed = wd.path.join(format!(
        ".terraform/providers/registry.terraform.io/halopsa/halopsa/{VERSION}/{}/terraform-provider-halopsa_v{VERSION}",
        platform()
    ));
    assert!(
        installed.is_file(),
        "no provider binary at {}",
        installed.display()
    );

    let plan = wd.run(
        &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
        &cli_env,
    );
    assert_eq!(plan.code, 2, "expected a plan with changes\n{plan}");
    assert!(
        plan.stdout
            .contains("halopsa_organisation.packaged will be created")
            && plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "unexpected plan\n{plan}"
    );
    // The installed binary manages real objects: apply creates the organisation in
    // Halo (the emulator), and the next plan is clean.
    let apply = wd.run(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &cli_env,
    );
    assert!(apply.success(), "terraform apply failed\n{apply}");
    assert_eq!(
        env.sim_objects_named(
            crate::support::Kind::Organisation,
            "Installed from the release zip"
        )
        .len(),
        1,
        "apply did not create the organisation; requests:\n{}",
        env.journal_summary()
    );
    let again = wd.run(
        &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
        &cli_env,
    );
    assert_eq!(again.code, 0, "expected a clean plan after apply\n{again}");

    // The version constraint is honoured: nothing in the mirror matches 0.2.
    let other = env.workdir();
    other.write_config_raw(&config("~> 0.2", &env.sim.url()));
    let init = other.run(&["init", "-input=false", "-no-color"], &cli_env);
    assert!(
        !init.success() && init.combined().contains("no available releases match"),
        "init must fail for a version the mirror does not hold\n{init}"
    );
}
