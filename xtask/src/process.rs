//! Running other programs, with the command shown before it runs.

use crate::Result;
use std::process::Command;

/// Runs a command in the workspace root, printing it first; fails unless it exits with 0.
pub fn run(command: &mut Command) -> Result {
    command.current_dir(crate::workspace_root());
    eprintln!("xtask: running {}", describe(command));
    let status = command
        .status()
        .map_err(|error| format!("could not start {}: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Whether a command runs and exits with 0, without printing anything.
pub fn succeeds(command: &mut Command) -> bool {
    command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The `cargo` that runs this xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}
