//! The onset task: analysis-rate samples → the weights' own features → the onset network → the
//! online peak picker → onsets. Everything is sized when it is built; `push` never allocates,
//! locks or panics.

pub mod peak_picker;

use super::framed_network::FramedNetwork;
use super::{TaskEntry, TaskKind};
use crate::event::{Clock, Event};
use crate::task::{LiveTask, SettingSpec};
use earshot_dsp::InputStage;
use peak_picker::PeakPicker;

/// The onset weights Earshot ships (trained by `earshot-train train --task onsets`; the command
/// is in the file's metadata).
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("weights.esw");

/// Shortest interval between two onsets, in frames (30 ms at 100 frames per second).
pub const MIN_GAP_FRAMES: u64 = 3;

/// How readily an onset is reported (see [`PeakPicker::set_sensitivity`]).
pub const SENSITIVITY: SettingSpec = SettingSpec {
    name: "sensitivity",
    help: "how readily an onset is reported, 0–1 (activation threshold 0.9 − 0.8 × this)",
    min: 0.0,
    max: 1.0,
    default: 0.5,
};

/// The index of [`SENSITIVITY`] among the task's settings.
pub const SENSITIVITY_SETTING: usize = 0;

pub const ENTRY: TaskEntry = TaskEntry {
    kind: TaskKind::Onsets,
    name: "onsets",
    summary: "note onsets: a causal CNN over log-frequency frames, picked online",
    default_weights: DEFAULT_WEIGHTS,
    settings: &[SENSITIVITY],
    activations: true,
    build: |weights| Ok(Box::new(OnsetTask::new(weights)?)),
};

/// The live onset detector.
pub struct OnsetTask {
    network: FramedNetwork,
    picker: PeakPicker,
    /// Whether an onset was reported at the start for a peak before it; a further peak within
    /// the minimum interval of the start is the same sound.
    reported_at_start: bool,
}

impl OnsetTask {
    /// The task running the weights in `bytes` (an onset network with one output).
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        Ok(OnsetTask {
            network: FramedNetwork::new(bytes, "onsets", 1)?,
            picker: PeakPicker::new(SENSITIVITY.default, MIN_GAP_FRAMES),
            reported_at_start: false,
        })
    }

    /// Frames the network's output lags the audio it describes (the weights' look-ahead).
    pub fn look_ahead_frames(&self) -> u64 {
        self.network.look_ahead_frames()
    }
}

impl LiveTask for OnsetTask {
    fn kind(&self) -> TaskKind {
        TaskKind::Onsets
    }

    fn analysis_rate(&self) -> u32 {
        self.network.analysis_rate()
    }

    /// The input stage's delay to the newest frame's centre, the network's look-ahead, the
    /// picker's one frame, and one more frame: the up to half a frame by which a peak's refined
    /// time precedes its frame, and half a frame of margin.
    fn latency_samples(&self, input: &InputStage) -> usize {
        self.network.latency_samples(input, 2.0)
    }

    fn reset(&mut self) {
        self.network.reset();
        self.picker.reset();
        self.reported_at_start = false;
    }

    fn set(&mut self, index: usize, value: f32) {
        if index == SENSITIVITY_SETTING {
            self.picker.set_sensitivity(value);
        }
    }

    /// A peak before the start of the audio (the look-ahead's first frames already hear a sound
    /// at the very first sample) is reported at the start; a further peak within the minimum
    /// interval of the start belongs to the same sound and is not reported again.
    fn push(&mut self, samples: &[f32], clock: &Clock, emit: &mut dyn FnMut(Event)) {
        let Self { network, picker, reported_at_start } = self;
        let frame_seconds = network.frame_seconds();
        let late = network.look_ahead_frames() as f64 * frame_seconds;
        let min_gap = MIN_GAP_FRAMES as f64 * frame_seconds;
        network.push(samples, &mut |output, seconds| {
            let value = output[0];
            emit(Event::Activation {
                task: TaskKind::Onsets,
                time: clock.at_unclamped(seconds),
                value,
            });
            if let Some(peak) = picker.push(value) {
                let seconds = peak.position() * frame_seconds - late;
                if *reported_at_start && seconds < min_gap {
                    return;
                }
                *reported_at_start = seconds < 0.0;
                emit(Event::Onset { time: clock.at(seconds), strength: peak.activation });
            }
        });
    }

    fn metadata(&self) -> &[(String, String)] {
        self.network.metadata()
    }
}
