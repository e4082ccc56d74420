//! The chord task: analysis-rate samples → the weights' own features → the chord network's
//! posteriors over the majmin vocabulary → the online decoder → chord changes. Everything is
//! sized when it is built; `push` never allocates, locks or panics.

pub mod decoder;
pub mod vocabulary;

use super::framed_network::FramedNetwork;
use super::{TaskEntry, TaskKind};
use crate::event::{Clock, Event};
use crate::task::{LiveTask, SettingSpec};
use decoder::ChordDecoder;
use earshot_dsp::InputStage;
use vocabulary::CLASSES;

/// The chord weights Earshot ships (trained by `earshot-train train --task chords`; the command
/// is in the file's metadata).
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("weights.esw");

/// How long a chord holds through frames that doubt it.
pub const STEADINESS: SettingSpec = SettingSpec {
    name: "steadiness",
    help: "how long a chord holds through doubt, 0–1 (the decoder's stay probability \
           0.9 + 0.099 × this)",
    min: 0.0,
    max: 1.0,
    default: 0.5,
};

/// The index of [`STEADINESS`] among the task's settings.
pub const STEADINESS_SETTING: usize = 0;

/// The decoder's stay probability for a steadiness.
pub fn stay_probability(steadiness: f32) -> f32 {
    0.9 + 0.099 * STEADINESS.sanitise(steadiness)
}

pub const ENTRY: TaskEntry = TaskEntry {
    kind: TaskKind::Chords,
    name: "chords",
    summary: "the current chord (no chord, major or minor on each root): a CRNN over \
              constant-Q frames, decoded online by an HMM",
    default_weights: DEFAULT_WEIGHTS,
    settings: &[STEADINESS],
    activations: false,
    build: |weights| Ok(Box::new(ChordTask::new(weights)?)),
};

/// The live chord recogniser.
pub struct ChordTask {
    network: FramedNetwork,
    decoder: ChordDecoder,
}

impl ChordTask {
    /// The task running the weights in `bytes` (a chord network with one output per class).
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        Ok(ChordTask {
            network: FramedNetwork::new(bytes, "chords", CLASSES)?,
            decoder: ChordDecoder::new(stay_probability(STEADINESS.default)),
        })
    }
}

impl LiveTask for ChordTask {
    fn kind(&self) -> TaskKind {
        TaskKind::Chords
    }

    fn analysis_rate(&self) -> u32 {
        self.network.analysis_rate()
    }

    /// The input stage's delay to the newest frame's centre, the network's look-ahead and one
    /// frame of margin; a change is reported at the frame whose evidence makes it.
    fn latency_samples(&self, input: &InputStage) -> usize {
        self.network.latency_samples(input, 1.0)
    }

    fn reset(&mut self) {
        self.network.reset();
        self.decoder.reset();
    }

    fn set(&mut self, index: usize, value: f32) {
        if index == STEADINESS_SETTING {
            self.decoder.set_stay(stay_probability(value));
        }
    }

    fn push(&mut self, samples: &[f32], clock: &Clock, emit: &mut dyn FnMut(Event)) {
        let Self { network, decoder } = self;
        network.push(samples, &mut |posteriors, seconds| {
            if let Some(change) = decoder.push(posteriors) {
                emit(Event::Chord {
                    time: clock.at(seconds),
                    chord: change.chord,
                    confidence: change.confidence,
                    runner_up: change.runner_up,
                    runner_up_confidence: change.runner_up_confidence,
                });
            }
        });
    }

    fn metadata(&self) -> &[(String, String)] {
        self.network.metadata()
    }
}
