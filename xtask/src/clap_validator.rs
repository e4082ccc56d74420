//! clap-validator, the CLAP project's validator, for the test suite: the one `CLAP_VALIDATOR`
//! names, or one built from `../shared/tools/clap-validator` (next to the workspace on the
//! project's machines; not on crates.io) into `<target>/clap-validator/`. Without either, the
//! suite runs without it and says so.

use crate::process::{self, cargo};
use crate::Result;
use std::path::PathBuf;

/// The environment variable that names a built validator, read by the tests too.
pub const VARIABLE: &str = "CLAP_VALIDATOR";

/// The validator to run, built if need be, or `None` (with the reason printed) when there is
/// none.
pub fn locate() -> Result<Option<PathBuf>> {
    if let Some(path) = std::env::var_os(VARIABLE).map(PathBuf::from) {
        return if path.is_file() {
            Ok(Some(path))
        } else {
            Err(format!("{VARIABLE} names {}, which is not a file", path.display()))
        };
    }
    let source = crate::workspace_root().join("../shared/tools/clap-validator");
    if !source.join("Cargo.toml").is_file() {
        eprintln!(
            "xtask: clap-validator is not available ({VARIABLE} is unset and {} is missing): \
             the suite runs without it, and its two tests say they did not run",
            source.display()
        );
        return Ok(None);
    }
    // Built where it lies (`--locked` writes nothing there) into a target folder of its own.
    let target = crate::target_dir().join("clap-validator");
    process::run(
        cargo()
            .args(["build", "--release", "--locked", "--manifest-path"])
            .arg(source.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target),
    )?;
    let binary =
        target.join("release").join(format!("clap-validator{}", std::env::consts::EXE_SUFFIX));
    Ok(Some(binary))
}
