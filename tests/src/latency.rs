//! The latency the plug-in reports with Align MIDI on: its engine's, with every task.

use earshot_engine::{Engine, TaskKind};

/// The plug-in's latency at `rate` Hz, in samples.
pub fn plugin_latency(rate: f64) -> usize {
    let tasks: Vec<TaskKind> = TaskKind::all().collect();
    Engine::with_default_weights(rate, &tasks).expect("the shipped weights load").latency_samples()
}
