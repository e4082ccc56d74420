//! Proof that the allocation guard is armed: a debug build whose `process()` allocates on
//! purpose (feature `alloc-canary`) must abort inside the host, naming the allocation.

use earshot_tests::paths;
use std::process::Command;

#[test]
fn an_allocation_in_process_aborts_the_debug_build() {
    let output = Command::new(env!("CARGO_BIN_EXE_clap-stress"))
        .arg(paths::canary_library())
        .args(["48000", "10"])
        .output()
        .expect("clap-stress runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the canary build was not stopped; stderr:\n{stderr}");
    assert!(stderr.contains("Memory allocation of"), "no allocation report in:\n{stderr}");
    assert!(
        stderr.contains("<earshot_plugin::Earshot as nice_plug_core::plugin::Plugin>::process"),
        "the report should point into Earshot's process():\n{stderr}"
    );
}

#[test]
fn the_same_run_passes_on_the_normal_debug_build() {
    let output = Command::new(env!("CARGO_BIN_EXE_clap-stress"))
        .arg(paths::debug_bundle("Earshot.clap"))
        .args(["48000", "10"])
        .output()
        .expect("clap-stress runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
