//! The onset task: analysis-rate samples → the weights' own features → the onset network → the
//! online peak picker → onsets. Everything is sized when it is built; `push` never allocates,
//! locks or panics.

pub mod peak_picker;

use super::{TaskEntry, TaskKind};
use crate::event::{Clock, Event};
use crate::task::{LiveTask, SettingSpec};
use earshot_dsp::{Frame, Framer, Frontend, FrontendConfig, InputStage};
use earshot_nn::{ModelError, Network};
use peak_picker::PeakPicker;

/// The onset weights Earshot ships (trained by `earshot-train train --task onsets`; the command
/// is in the file's metadata).
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("weights.esw");

/// Shortest interval between two onsets, in frames (30 ms at 100 frames per second).
pub const MIN_GAP_FRAMES: u64 = 3;

/// Silence the detector starts from, as if it had heard it before the first sample (seconds):
/// more than the shipped network sees (0.27 s), so a sound at the very first sample stands out
/// from silence as it would later in the audio.
pub const SILENCE_BEFORE: f64 = 1.0;

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
    build: |weights| Ok(Box::new(OnsetTask::new(weights)?)),
};

/// Settles `network` on its frontend's features of silence, so that it starts, and restarts on
/// reset, as if it had heard [`SILENCE_BEFORE`] seconds of silence: as the task runs it.
pub fn settle_on_silence(network: &mut Network) -> Result<(), String> {
    let config = network.frontend().clone();
    let silence = Frontend::process_signal(&config, config.sample_rate as f64, &[[0.0f32]])
        .map_err(|e| format!("frontend: {}", e.0))?;
    let frame_seconds = config.hop_length as f64 / config.sample_rate as f64;
    network.settle(&silence[0], (SILENCE_BEFORE / frame_seconds).ceil() as usize);
    Ok(())
}

/// The frames an onset network's output lags the audio it marks (its `look_ahead_frames`).
pub fn look_ahead_frames(network: &Network) -> Result<u64, String> {
    match network.metadata().iter().find(|(k, _)| k == "look_ahead_frames") {
        Some((_, v)) => v
            .parse::<u64>()
            .ok()
            .filter(|frames| *frames <= 100)
            .ok_or_else(|| format!("look_ahead_frames {v:?} is not 0–100")),
        None => Ok(0),
    }
}

/// The live onset detector.
pub struct OnsetTask {
    framer: Framer,
    network: Network,
    picker: PeakPicker,
    /// Frames the network's output lags the audio it marks.
    look_ahead: u64,
    frame_seconds: f64,
    analysis_rate: u32,
    /// Whether an onset was reported at the start for a peak before it; a further peak within
    /// the minimum interval of the start is the same sound.
    reported_at_start: bool,
}

impl OnsetTask {
    /// The task running the weights in `bytes` (an onset network with one output).
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        let mut network = Network::from_bytes(bytes).map_err(|e: ModelError| e.to_string())?;
        if network.task() != "onsets" {
            return Err(format!("the weights are for {:?}, not onsets", network.task()));
        }
        if network.output_shape().len() != 1 {
            return Err("an onset network must have one output".into());
        }
        let look_ahead = look_ahead_frames(&network)?;
        let config: FrontendConfig = network.frontend().clone();
        let framer = Framer::new(&config).map_err(|e| format!("frontend: {}", e.0))?;
        settle_on_silence(&mut network)?;
        Ok(OnsetTask {
            framer,
            network,
            picker: PeakPicker::new(SENSITIVITY.default, MIN_GAP_FRAMES),
            look_ahead,
            frame_seconds: config.hop_length as f64 / config.sample_rate as f64,
            analysis_rate: config.sample_rate,
            reported_at_start: false,
        })
    }

    /// Frames the network's output lags the audio it describes (the weights' look-ahead).
    pub fn look_ahead_frames(&self) -> u64 {
        self.look_ahead
    }
}

impl LiveTask for OnsetTask {
    fn kind(&self) -> TaskKind {
        TaskKind::Onsets
    }

    fn analysis_rate(&self) -> u32 {
        self.analysis_rate
    }

    /// The input stage's delay to the newest frame's centre, the network's look-ahead, the
    /// picker's one frame, and one more frame: the up to half a frame by which a peak's refined
    /// time precedes its frame, and half a frame of margin.
    fn latency_samples(&self, input: &InputStage) -> usize {
        let frames = (self.look_ahead + 2) as f64 * self.frame_seconds;
        input.latency_samples(self.framer.latency())
            + (frames * input.host_rate() as f64).ceil() as usize
    }

    fn reset(&mut self) {
        self.framer.reset();
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
        let Self { framer, network, picker, look_ahead, frame_seconds, reported_at_start, .. } =
            self;
        let late = *look_ahead as f64 * *frame_seconds;
        let min_gap = MIN_GAP_FRAMES as f64 * *frame_seconds;
        framer.push(samples, &mut |frame: Frame<'_>| {
            let value = network.step(frame.values)[0];
            let time = clock.at_unclamped(frame.time - late);
            emit(Event::Activation { task: TaskKind::Onsets, time, value });
            if let Some(peak) = picker.push(value) {
                let seconds = peak.position() * *frame_seconds - late;
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
