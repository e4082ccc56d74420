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
