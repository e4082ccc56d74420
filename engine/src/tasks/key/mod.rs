//! The key task: analysis-rate samples → the weights' own features → the key network's
//! frame-wise posteriors over the 24 keys → pooled over a running window and over everything
//! heard → a key estimate per frame. Everything is sized when it is built; `push` never
//! allocates, locks or panics.

pub mod pooling;
pub mod vocabulary;

use super::framed_network::FramedNetwork;
use super::{TaskEntry, TaskKind};
use crate::event::{Clock, Event};
use crate::task::{LiveTask, SettingSpec};
use earshot_dsp::InputStage;
use pooling::KeyPooling;
use vocabulary::KEYS;

/// The key weights Earshot ships (trained by `earshot-train train --task key`; the command is
/// in the file's metadata).
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("weights.esw");

/// How far back the live key listens.
pub const WINDOW: SettingSpec = SettingSpec {
    name: "window",
    help: "seconds the live key is pooled over (an exponential window: a frame this old \
           counts 1/e as much as the newest); the whole-file key pools everything",
    min: 5.0,
    max: 600.0,
    default: 30.0,
};

/// The index of [`WINDOW`] among the task's settings.
pub const WINDOW_SETTING: usize = 0;

pub const ENTRY: TaskEntry = TaskEntry {
    kind: TaskKind::Key,
    name: "key",
    summary: "the key (major or minor on each tonic): a CRNN's frame-wise key posteriors \
              pooled over a running window and over the whole input",
    default_weights: DEFAULT_WEIGHTS,
    settings: &[WINDOW],
    activations: false,
    build: |weights| Ok(Box::new(KeyTask::new(weights)?)),
};

/// The live key finder.
pub struct KeyTask {
    network: FramedNetwork,
    pooling: KeyPooling,
}

impl KeyTask {
    /// The task running the weights in `bytes` (a key network with one output per key).
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        let network = FramedNetwork::new(bytes, "key", KEYS)?;
        let pooling = KeyPooling::new(network.frame_seconds(), WINDOW.default);
        Ok(KeyTask { network, pooling })
    }
}

impl LiveTask for KeyTask {
    fn kind(&self) -> TaskKind {
        TaskKind::Key
    }

    fn analysis_rate(&self) -> u32 {
        self.network.analysis_rate()
    }

    /// The input stage's delay to the newest frame's centre and the network's look-ahead: each
    /// frame's estimate includes that frame.
    fn latency_samples(&self, input: &InputStage) -> usize {
        self.network.latency_samples(input, 0.0)
    }

    fn reset(&mut self) {
        self.network.reset();
        self.pooling.reset();
    }

    fn set(&mut self, index: usize, value: f32) {
        if index == WINDOW_SETTING {
            self.pooling.set_window(WINDOW.sanitise(value));
        }
    }

    fn push(&mut self, samples: &[f32], clock: &Clock, emit: &mut dyn FnMut(Event)) {
        let Self { network, pooling } = self;
        network.push(samples, &mut |posteriors, seconds| {
            if let Some((windowed, overall)) = pooling.push(posteriors) {
                emit(Event::Key { time: clock.at(seconds), windowed, overall });
            }
        });
    }

    fn metadata(&self) -> &[(String, String)] {
        self.network.metadata()
    }
}
