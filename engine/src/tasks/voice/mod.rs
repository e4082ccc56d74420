//! The voice task: analysis-rate samples → the weights' own features → the voice network's
//! singing probability per frame → the online segmenter → where singing starts and stops.
//! Everything is sized when it is built; `push` never allocates, locks or panics.

pub mod segmenter;

use super::framed_network::FramedNetwork;
use super::{TaskEntry, TaskKind};
use crate::event::{Clock, Event};
use crate::task::{LiveTask, SettingSpec};
use earshot_dsp::InputStage;
use segmenter::{Segmenter, MIN_OFF_FRAMES, MIN_ON_FRAMES};

/// The voice weights Earshot ships (trained by `earshot-train train --task voice`; the command
/// is in the file's metadata).
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("weights.esw");

/// How readily singing is reported.
pub const SENSITIVITY: SettingSpec = SettingSpec {
    name: "sensitivity",
    help: "how readily singing is reported, 0–1 (the probability that starts it: \
           0.9 − 0.8 × this; it stops 0.2 lower)",
    min: 0.0,
    max: 1.0,
    default: 0.5,
};

/// The index of [`SENSITIVITY`] among the task's settings.
pub const SENSITIVITY_SETTING: usize = 0;

/// The segmenter's on-threshold at a sensitivity: `0.9 − 0.8 · sensitivity`.
pub fn threshold_for(sensitivity: f32) -> f32 {
    0.9 - 0.8 * SENSITIVITY.sanitise(sensitivity)
}

pub const ENTRY: TaskEntry = TaskEntry {
    kind: TaskKind::Voice,
    name: "voice",
    summary: "whether someone is singing: a causal network over log-mel frames, segmented \
              online with hysteresis",
    default_weights: DEFAULT_WEIGHTS,
    settings: &[SENSITIVITY],
    activations: true,
    build: |weights| Ok(Box::new(VoiceTask::new(weights)?)),
};

/// The live singing detector.
pub struct VoiceTask {
    network: FramedNetwork,
    segmenter: Segmenter,
    /// The time (seconds) of the segmenter's first frame since the last reset.
    first_frame: Option<f64>,
}

impl VoiceTask {
    /// The task running the weights in `bytes` (a voice network with one output, the
    /// probability that someone sings).
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        Ok(VoiceTask {
            network: FramedNetwork::new(bytes, "voice", 1)?,
            segmenter: Segmenter::new(threshold_for(SENSITIVITY.default)),
            first_frame: None,
        })
    }
}

impl LiveTask for VoiceTask {
    fn kind(&self) -> TaskKind {
        TaskKind::Voice
    }

    fn analysis_rate(&self) -> u32 {
        self.network.analysis_rate()
    }

    /// The input stage's delay to the newest frame's centre, the network's look-ahead, and the
    /// frames the segmenter waits to confirm a change (the longer wait, a stop's).
    fn latency_samples(&self, input: &InputStage) -> usize {
        self.network.latency_samples(input, MIN_ON_FRAMES.max(MIN_OFF_FRAMES) as f64)
    }

    fn reset(&mut self) {
        self.network.reset();
        self.segmenter.reset();
        self.first_frame = None;
    }

    fn set(&mut self, index: usize, value: f32) {
        if index == SENSITIVITY_SETTING {
            self.segmenter.set_threshold(threshold_for(value));
        }
    }

    fn push(&mut self, samples: &[f32], clock: &Clock, emit: &mut dyn FnMut(Event)) {
        let Self { network, segmenter, first_frame } = self;
        let frame_seconds = network.frame_seconds();
        network.push(samples, &mut |output, seconds| {
            let probability = output[0];
            let first = *first_frame.get_or_insert(seconds);
            emit(Event::Activation {
                task: TaskKind::Voice,
                time: clock.at_unclamped(seconds),
                value: probability,
            });
            if let Some(change) = segmenter.push(probability) {
                emit(Event::Voice {
                    time: clock.at(first + change.frame as f64 * frame_seconds),
                    singing: change.singing,
                    confidence: change.confidence,
                });
            }
        });
    }

    fn metadata(&self) -> &[(String, String)] {
        self.network.metadata()
    }
}
