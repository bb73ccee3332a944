//! The release package, installed the way users install it: `scripts/release`
//! packages the provider binary built for these tests, the zip goes into a
//! filesystem mirror, and a real `terraform init` (no `dev_overrides`) installs it
//! for `source = "halopsa/halopsa"` with a version constraint; `terraform plan` and
//! `apply` then run the installed provider against halo-sim.
//!
//! The package itself is checked too: each zip holds one binary, named as Terraform
//! expects, of the right format for its platform (read from its magic bytes), the
//! SHA256SUMS file matches the files, and its detached GPG signature verifies with
//! the public key written beside it (and fails for altered sums). By default only
//! this machine's zip is built and checked, so CI stays quick; with
//! `HALOPSA_RELEASE_ALL=1` the test runs `scripts/release --all` and checks all five
//! platforms' zips (slow the first time: it cross builds four targets), or, with
//! `HALOPSA_RELEASE_DIST=DIR` as well, the five zips scripts/release wrote into DIR.

use std::ffi::OsStr;
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

/// Runs `scripts/release --binary <the test build> --out <dir>/dist` and returns
/// that directory.
fn package(dir: &Path) -> PathBuf {
    let bin = provider_bin();
    release(dir, &[OsStr::new("--binary"), bin.as_os_str()])
}

/// Runs `scripts/release ARGS --out <dir>/dist` and returns that directory.
fn release(dir: &Path, args: &[&OsStr]) -> PathBuf {
    let out = dir.join("dist");
    let result = Command::new("bash")
        .arg(repo().join("scripts/release"))
        .args(args)
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

const ALL_PLATFORMS: [&str; 5] = [
    "linux_amd64",
    "linux_arm64",
    "darwin_amd64",
    "darwin_arm64",
    "windows_amd64",
];

/// What the first bytes of an executable say it is: "ELF x86-64", "Mach-O arm64",
/// "PE32+ AMD64", ... or a description of what it is not.
fn binary_format(bytes: &[u8]) -> String {
    let u16le = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32le = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    if bytes.starts_with(b"\x7fELF") {
        // EI_CLASS 2 = 64-bit, EI_DATA 1 = little-endian; e_machine at 0x12.
        if bytes.get(4) != Some(&2) || bytes.get(5) != Some(&1) {
            return "ELF, not 64-bit little-endian".into();
        }
        return match u16le(0x12) {
            Some(0x3e) => "ELF x86-64".into(),
            Some(0xb7) => "ELF aarch64".into(),
            other => format!("ELF for machine {other:?}"),
        };
    }
    if bytes.starts_with(&[0xcf, 0xfa, 0xed, 0xfe]) {
        // MH_MAGIC_64, little-endian; cputype follows.
        return match u32le(4) {
            Some(0x0100_0007) => "Mach-O x86_64".into(),
            Some(0x0100_000c) => "Mach-O arm64".into(),
            other => format!("Mach-O for cputype {other:?}"),
        };
    }
    if bytes.starts_with(b"MZ") {
        // e_lfanew at 0x3c points at "PE\0\0", the COFF header (machine first)
        // and then the optional header, whose magic 0x20b means PE32+.
        let Some(pe) = u32le(0x3c).map(|v| v as usize) else {
            return "MZ without a PE header".into();
        };
        if bytes.get(pe..pe + 4) != Some(b"PE\0\0".as_slice()) {
            return "MZ without a PE signature".into();
        }
        let kind = match u16le(pe + 24) {
            Some(0x20b) => "PE32+",
            Some(0x10b) => "PE32",
            _ => "PE?",
        };
        return match u16le(pe + 4) {
            Some(0x8664) => format!("{kind} AMD64"),
            Some(0xaa64) => format!("{kind} ARM64"),
            other => format!("{kind} for machine {other:?}"),
        };
    }
    format!(
        "unknown format (first bytes {:02x?})",
        &bytes[..bytes.len().min(8)]
    )
}

/// The newest glibc symbol version (`GLIBC_2.N[.M]`) an ELF binary names, as (2, N);
/// None if it names none (a static binary, or not one linked against glibc).
fn newest_glibc_version(bytes: &[u8]) -> Option<(u32, u32)> {
    const TAG: &[u8] = b"GLIBC_";
    let mut newest = None;
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(TAG.len()).position(|w| w == TAG) {
        let start = at + found + TAG.len();
        let digits: Vec<u8> = bytes[start..]
            .iter()
            .copied()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .collect();
        let text = String::from_utf8_lossy(&digits);
        let mut parts = text.split('.').map(|p| p.parse::<u32>());
        if let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) {
            newest = newest.max(Some((major, minor)));
        }
        at = start;
    }
    newest
}

