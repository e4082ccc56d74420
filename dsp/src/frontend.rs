//! The streaming frontend: host audio in, feature frames out, with one code path for live
//! (blocks of any size) and offline (a whole signal) use.

use crate::config::{ConfigError, FrontendConfig};
use crate::framer::{Frame, Framer};
use crate::input::InputStage;

/// Computes feature frames from host audio: an [`InputStage`] and a [`Framer`]. Every buffer is
/// sized in [`Frontend::new`]; `push` never allocates, locks or panics.
pub struct Frontend {
    input: InputStage,
    framer: Framer,
}

impl Frontend {
    /// A frontend for audio arriving at `host_rate` Hz (8 to 384 kHz).
    pub fn new(config: &FrontendConfig, host_rate: f64) -> Result<Self, ConfigError> {
        let framer = Framer::new(config)?;
        let input = InputStage::new(host_rate, config.sample_rate).map_err(ConfigError)?;
        Ok(Self { input, framer })
    }

    /// Values per frame.
    pub fn frame_len(&self) -> usize {
        self.framer.frame_len()
    }

    /// Starts over as if no audio had been pushed (keeps the NaN/Inf count).
    pub fn reset(&mut self) {
        self.input.reset();
        self.framer.reset();
    }

    /// How far the newest frame's centre lags the newest input sample, in host samples, at
    /// worst: half the largest frame, the resampler's delay, and its input chunk.
    pub fn latency_samples(&self) -> usize {
        self.input.latency_samples(self.framer.latency())
    }

    /// The same latency in seconds.
    pub fn latency_seconds(&self) -> f64 {
        self.latency_samples() as f64 / self.input.host_rate() as f64
    }

    /// NaN or infinite input samples replaced by silence so far.
    pub fn non_finite_samples(&self) -> u64 {
        self.input.non_finite_samples()
    }

    /// Takes a block of host audio (one slice per channel, `frames` long) and calls `on_frame`
    /// for every frame it completes.
    pub fn push<S: AsRef<[f32]>>(
        &mut self,
        channels: &[S],
        frames: usize,
        mut on_frame: impl FnMut(Frame<'_>),
    ) {
        let framer = &mut self.framer;
        self.input
            .push(channels, frames, &mut |samples: &[f32]| framer.push(samples, &mut on_frame));
    }

    /// Offline: the frames of a whole signal, as librosa's `center=True` gives them
    /// (`1 + n/hop` frames for `n` samples at the analysis rate, zeros past the end).
    pub fn process_signal<S: AsRef<[f32]>>(
        config: &FrontendConfig,
        host_rate: f64,
        channels: &[S],
    ) -> Result<Vec<Vec<f32>>, ConfigError> {
        let mut frontend = Self::new(config, host_rate)?;
        let frames = channels.iter().map(|c| c.as_ref().len()).max().unwrap_or(0);
        let analysis_samples = (frames as f64 * config.sample_rate as f64
            / frontend.input.host_rate() as f64)
            .round() as u64;
        let wanted = (1 + analysis_samples / config.hop_length as u64) as usize;
        let mut out = Vec::with_capacity(wanted);
        frontend.push(channels, frames, |f| out.push(f.values.to_vec()));
        // Zeros after the end complete the last frames (and flush the resampler).
        let silence = vec![0.0f32; 4096];
        while out.len() < wanted {
            frontend.push(&[&silence], silence.len(), |f| out.push(f.values.to_vec()));
        }
        out.truncate(wanted);
        Ok(out)
    }
}
