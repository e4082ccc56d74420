//! `cargo xtask`: the project's chores. Run `cargo xtask help` for the list.

mod clap_validator;
mod install;
mod process;
mod python;
mod setup;
mod test;

use std::path::PathBuf;

const USAGE: &str = "\
Usage: cargo xtask <command>

  bundle earshot [--release]   Build target/bundled/Earshot.clap and Earshot.vst3
  install                      Bundle (release) and copy both into your plug-in folders
  setup                        Install what the tests need (system packages, a Python venv)
  test                         setup, bundle, and run every test of the workspace
  screenshot [PNG] [WAV]       Open the editor under Xvfb and save a screenshot
                               (default: docs/editor.png), the inputs playing the
                               WAV file on a loop (default: a sine and clicks)
";

/// The plug-in's package; `cargo xtask bundle earshot` means it.
pub const PLUGIN_PACKAGE: &str = "earshot-plugin";

/// The result type of every chore: errors are printed by `main`.
pub type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let result = match command.as_str() {
        "bundle" => install::bundle_with(rest),
        "bundle-universal" | "known-packages" => {
            nice_plug_xtask::main_with_args("cargo xtask", std::iter::once(command).chain(rest))
                .map_err(|error| format!("{error:#}"))
        }
        "install" => install::run(),
        "setup" => setup::run(),
        "test" => test::run(&rest),
        "screenshot" => {
            test::screenshot(rest.first().map(PathBuf::from), rest.get(1).map(PathBuf::from))
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command '{other}'\n\n{USAGE}")),
    };
    if let Err(message) = result {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| if dir.is_absolute() { dir } else { workspace_root().join(dir) })
        .unwrap_or_else(|| workspace_root().join("target"))
}
