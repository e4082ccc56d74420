//! `cargo xtask test` (set up, build every artefact the tests load, run every test: Rust's with
//! nextest, then the Python package's with pytest) and `cargo xtask screenshot`.

use crate::process::{self, cargo};
use crate::{clap_validator, install, python, setup, Result};
use std::fs;
use std::path::PathBuf;

/// Runs the whole suite. Extra arguments go to `cargo nextest run`.
pub fn run(nextest_args: &[String]) -> Result {
    setup::run()?;
    let validator = clap_validator::locate()?;
    build_standalone()?;
    build_alloc_canary()?;
    bundle_debug()?;
    install::bundle(true)?;
    let mut nextest = cargo();
    nextest.args(["nextest", "run", "--workspace", "--no-fail-fast"]).args(nextest_args);
    if let Some(validator) = &validator {
        nextest.env(clap_validator::VARIABLE, validator);
    }
    process::run(&mut nextest)?;
    python::test()?;
    if validator.is_none() {
        eprintln!("xtask: the suite ran without clap-validator (see above)");
    }
    Ok(())
}

/// Saves a PNG of the editor (default `docs/editor.png`), its inputs fed the JACK test signal
/// or `audio` (a WAV file) on a loop.
pub fn screenshot(out: Option<PathBuf>, audio: Option<PathBuf>) -> Result {
    setup::run()?;
    build_standalone()?;
    let out = out.unwrap_or_else(|| crate::workspace_root().join("docs").join("editor.png"));
    if let Some(folder) = out.parent() {
        fs::create_dir_all(folder)
            .map_err(|e| format!("could not create {}: {e}", folder.display()))?;
    }
    process::run(
        cargo()
            .args(["run", "--quiet", "-p", "earshot-tests", "--bin", "editor-screenshot", "--"])
            .arg(&out)
            .args(audio),
    )
}

/// Bundles the debug build, whose `process()` aborts on any allocation, into
/// `<target>/bundled-debug/` (the release bundles then take `<target>/bundled/`).
fn bundle_debug() -> Result {
    install::bundle(false)?;
    let target = crate::target_dir();
    let debug_bundles = target.join("bundled-debug");
    if debug_bundles.exists() {
        fs::remove_dir_all(&debug_bundles)
            .map_err(|e| format!("could not clear {}: {e}", debug_bundles.display()))?;
    }
    fs::rename(target.join("bundled"), &debug_bundles).map_err(|e| {
        format!("could not move the debug bundles to {}: {e}", debug_bundles.display())
    })
}

fn build_standalone() -> Result {
    process::run(cargo().args([
        "build",
        "-p",
        crate::PLUGIN_PACKAGE,
        "--features",
        "standalone",
        "--bin",
        "earshot-standalone",
    ]))
}

/// Builds the plug-in with the `alloc-canary` feature into `<target>/alloc-canary/`.
fn build_alloc_canary() -> Result {
    process::run(cargo().args([
        "build",
        "-p",
        crate::PLUGIN_PACKAGE,
        "--lib",
        "--features",
        "alloc-canary",
    ]))?;
    let library = crate::PLUGIN_PACKAGE.replace('-', "_");
    let name = format!("{}{library}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    let target = crate::target_dir();
    let folder = target.join("alloc-canary");
    fs::create_dir_all(&folder)
        .map_err(|e| format!("could not create {}: {e}", folder.display()))?;
    fs::copy(target.join("debug").join(&name), folder.join(&name))
        .map(|_| ())
        .map_err(|e| format!("could not copy the alloc-canary library: {e}"))
}
