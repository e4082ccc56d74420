//! `cargo xtask install`: bundle a release build and copy it into the user's plug-in folders.

use crate::Result;
use std::fs;
use std::path::{Path, PathBuf};

/// Bundles the plug-in in release mode and installs `Earshot.clap` and `Earshot.vst3`.
pub fn run() -> Result {
    bundle(true)?;
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

/// Builds the bundles (release or debug) into `<target>/bundled/` with nice-plug's bundler.
pub fn bundle(release: bool) -> Result {
    let mut args = vec![crate::PLUGIN_PACKAGE.to_owned()];
    if release {
        args.push("--release".to_owned());
    }
    bundle_with(args)
}

/// `cargo xtask bundle ARGS…`: nice-plug's bundler, where `earshot` names the plug-in's package
/// (`earshot-plugin`; the bundles are still `Earshot.clap` and `Earshot.vst3`).
pub fn bundle_with(args: Vec<String>) -> Result {
    let args = std::iter::once("bundle".to_owned()).chain(args.into_iter().map(|arg| {
        if arg == "earshot" {
            crate::PLUGIN_PACKAGE.to_owned()
        } else {
            arg
        }
    }));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("earshot-xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replace_installs_a_bundle_folder_over_an_older_one() {
        let dir = scratch("bundle");
        let source = dir.join("new/Earshot.vst3/Contents/x86_64-linux");
        fs::create_dir_all(&source).unwrap();
        fs::write(source.join("Earshot.so"), b"new").unwrap();
        let old = dir.join("installed/Earshot.vst3/Contents/x86_64-linux");
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("Earshot.so"), b"old").unwrap();
        fs::write(old.join("stale.so"), b"stale").unwrap();

        replace(&dir.join("new/Earshot.vst3"), &dir.join("installed/Earshot.vst3")).unwrap();
        assert_eq!(fs::read(old.join("Earshot.so")).unwrap(), b"new");
        assert!(!old.join("stale.so").exists(), "files of the old bundle must go");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn replace_installs_a_single_file_plugin() {
        let dir = scratch("file");
        fs::write(dir.join("Earshot.clap"), b"new").unwrap();
        fs::create_dir_all(dir.join("installed")).unwrap();
        fs::write(dir.join("installed/Earshot.clap"), b"old").unwrap();
        replace(&dir.join("Earshot.clap"), &dir.join("installed/Earshot.clap")).unwrap();
        assert_eq!(fs::read(dir.join("installed/Earshot.clap")).unwrap(), b"new");
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_plugin_folders_are_in_home() {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap();
        assert_eq!(plugin_folders().unwrap(), (home.join(".clap"), home.join(".vst3")));
    }
}
