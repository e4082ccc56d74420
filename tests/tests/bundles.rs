//! What `cargo xtask bundle earshot --release` leaves for a user to install.

use earshot_tests::paths;

#[test]
fn the_bundle_folder_holds_the_two_plugins_and_nothing_else() {
    let folder = paths::bundled_clap().parent().unwrap().to_path_buf();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Earshot.clap", "Earshot.vst3"], "in {}", folder.display());
}

/// Both plug-ins are linked never to be unloaded (`-z nodelete`, see `plugin/build.rs`): a host
/// that unloads one and then ends a thread that had called into it would otherwise crash (seen
/// with several instances loaded and dropped across test threads in one process).
#[cfg(target_os = "linux")]
#[test]
fn the_plugins_stay_loaded_once_a_host_has_loaded_them() {
    let vst3 = paths::bundled_vst3().join("Contents/x86_64-linux/Earshot.so");
    for library in [paths::bundled_clap(), vst3] {
        let output = std::process::Command::new("readelf")
            .arg("--dynamic")
            .arg(&library)
            .output()
            .expect("readelf (binutils, which Rust's linker needs) runs");
        let dynamic = String::from_utf8_lossy(&output.stdout);
        let flags = dynamic.lines().find(|line| line.contains("(FLAGS_1)")).unwrap_or_default();
        assert!(flags.contains("NODELETE"), "{}: {flags:?}", library.display());
    }
}