/// The oldest macOS a 64-bit little-endian Mach-O binary runs on, as (major, minor):
/// the `minos` of its LC_BUILD_VERSION load command, or the version of an older
/// LC_VERSION_MIN_MACOSX. None if it has neither.
fn macho_minimum_macos(bytes: &[u8]) -> Option<(u32, u32)> {
    const LC_VERSION_MIN_MACOSX: u32 = 0x24;
    const LC_BUILD_VERSION: u32 = 0x32;
    let u32le = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    // mach_header_64: magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags,
    // reserved; the load commands (cmd, cmdsize, ...) follow at 32.
    let ncmds = u32le(16)?;
    let mut at = 32usize;
    for _ in 0..ncmds {
        let (cmd, size) = (u32le(at)?, u32le(at + 4)? as usize);
        let version = match cmd {
            LC_BUILD_VERSION => u32le(at + 12),
            LC_VERSION_MIN_MACOSX => u32le(at + 8),
            _ => None,
        };
        if let Some(v) = version {
            // X.Y.Z as xxxx.yy.zz nibbles.
            return Some((v >> 16, (v >> 8) & 0xff));
        }
        if size == 0 {
            return None;
        }
        at += size;
    }
    None
}

/// Checks that a 64-bit little-endian Mach-O binary carries a code signature
/// (LC_CODE_SIGNATURE) whose SHA-256 CodeDirectory covers the file up to the
/// signature and whose page hashes match the bytes.
fn macho_code_signature_matches(bytes: &[u8]) -> Result<(), String> {
    const LC_CODE_SIGNATURE: u32 = 0x1d;
    const CODE_DIRECTORY: u32 = 0xfade_0c02;
    let le = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or_else(|| format!("truncated at {at}"))
    };
    // The signature blobs are big-endian.
    let be = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or_else(|| format!("truncated at {at}"))
    };
    let ncmds = le(16)?;
    let mut at = 32;
    let mut signature = None;
    for _ in 0..ncmds {
        if le(at)? == LC_CODE_SIGNATURE as usize {
            signature = Some(le(at + 8)?);
        }
        let size = le(at + 4)?;
        if size == 0 {
            return Err("a load command of size 0".into());
        }
        at += size;
    }
    let superblob = signature.ok_or("no LC_CODE_SIGNATURE load command")?;
    let count = be(superblob + 8)?;
    let directory = (0..count)
        .map(|i| be(superblob + 12 + 8 * i + 4).map(|offset| superblob + offset))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .find(|&blob| be(blob) == Ok(CODE_DIRECTORY as usize))
        .ok_or("no CodeDirectory in the signature")?;
    let hash_offset = be(directory + 16)?;
    let code_slots = be(directory + 28)?;
    let code_limit = be(directory + 32)?;
    let field = |at: usize| bytes.get(directory + at).copied().map(usize::from);
    let (hash_size, hash_type, page_shift) = (field(36), field(37), field(39));
    if hash_type != Some(2) || hash_size != Some(32) {
        return Err(format!(
            "CodeDirectory hash type {hash_type:?} of size {hash_size:?}, not SHA-256"
        ));
    }
    if code_limit != superblob {
        return Err(format!(
            "the signature covers {code_limit} bytes, the code ends at {superblob}"
        ));
    }
    let page = 1usize << page_shift.ok_or("truncated CodeDirectory")?;
    if code_slots != code_limit.div_ceil(page) {
        return Err(format!(
            "{code_slots} page hashes for {code_limit} bytes in pages of {page}"
        ));
    }
    let sha256 = rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256
        .tls13()
        .ok_or("no TLS 1.3 suite to hash with")?
        .common
        .hash_provider;
    for slot in 0..code_slots {
        let start = slot * page;
        let data = bytes
            .get(start..code_limit.min(start + page))
            .ok_or("a page beyond the file")?;
        let want = bytes
            .get(directory + hash_offset + 32 * slot..directory + hash_offset + 32 * (slot + 1))
            .ok_or("a page hash beyond the file")?;
        if sha256.hash(data).as_ref() != want {
            return Err(format!("the hash of page {slot} does not match"));
        }
    }
    Ok(())
}

