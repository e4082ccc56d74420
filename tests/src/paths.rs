//! Where the artefacts built by `cargo xtask test` are.

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target folder: the ancestor of this executable (a test or a helper binary, which
/// Cargo builds inside it) that holds Cargo's `CACHEDIR.TAG`.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the running executable has a path");
    exe.ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Returns the path if it exists, else panics with how to build it.
fn built(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "{} is missing: run the suite with `cargo xtask test`, which builds it first",
        path.display()
    );
    path
}

/// The bundled CLAP plugin (`cargo xtask bundle earshot --release`).
pub fn bundled_clap() -> PathBuf {
    built(target_dir().join("bundled").join("Earshot.clap"))
}

/// The bundled VST3 plugin.
pub fn bundled_vst3() -> PathBuf {
    built(target_dir().join("bundled").join("Earshot.vst3"))
}

/// The debug bundles, whose `process()` aborts on any allocation: `Earshot.clap` or
/// `Earshot.vst3`.
pub fn debug_bundle(name: &str) -> PathBuf {
    built(target_dir().join("bundled-debug").join(name))
}

/// A debug build with the `alloc-canary` feature: its `process()` allocates on purpose.
pub fn canary_library() -> PathBuf {
    built(target_dir().join("alloc-canary").join(library_file("earshot_plugin")))
}

/// The standalone build (`earshot-standalone`, debug).
pub fn standalone() -> PathBuf {
    built(target_dir().join("debug").join("earshot-standalone"))
}

/// The Python of the test venv that `cargo xtask setup` makes.
pub fn venv_python() -> PathBuf {
    built(target_dir().join("venv").join("bin").join("python"))
}

fn library_file(crate_name: &str) -> String {
    format!("{}{crate_name}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}
