//! `scripts/ensemble_onsets.py`, the Python copy of the plug-in's peak picking used to study
//! several weights' mean activation, picks exactly what the engine picks: run on the engine's
//! activations of a clip of tones (the test venv's Python), at three sensitivities.

use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_test_signals::add_decaying_tone;
use earshot_tests::paths;
use earshot_tests::signals::decaying_tones;
use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::process::Command;

const RATE: f64 = 44_100.0;

#[test]
fn the_script_picks_the_onsets_the_engine_picks() {
    let (mut signal, _) = decaying_tones(11, RATE, 20.0);
    // Loud pairs 40 ms apart, just over the 30 ms the picker keeps between onsets.
    for first in [4.0, 8.0, 12.0, 16.0] {
        for (start, pitch) in [(first, 1_000.0), (first + 0.04, 1_500.0)] {
            let at = (start * RATE) as usize;
            add_decaying_tone(&mut signal[at..at + 22_050], RATE, pitch, 0.8, 0.1);
        }
    }
    // Quiet noise between the tones, so that the activation has small peaks to refuse too.
    let mut rng = SmallRng::seed_from_u64(5);
    for sample in &mut signal {
        *sample += rng.random_range(-0.005..0.005);
    }
    let audio = [signal];
    let folder = std::env::temp_dir().join(format!("earshot-picker-{}", std::process::id()));
    let (activations, picked) = (folder.join("activations"), folder.join("picked"));
    std::fs::create_dir_all(&activations).unwrap();
    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Onsets]).unwrap();
    // As `earshot analyze --format activations` writes them.
    let lines: String = offline::events(&mut engine, &audio)
        .iter()
        .filter_map(|event| match event {
            Event::Activation { time, value, .. } => Some(format!("{:.3} {value}\n", time.seconds)),
            _ => None,
        })
        .collect();
    std::fs::write(activations.join("clip.onsets.activations.txt"), lines).unwrap();
    for sensitivity in [0.2f32, 0.5, 0.8] {
        engine.set(TaskKind::Onsets, "sensitivity", sensitivity).unwrap();
        let engine: String = offline::events(&mut engine, &audio)
            .iter()
            .filter_map(|event| match event {
                Event::Onset { time, .. } => Some(format!("{:.3}\n", time.seconds)),
                _ => None,
            })
            .collect();
        let output = Command::new(paths::venv_python())
            .arg(paths::workspace_root().join("scripts/ensemble_onsets.py"))
            .args([&picked, &activations])
            .args(["--sensitivity", &sensitivity.to_string()])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let script = std::fs::read_to_string(picked.join("clip.onsets.txt")).unwrap();
        assert!(engine.lines().count() >= 20, "too few onsets to compare: {engine}");
        assert_eq!(script, engine, "at sensitivity {sensitivity}");
    }
    std::fs::remove_dir_all(&folder).unwrap();
}
