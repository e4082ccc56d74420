//! The built Earshot.vst3 in a third-party VST3 host: pedalboard (JUCE), from the test venv:
//! audio through bit-exact (subnormals flushed), and the latency it reports with Align MIDI off,
//! on and off again.

use earshot_tests::latency::plugin_latency;
use earshot_tests::paths;
use std::path::Path;
use std::process::Command;

fn run_in_pedalboard(bundle: &Path) {
    let script = paths::workspace_root().join("tests/python/vst3_host.py");
    let latency = |rate: f64| plugin_latency(rate).to_string();
    let output = Command::new(paths::venv_python())
        .arg(script)
        .arg(bundle)
        .args([latency(44_100.0), latency(48_000.0)])
        .output()
        .expect("the venv's python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "pedalboard run of {} failed:\n{stdout}\n{stderr}",
        bundle.display()
    );
    assert!(stdout.contains("24 runs passed"), "{stdout}");
    println!("{stdout}");
}

#[test]
fn pedalboard_passes_audio_through_the_release_bundle_and_sees_its_latency() {
    run_in_pedalboard(&paths::bundled_vst3());
}

/// The debug bundle aborts on any allocation in `process()`: this covers the VST3 wrapper's
/// audio path as the CLAP tests cover the CLAP one.
#[test]
fn pedalboard_runs_the_debug_bundle_without_allocating() {
    run_in_pedalboard(&paths::debug_bundle("Earshot.vst3"));
}
