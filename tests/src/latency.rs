//! The latency the plug-in reports with Align MIDI on: its engine's, with the tasks it shows.

use earshot_engine::{Engine, TaskKind};

/// The tasks the plug-in runs (`earshot_plugin::tasks::SHOWN`; the plug-in crate is not linked
/// into these tests, which load its bundles).
const SHOWN: &[TaskKind] = &[TaskKind::Onsets, TaskKind::Chords, TaskKind::Key];

/// The plug-in's latency at `rate` Hz, in samples.
pub fn plugin_latency(rate: f64) -> usize {
    Engine::with_default_weights(rate, SHOWN).expect("the shipped weights load").latency_samples()
}
