//! The built Earshot.vst3 in a third-party VST3 host: pedalboard (JUCE), from the test venv.

use earshot_tests::paths;
use std::process::Command;

#[test]
fn pedalboard_passes_audio_through_bit_exact() {
    let script = paths::workspace_root().join("tests/python/vst3_host.py");
    let output = Command::new(paths::venv_python())
        .arg(script)
        .arg(paths::bundled_vst3())
        .output()
        .expect("the venv's python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "pedalboard run failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("8 runs passed"), "{stdout}");
    println!("{stdout}");
}
