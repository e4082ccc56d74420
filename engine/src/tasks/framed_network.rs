//! What every network task shares: its weights, read and checked for the task; the weights'
//! own frontend framing analysis-rate samples; the network, settled on silence as if it had
//! heard some before the input; and the weights' look-ahead.

use earshot_dsp::{Frame, Framer, Frontend, InputStage};
use earshot_nn::Network;

/// Silence a network starts from, as if it had heard it before the first sample (seconds):
/// more than any shipped network sees, so a sound at the very first sample stands out from
/// silence as it would later in the audio.
pub const SILENCE_BEFORE: f64 = 1.0;

/// The longest look-ahead weights may ask for, in frames.
const MAX_LOOK_AHEAD: u64 = 100;

/// A network behind its frontend: analysis-rate samples in, one output frame per feature frame.
pub struct FramedNetwork {
    framer: Framer,
    network: Network,
    /// Frames the network's output lags the audio it describes.
    look_ahead: u64,
    frame_seconds: f64,
    analysis_rate: u32,
}

impl FramedNetwork {
    /// The network in `bytes`, which must be for `task` and give `outputs` values per frame.
    pub fn new(bytes: &[u8], task: &str, outputs: usize) -> Result<Self, String> {
        let mut network = Network::from_bytes(bytes).map_err(|e| e.to_string())?;
        if network.task() != task {
            return Err(format!("the weights are for {:?}, not {task}", network.task()));
        }
        if network.output_shape().len() != outputs {
            let found = network.output_shape().len();
            return Err(format!("a {task} network must have {outputs} outputs, not {found}"));
        }
        let look_ahead = look_ahead_frames(&network)?;
        let config = network.frontend().clone();
        let framer = Framer::new(&config).map_err(|e| format!("frontend: {}", e.0))?;
        settle_on_silence(&mut network)?;
        Ok(FramedNetwork {
            framer,
            network,
            look_ahead,
            frame_seconds: config.hop_length as f64 / config.sample_rate as f64,
            analysis_rate: config.sample_rate,
        })
    }

    /// Frames the output lags the audio it describes (the weights' look-ahead).
    pub fn look_ahead_frames(&self) -> u64 {
        self.look_ahead
    }

    /// Seconds between frames.
    pub fn frame_seconds(&self) -> f64 {
        self.frame_seconds
    }

    /// The rate the frontend takes samples at.
    pub fn analysis_rate(&self) -> u32 {
        self.analysis_rate
    }

    /// The weights' metadata.
    pub fn metadata(&self) -> &[(String, String)] {
        self.network.metadata()
    }

    /// Host samples from a sound to the output that describes it, when `input` feeds the
    /// task: the input stage's delay to the newest frame's centre, the look-ahead, and
    /// `extra_frames` that the task's decoder adds.
    pub fn latency_samples(&self, input: &InputStage, extra_frames: f64) -> usize {
        let frames = (self.look_ahead as f64 + extra_frames) * self.frame_seconds;
        input.latency_samples(self.framer.latency())
            + (frames * input.host_rate() as f64).ceil() as usize
    }

    /// Forgets all audio: back to the settled start.
    pub fn reset(&mut self) {
        self.framer.reset();
        self.network.reset();
    }

    /// Takes analysis-rate samples; hands `on_output` each output frame with the time, in
    /// seconds since the start, of the audio it describes (negative for the first frames of a
    /// network with look-ahead, which describe the silence before the input).
    pub fn push(&mut self, samples: &[f32], on_output: &mut dyn FnMut(&[f32], f64)) {
        let Self { framer, network, look_ahead, frame_seconds, .. } = self;
        let late = *look_ahead as f64 * *frame_seconds;
        framer.push(samples, &mut |frame: Frame<'_>| {
            on_output(network.step(frame.values), frame.time - late);
        });
    }
}

/// Settles `network` on its frontend's features of silence, so that it starts, and restarts on
/// reset, as if it had heard [`SILENCE_BEFORE`] seconds of silence.
fn settle_on_silence(network: &mut Network) -> Result<(), String> {
    let config = network.frontend().clone();
    let silence = Frontend::process_signal(&config, config.sample_rate as f64, &[[0.0f32]])
        .map_err(|e| format!("frontend: {}", e.0))?;
    let frame_seconds = config.hop_length as f64 / config.sample_rate as f64;
    network.settle(&silence[0], (SILENCE_BEFORE / frame_seconds).ceil() as usize);
    Ok(())
}

/// The frames a network's output lags the audio it describes (`look_ahead_frames` in its
/// metadata; 0 when absent).
fn look_ahead_frames(network: &Network) -> Result<u64, String> {
    match network.metadata().iter().find(|(k, _)| k == "look_ahead_frames") {
        Some((_, v)) => v
            .parse::<u64>()
            .ok()
            .filter(|frames| *frames <= MAX_LOOK_AHEAD)
            .ok_or_else(|| format!("look_ahead_frames {v:?} is not 0–{MAX_LOOK_AHEAD}")),
        None => Ok(0),
    }
}