fn expected_format(platform: &str) -> &'static str {
    match platform {
        "linux_amd64" => "ELF x86-64",
        "linux_arm64" => "ELF aarch64",
        "darwin_amd64" => "Mach-O x86_64",
        "darwin_arm64" => "Mach-O arm64",
        "windows_amd64" => "PE32+ AMD64",
        other => panic!("no expected binary format for platform {other}"),
    }
}

fn run_ok(cmd: &mut Command, what: &str) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({})\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn release_zips_hold_their_platforms_binary_and_the_sums_are_signed() {
    let all = std::env::var("HALOPSA_RELEASE_ALL").is_ok_and(|v| v == "1");
    let dir = tempfile::tempdir().expect("temporary directory");
    let (dist, platforms): (PathBuf, Vec<String>) = if all {
        // HALOPSA_RELEASE_DIST names a directory scripts/release already wrote (the
        // release workflow checks the dist/ it uploads); otherwise build it now.
        let dist = match std::env::var_os("HALOPSA_RELEASE_DIST") {
            Some(built) => repo().join(built),
            None => release(dir.path(), &[OsStr::new("--all")]),
        };
        (dist, ALL_PLATFORMS.iter().map(|p| p.to_string()).collect())
    } else {
        eprintln!(
            "checking this machine's zip only; HALOPSA_RELEASE_ALL=1 checks all five platforms"
        );
        (package(dir.path()), vec![platform()])
    };
    let prefix = format!("terraform-provider-halopsa_{VERSION}_");

    // The zips in dist/ are exactly the expected platforms'.
    let mut zips: Vec<String> = std::fs::read_dir(&dist)
        .expect("list dist")
        .map(|e| {
            e.expect("dist entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".zip"))
        .collect();
    zips.sort();
    let mut expected: Vec<String> = platforms
        .iter()
        .map(|p| format!("{prefix}{p}.zip"))
        .collect();
    expected.sort();
    assert_eq!(zips, expected, "the zips scripts/release wrote");

    for platform in &platforms {
        let zip = dist.join(format!("{prefix}{platform}.zip"));
        let exe = if platform.starts_with("windows_") {
            ".exe"
        } else {
            ""
        };
        let inner = format!("terraform-provider-halopsa_v{VERSION}{exe}");
        // One entry, the binary, executable for everyone.
        let listing = run_ok(Command::new("unzip").arg("-Z").arg(&zip), "unzip -Z");
        let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
        let entries: Vec<&str> = listing
            .lines()
            .filter(|l| l.starts_with('-') || l.starts_with('d'))
            .collect();
        assert_eq!(
            entries.len(),
            1,
            "{platform}: one entry expected\n{listing}"
        );
        assert!(
            entries[0].starts_with("-rwxr-xr-x") && entries[0].ends_with(&format!(" {inner}")),
            "{platform}: the entry must be {inner}, mode 0755\n{listing}"
        );
        let bytes = run_ok(
            Command::new("unzip").arg("-p").arg(&zip).arg(&inner),
            "unzip -p",
        )
        .stdout;
        assert_eq!(
            binary_format(&bytes),
            expected_format(platform),
            "{platform}: wrong binary format in {}",
            zip.display()
        );
        // The cross builds promise how old a system they run on (README): glibc 2.28
        // on Linux (cargo zigbuild's `.2.28` target suffix), and Rust's oldest macOS
        // (scripts/release sets MACOSX_DEPLOYMENT_TARGET; without it Zig's linker
        // stamps its own newest macOS). This machine's own build makes no such promise.
        if all {
            match platform.as_str() {
                "linux_amd64" | "linux_arm64" => {
                    let newest = newest_glibc_version(&bytes);
                    assert!(
                        newest.is_some_and(|v| v <= (2, 28)),
                        "{platform}: the binary needs glibc {newest:?}, newer than 2.28"
                    );
                }
                "darwin_amd64" | "darwin_arm64" => {
                    let oldest = if platform == "darwin_arm64" {
                        (11, 0)
                    } else {
                        (10, 12)
                    };
                    let minimum = macho_minimum_macos(&bytes);
                    assert!(
                        minimum.is_some_and(|v| v <= oldest),
                        "{platform}: the binary asks for macOS {minimum:?}, newer than {oldest:?}"
                    );
                    // macOS on Apple silicon kills an arm64 binary that is not signed,
                    // ad hoc at least (the linker does that; stripping after it would
                    // break the signature).
                    if platform == "darwin_arm64" {
                        if let Err(why) = macho_code_signature_matches(&bytes) {
                            panic!("{platform}: no valid code signature: {why}");
                        }
                        let mut altered = bytes.clone();
                        altered[5000] ^= 1;
                        assert!(
                            macho_code_signature_matches(&altered).is_err(),
                            "{platform}: the signature check accepts an altered binary"
                        );
                    }
                }
                _ => {}
            }
        }
    }

    // SHA256SUMS: the zips and the manifest, and nothing else, all matching.
    let sums_name = format!("{prefix}SHA256SUMS");
    let sums = std::fs::read_to_string(dist.join(&sums_name)).expect("read SHA256SUMS");
    let mut listed: Vec<&str> = sums
        .lines()
        .map(|l| l.split_once("  ").map_or(l, |(_, name)| name))
        .collect();
    listed.sort();
    let mut want: Vec<String> = expected.clone();
    want.push(format!("{prefix}manifest.json"));
    want.sort();
    assert_eq!(listed, want, "the files SHA256SUMS lists:\n{sums}");
    run_ok(
        Command::new("sha256sum")
            .args(["--check", "--strict", &sums_name])
            .current_dir(&dist),
        "sha256sum --check",
    );

    // The signature verifies with the public key beside it, in a keyring that holds
    // nothing else, and fails for sums that differ by one byte.
    if Command::new("gpg").arg("--version").output().is_err() {
        panic!(
            "gpg is not installed, though scripts/release installs it: cannot check the signature"
        );
    }
    let home = dir.path().join("gnupg");
    std::fs::create_dir(&home).expect("create GNUPGHOME");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700))
            .expect("chmod GNUPGHOME");
    }
    let gpg = || {
        let mut cmd = Command::new("gpg");
        cmd.arg("--batch").arg("--homedir").arg(&home);
        cmd
    };
    run_ok(
        gpg()
            .arg("--import")
            .arg(dist.join(format!("{prefix}signing_key.asc"))),
        "gpg --import",
    );
    let sig = dist.join(format!("{sums_name}.sig"));
    let verified = run_ok(
        gpg().arg("--verify").arg(&sig).arg(dist.join(&sums_name)),
        "gpg --verify",
    );
    assert!(
        String::from_utf8_lossy(&verified.stderr).contains("Good signature"),
        "gpg --verify did not report a good signature:\n{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let altered = dir.path().join("altered_SHA256SUMS");
    let mut bytes = sums.into_bytes();
    bytes[0] = if bytes[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(&altered, bytes).expect("write altered sums");
    let bad = gpg()
        .arg("--verify")
        .arg(&sig)
        .arg(&altered)
        .output()
        .expect("run gpg --verify");
    assert!(
        !bad.status.success(),
        "the signature must not verify altered sums:\n{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}
