//! `cargo xtask install`: bundle a release build and copy it into the user's plug-in folders.

use crate::Result;
use std::fs;
use std::path::{Path, PathBuf};

/// Bundles `earshot` in release mode and installs `Earshot.clap` and `Earshot.vst3`.
pub fn run() -> Result {
    bundle_release()?;
    let bundled = crate::target_dir().join("bundled");
    let (clap_dir, vst3_dir) = plugin_folders()?;
    for (bundle, folder) in [("Earshot.clap", clap_dir), ("Earshot.vst3", vst3_dir)] {
        let source = bundled.join(bundle);
        let destination = folder.join(bundle);
        fs::create_dir_all(&folder)
            .map_err(|error| format!("could not create {}: {error}", folder.display()))?;
        replace(&source, &destination)
            .map_err(|error| format!("could not install {}: {error}", destination.display()))?;
        println!("installed {}", destination.display());
    }
    Ok(())
}

/// Builds the release bundles with nice-plug's bundler.
pub fn bundle_release() -> Result {
    let args = ["bundle", "earshot", "--release"].map(String::from);
    nice_plug_xtask::main_with_args("cargo xtask", args).map_err(|error| format!("{error:#}"))
}

/// The per-user CLAP and VST3 folders of this operating system.
fn plugin_folders() -> Result<(PathBuf, PathBuf)> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .ok_or(format!("${name} is not set, so the plug-in folder is unknown"))
    };
    if cfg!(target_os = "windows") {
        let common = var("LOCALAPPDATA")?.join("Programs").join("Common");
        Ok((common.join("CLAP"), common.join("VST3")))
    } else if cfg!(target_os = "macos") {
        let plugins = var("HOME")?.join("Library/Audio/Plug-Ins");
        Ok((plugins.join("CLAP"), plugins.join("VST3")))
    } else {
        let home = var("HOME")?;
        Ok((home.join(".clap"), home.join(".vst3")))
    }
}

/// Copies a file or a bundle folder over whatever is at `destination`.
fn replace(source: &Path, destination: &Path) -> std::io::Result<()> {
    if destination.is_dir() {
        fs::remove_dir_all(destination)?;
    } else if destination.exists() {
        fs::remove_file(destination)?;
    }
    copy_recursively(source, destination)
}

fn copy_recursively(source: &Path, destination: &Path) -> std::io::Result<()> {
    if source.is_dir() {
        fs::create_dir_all(destination)?;
        for entry in fs::read_dir(source)? {
            let entry = entry?;
            copy_recursively(&entry.path(), &destination.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        fs::copy(source, destination).map(|_| ())
    }
}
