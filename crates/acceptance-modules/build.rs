//! Writes `modules.rs` into `OUT_DIR`: the `modules!` macro, which declares one
//! module per `tests/acceptance/*.rs` of the root crate but `main.rs` (the
//! binary itself). Directories (`support/`) are not modules of their own: the
//! binary declares `mod support;` by hand.
//!
//! Cargo reruns this when anything under tests/acceptance changes; only this
//! small crate and the crates that depend on it (the root crate's test
//! targets, as a dev-dependency) are rebuilt then, not the provider itself,
//! which a build script of the root crate would recompile every time.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no CARGO_MANIFEST_DIR")?);
    let dir = manifest.join("../../tests/acceptance").canonicalize()?;
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    std::fs::write(out.join("modules.rs"), macro_text(&dir)?)?;
    Ok(())
}

/// The module names: the stems of the `.rs` files directly in `dir`, sorted.
fn module_names(dir: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.is_file() || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{} is not a UTF-8 file name", path.display()))?;
        if stem == "main" {
            continue;
        }
        if !is_identifier(stem) {
            return Err(format!(
                "{} cannot be a module: name it like `a_module.rs`",
                path.display()
            )
            .into());
        }
        names.push(stem.to_owned());
    }
    names.sort();
    Ok(names)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn macro_text(dir: &Path) -> Result<String, Box<dyn Error>> {
    let mut text = String::from(
        "/// Declares the acceptance-test modules: one `mod` per file of\n\
         /// tests/acceptance but `main.rs`, found when this crate was built.\n\
         #[macro_export]\n\
         macro_rules! modules {\n    () => {\n",
    );
    for name in module_names(dir)? {
        let path = dir.join(format!("{name}.rs"));
        let path = path
            .to_str()
            .ok_or_else(|| format!("{} is not a UTF-8 path", path.display()))?;
        writeln!(text, "        #[path = {path:?}]\n        mod {name};")?;
    }
    text.push_str("    };\n}\n");
    Ok(text)
}
