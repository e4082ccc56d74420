//! The beat task: analysis-rate samples → the weights' own features → a recurrent network's
//! frame-wise beat, downbeat and no-beat posteriors → the online bar-pointer tracker → beats
//! with their place in the bar, and the tempo pooled over a running window and over everything
//! heard. Everything is sized when it is built; `push` never allocates, locks or panics.

pub mod state_space;
pub mod tempo;
pub mod tracker;

use super::framed_network::FramedNetwork;
use super::{TaskEntry, TaskKind};
use crate::event::{Clock, Event};
use crate::task::{LiveTask, SettingSpec};
use earshot_dsp::InputStage;
use tempo::TempoPooling;
use tracker::BeatTracker;

/// The beat weights Earshot ships (trained by `earshot-train train --task beats`; the command
/// is in the file's metadata).
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("weights.esw");

/// The network's outputs, frame by frame: a beat that is not a downbeat, a downbeat, neither.
pub const OUTPUTS: usize = 3;
/// The output of a beat that is not a downbeat.
pub const BEAT: usize = 0;
/// The output of a downbeat.
pub const DOWNBEAT: usize = 1;

/// The tempi the tracker follows, in beats per minute (madmom's default range).
pub const MIN_BPM: f64 = 55.0;
pub const MAX_BPM: f64 = 215.0;

/// How far back the tempo estimate listens.
pub const WINDOW: SettingSpec = SettingSpec {
    name: "tempo-window",
    help: "seconds the live tempo is pooled over (an exponential window: a frame this old \
           counts 1/e as much as the newest); the whole-file tempo pools everything",
    min: 2.0,
    max: 120.0,
    default: 10.0,
};

/// The index of [`WINDOW`] among the task's settings.
pub const WINDOW_SETTING: usize = 0;

pub const ENTRY: TaskEntry = TaskEntry {
    kind: TaskKind::Beats,
    name: "beats",
    summary: "beats, downbeats and tempo: a recurrent network's frame-wise beat and downbeat \
              posteriors, tracked online by a bar-pointer model",
    default_weights: DEFAULT_WEIGHTS,
    settings: &[WINDOW],
    activations: true,
    build: |weights| Ok(Box::new(BeatTask::new(weights)?)),
};

/// The live beat tracker.
pub struct BeatTask {
    network: FramedNetwork,
    tracker: BeatTracker,
    tempo: TempoPooling,
}

impl BeatTask {
    /// The task running the weights in `bytes` (a beat network with [`OUTPUTS`] outputs).
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        let network = FramedNetwork::new(bytes, "beats", OUTPUTS)?;
        let frames_per_minute = 60.0 / network.frame_seconds();
        let min_interval = (frames_per_minute / MAX_BPM).floor() as usize;
        let max_interval = (frames_per_minute / MIN_BPM).ceil() as usize;
        if min_interval < 4 || max_interval > 1000 {
            return Err(format!(
                "a beat network's frame rate must give 4–1000 frames a beat, not {:.1} fps",
                frames_per_minute / 60.0
            ));
        }
        let tracker = BeatTracker::new(min_interval, max_interval);
        let tempo = TempoPooling::new(tracker.intervals(), network.frame_seconds(), WINDOW.default);
        Ok(BeatTask { network, tracker, tempo })
    }
}

impl LiveTask for BeatTask {
    fn kind(&self) -> TaskKind {
        TaskKind::Beats
    }

    fn analysis_rate(&self) -> u32 {
        self.network.analysis_rate()
    }

    /// The input stage's delay to the newest frame's centre and the network's look-ahead: a
    /// beat is reported at the frame it falls in.
    fn latency_samples(&self, input: &InputStage) -> usize {
        self.network.latency_samples(input, 0.0)
    }

    fn reset(&mut self) {
        self.network.reset();
        self.tracker.reset();
        self.tempo.reset();
    }

    fn set(&mut self, index: usize, value: f32) {
        if index == WINDOW_SETTING {
            self.tempo.set_window(WINDOW.sanitise(value));
        }
    }

    fn push(&mut self, samples: &[f32], clock: &Clock, emit: &mut dyn FnMut(Event)) {
        let Self { network, tracker, tempo } = self;
        network.push(samples, &mut |posteriors, seconds| {
            let (beat, downbeat) = (posteriors[BEAT], posteriors[DOWNBEAT]);
            let time = clock.at_unclamped(seconds);
            emit(Event::Activation { task: TaskKind::Beats, time, value: beat + downbeat });
            let found = tracker.push(beat, downbeat);
            tempo.push(tracker.tempo_belief());
            // The tempo estimates are read only for a beat, not every frame.
            let Some(found) = found else { return };
            let (Some(windowed), Some(overall)) = (tempo.windowed(), tempo.overall()) else {
                return;
            };
            emit(Event::Beat {
                time: clock.at(seconds),
                bar_position: found.bar_position,
                beats_per_bar: found.beats_per_bar,
                confidence: found.confidence,
                windowed,
                overall,
            });
        });
    }

    fn metadata(&self) -> &[(String, String)] {
        self.network.metadata()
    }
}
