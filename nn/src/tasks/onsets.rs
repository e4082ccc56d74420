//! The onset task, live: host audio → the weights' own frontend → the onset network → the
//! online peak picker → onsets with their time in the audio. Everything is sized when it is
//! built; `push` never allocates, locks or panics.

use super::peak_picker::PeakPicker;
use crate::network::Network;
use crate::ModelError;
use earshot_dsp::Frontend;

/// The onset weights Earshot ships (trained by `earshot train --task onsets`; the command is in
/// the file's metadata).
pub const DEFAULT_WEIGHTS: &[u8] = include_bytes!("../../weights/onsets.esw");

/// Shortest interval between two onsets, in frames (30 ms at 100 frames per second).
pub const MIN_GAP_FRAMES: u64 = 3;

/// Silence the detector starts from, as if it had heard it before the first sample (seconds):
/// more than the shipped network sees (0.27 s), so a sound at the very first sample stands out
/// from silence as it would later in the audio.
pub const SILENCE_BEFORE: f64 = 1.0;

/// What the detector reports as it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OnsetEvent {
    /// The network's output for a frame, at the time in the audio it describes (seconds since
    /// the start or the last reset).
    Activation { time: f64, value: f32 },
    /// An onset at `time` seconds, with the activation of its peak (0–1).
    Onset { time: f64, strength: f32 },
}

/// A live onset detector.
pub struct OnsetDetector {
    frontend: Frontend,
    network: Network,
    picker: PeakPicker,
    /// Frames the network's output lags the audio it marks.
    look_ahead: u64,
    frame_seconds: f64,
    host_rate: f64,
}

/// Why weights cannot drive an onset detector.
#[derive(Debug, Clone, PartialEq)]
pub struct OnsetError(pub String);

impl std::fmt::Display for OnsetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OnsetError {}

impl From<ModelError> for OnsetError {
    fn from(e: ModelError) -> Self {
        OnsetError(e.to_string())
    }
}

/// Settles `network` on its frontend's features of silence, so that it starts, and restarts on
/// reset, as if it had heard [`SILENCE_BEFORE`] seconds of silence: as the detector runs it.
pub fn settle_on_silence(network: &mut Network) -> Result<(), OnsetError> {
    let config = network.frontend().clone();
    let silence = Frontend::process_signal(&config, config.sample_rate as f64, &[[0.0f32]])
        .map_err(|e| OnsetError(format!("frontend: {}", e.0)))?;
    let frame_seconds = config.hop_length as f64 / config.sample_rate as f64;
    network.settle(&silence[0], (SILENCE_BEFORE / frame_seconds).ceil() as usize);
    Ok(())
}

impl OnsetDetector {
    /// A detector running the weights in `bytes` on audio at `host_rate` Hz.
    pub fn new(bytes: &[u8], host_rate: f64, sensitivity: f32) -> Result<Self, OnsetError> {
        let mut network = Network::from_bytes(bytes)?;
        if network.task() != "onsets" {
            return Err(OnsetError(format!(
                "the weights are for {:?}, not onsets",
                network.task()
            )));
        }
        if network.output_shape().len() != 1 {
            return Err(OnsetError("an onset network must have one output".into()));
        }
        let look_ahead = match network.metadata().iter().find(|(k, _)| k == "look_ahead_frames") {
            Some((_, v)) => v
                .parse::<u64>()
                .ok()
                .filter(|frames| *frames <= 100)
                .ok_or_else(|| OnsetError(format!("look_ahead_frames {v:?} is not 0–100")))?,
            None => 0,
        };
        let config = network.frontend().clone();
        let frontend = Frontend::new(&config, host_rate)
            .map_err(|e| OnsetError(format!("frontend: {}", e.0)))?;
        settle_on_silence(&mut network)?;
        Ok(OnsetDetector {
            frontend,
            network,
            picker: PeakPicker::new(sensitivity, MIN_GAP_FRAMES),
            look_ahead,
            frame_seconds: config.hop_length as f64 / config.sample_rate as f64,
            host_rate,
        })
    }

    /// The detector running Earshot's shipped weights.
    pub fn with_default_weights(host_rate: f64, sensitivity: f32) -> Result<Self, OnsetError> {
        Self::new(DEFAULT_WEIGHTS, host_rate, sensitivity)
    }

    /// See [`PeakPicker::set_sensitivity`].
    pub fn set_sensitivity(&mut self, sensitivity: f32) {
        self.picker.set_sensitivity(sensitivity);
    }

    /// The worst delay, in host samples, from a sound in the input to the onset that marks it:
    /// the frontend's latency (the resampler's chunks included), the network's look-ahead, the
    /// picker's one frame, and one more frame: the up to half a frame by which a peak's refined
    /// time precedes its frame, and half a frame of margin.
    pub fn latency_samples(&self) -> usize {
        let frames = (self.look_ahead + 2) as f64 * self.frame_seconds;
        self.frontend.latency_samples() + (frames * self.host_rate).ceil() as usize
    }

    /// Frames the network's output lags the audio it describes (the weights' look-ahead).
    pub fn look_ahead_frames(&self) -> u64 {
        self.look_ahead
    }

    /// The weights' metadata (how they were trained).
    pub fn metadata(&self) -> &[(String, String)] {
        self.network.metadata()
    }

    /// Forgets all audio, back to the start: as if it had heard only silence.
    pub fn reset(&mut self) {
        self.frontend.reset();
        self.network.reset();
        self.picker.reset();
    }

    /// Takes a block of host audio (one slice per channel, `frames` long) and reports every
    /// frame's activation and every onset it completes.
    pub fn push<S: AsRef<[f32]>>(
        &mut self,
        channels: &[S],
        frames: usize,
        mut on_event: impl FnMut(OnsetEvent),
    ) {
        let Self { frontend, network, picker, look_ahead, frame_seconds, .. } = self;
        let late = *look_ahead as f64 * *frame_seconds;
        frontend.push(channels, frames, |frame| {
            let value = network.step(frame.values)[0];
            on_event(OnsetEvent::Activation { time: frame.time - late, value });
            if let Some(peak) = picker.push(value) {
                let time = (peak.position() * *frame_seconds - late).max(0.0);
                on_event(OnsetEvent::Onset { time, strength: peak.activation });
            }
        });
    }
}
