//! The `earshot` command stays free of the training stack: no burn, rustysynth or plotters (nor
//! the trainer) anywhere in its dependency tree, as `cargo tree` lists it.

use std::process::Command;

#[test]
fn the_command_line_tool_does_not_pull_in_the_training_stack() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-p", "earshot-cli", "-e", "normal,build", "--prefix", "none"])
        .current_dir(&workspace)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo tree failed: {stderr}");
    let tree = String::from_utf8_lossy(&output.stdout);
    let mut packages: Vec<&str> =
        tree.lines().filter_map(|line| line.split_whitespace().next()).collect();
    packages.sort();
    packages.dedup();
    assert!(packages.contains(&"earshot-engine"), "{tree}");
    for forbidden in ["burn", "rustysynth", "plotters", "earshot-trainer"] {
        let found: Vec<&&str> = packages.iter().filter(|p| p.starts_with(forbidden)).collect();
        assert!(found.is_empty(), "`earshot` depends on {found:?}");
    }
    println!("`earshot` depends on {} packages", packages.len());
}
