//! `cargo xtask setup`: everything the test suite needs beyond Rust, installed by the project.
//!
//! The plug-in bundles need no system packages. The tests also build the standalone (ALSA and
//! JACK headers), open the editor on a virtual display (Xvfb, Mesa, ImageMagick's `import`) fed
//! by a JACK test signal (jackd2), and run the VST3 bundle in a third-party host (pedalboard,
//! from PyPI, in a venv under `target/`) and in a real DAW (Debian's Ardour 7, headless).
//! Each requirement is detected by what it provides, so a machine that has it another way
//! (a Python from pyenv, say) is left alone.

use crate::process::{self, succeeds};
use crate::Result;
use std::path::PathBuf;
use std::process::Command;

/// A capability the tests need and the Debian packages that provide it.
struct Requirement {
    what: &'static str,
    present: fn() -> bool,
    packages: &'static [&'static str],
}

const REQUIREMENTS: &[Requirement] = &[
    Requirement {
        what: "pkg-config",
        present: || on_path("pkg-config"),
        packages: &["pkg-config"],
    },
    Requirement {
        what: "ALSA headers (standalone)",
        present: || succeeds(Command::new("pkg-config").args(["--exists", "alsa"])),
        packages: &["libasound2-dev"],
    },
    Requirement {
        what: "JACK headers (standalone)",
        present: || succeeds(Command::new("pkg-config").args(["--exists", "jack"])),
        packages: &["libjack-jackd2-dev"],
    },
    Requirement {
        what: "X11 and OpenGL libraries (editor)",
        present: || {
            ["libX11.so.6", "libX11-xcb.so.1", "libxcb.so.1", "libGL.so.1"]
                .iter()
                .all(|library| shared_library_installed(library))
        },
        packages: &[
            "libx11-6",
            "libx11-xcb1",
            "libxcb1",
            "libgl1",
            "libglx-mesa0",
            "libgl1-mesa-dri",
        ],
    },
    Requirement {
        what: "Xvfb (virtual display for editor tests)",
        present: || on_path("Xvfb"),
        packages: &["xvfb"],
    },
    Requirement {
        what: "ImageMagick's import (screenshots)",
        present: || {
            Command::new("import")
                .arg("-version")
                .output()
                .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("ImageMagick"))
        },
        packages: &["imagemagick"],
    },
    Requirement {
        what: "JACK server and example clients (test signal for the editor)",
        present: || on_path("jackd") && on_path("jack_metro") && on_path("jack_simple_client"),
        packages: &["jackd2"],
    },
    Requirement {
        what: "sndfile-jackplay (music for editor screenshots)",
        present: || on_path("sndfile-jackplay"),
        packages: &["sndfile-tools"],
    },
    Requirement {
        what: "Python 3 with venv",
        present: || succeeds(Command::new("python3").args(["-c", "import venv, ensurepip"])),
        packages: &["python3", "python3-venv"],
    },
    Requirement {
        what: "General-MIDI SoundFonts (rendering training audio)",
        present: || {
            ["FluidR3_GM.sf2", "TimGM6mb.sf2"]
                .iter()
                .all(|f| std::path::Path::new("/usr/share/sounds/sf2").join(f).is_file())
        },
        packages: &["fluid-soundfont-gm", "timgm6mb-soundfont"],
    },
    Requirement {
        what: "festival's singing voices (sung melodies in training audio)",
        present: || {
            on_path("festival")
                && ["kal_diphone", "ked_diphone"].iter().all(|v| {
                    std::path::Path::new("/usr/share/festival/voices/english").join(v).is_dir()
                })
        },
        packages: &["festival", "festvox-kallpc16k", "festvox-kdlpc16k"],
    },
    Requirement {
        what: "Ardour 7, run headless (the DAW test)",
        present: || {
            on_path("ardour7-lua")
                && std::path::Path::new("/usr/lib/ardour7/ardour-vst3-scanner").is_file()
        },
        packages: &["ardour"],
    },
];

/// Python packages of the test hosts, pinned.
const PYTHON_REQUIREMENTS: &str = "tests/python/requirements.txt";

/// Installs missing system packages, then creates or updates the test venv.
pub fn run() -> Result {
    install_system_packages()?;
    python_venv()
}

fn install_system_packages() -> Result {
    let missing: Vec<&Requirement> = REQUIREMENTS.iter().filter(|r| !(r.present)()).collect();
    if missing.is_empty() {
        eprintln!("xtask: system requirements are present");
        return Ok(());
    }
    let packages: Vec<&str> = missing.iter().flat_map(|r| r.packages.iter().copied()).collect();
    for requirement in &missing {
        eprintln!("xtask: missing {}", requirement.what);
    }
    let install = format!("apt-get install -y --no-install-recommends {}", packages.join(" "));
    let Some(prefix) = privilege_prefix() else {
        return Err(format!(
            "missing system packages, and this is neither root nor password-less sudo. Run:\n  \
             sudo apt-get update && sudo {install}"
        ));
    };
    if !on_path("apt-get") {
        return Err(format!(
            "missing system packages and no apt-get here; install the equivalent of: {}",
            packages.join(" ")
        ));
    }
    eprintln!("xtask: installing {}", packages.join(" "));
    let apt = |args: &str| {
        let mut words: Vec<&str> = prefix.to_vec();
        words.extend(args.split_whitespace());
        let mut command = Command::new(words[0]);
        command.args(&words[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        process::run(&mut command)
    };
    apt("apt-get update -q")?;
    apt(&install)?;
    match REQUIREMENTS.iter().find(|r| !(r.present)()) {
        Some(still_missing) => {
            Err(format!("{} is still missing after apt-get", still_missing.what))
        }
        None => Ok(()),
    }
}

/// The venv the tests use to run Python hosts: `<target>/venv`.
pub fn venv_dir() -> PathBuf {
    crate::target_dir().join("venv")
}

fn python_venv() -> Result {
    let venv = venv_dir();
    let python = venv.join("bin").join("python");
    if !python.exists() {
        process::run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    process::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(crate::workspace_root().join(PYTHON_REQUIREMENTS)),
    )
}

/// `[]` as root, `["sudo", "-n"]` with password-less sudo, else `None`.
fn privilege_prefix() -> Option<&'static [&'static str]> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        Some(&[])
    } else if succeeds(Command::new("sudo").args(["-n", "true"])) {
        Some(&["sudo", "-n"])
    } else {
        None
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn shared_library_installed(name: &str) -> bool {
    ["/sbin/ldconfig", "ldconfig"].iter().any(|ldconfig| {
        Command::new(ldconfig)
            .arg("-p")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(name))
    })
}
