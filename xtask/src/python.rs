//! The `earshot` Python package in the suite: its wheel built with maturin (debug, like the
//! rest of the suite) and installed into the test venv, then its pytest tests, which compare it
//! with the `earshot` command built from the same sources.

use crate::process::{self, cargo};
use crate::{setup, Result};
use std::fs;
use std::path::PathBuf;
use std::process::Command;

/// Builds and installs the wheel, then runs `python/tests`.
pub fn test() -> Result {
    process::run(cargo().args(["build", "-p", "earshot-cli", "--bin", "earshot"]))?;
    let bin = setup::venv_dir().join("bin");
    let wheels = crate::target_dir().join("wheels");
    if wheels.exists() {
        fs::remove_dir_all(&wheels)
            .map_err(|e| format!("could not clear {}: {e}", wheels.display()))?;
    }
    process::run(
        Command::new(bin.join("maturin"))
            .args(["build", "--manifest-path", "python/Cargo.toml", "--out"])
            .arg(&wheels),
    )?;
    let wheel = only_wheel(&wheels)?;
    process::run(
        Command::new(bin.join("python"))
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .args(["--force-reinstall", "--no-deps"])
            .arg(wheel),
    )?;
    process::run(
        Command::new(bin.join("python"))
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "python/tests"])
            .env("EARSHOT_CLI", crate::target_dir().join("debug").join("earshot")),
    )
}

fn only_wheel(folder: &std::path::Path) -> Result<PathBuf> {
    let wheels: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(|e| format!("{}: {e}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "whl"))
        .collect();
    match &wheels[..] {
        [wheel] => Ok(wheel.clone()),
        _ => Err(format!("expected one wheel in {}, found {wheels:?}", folder.display())),
    }
}
