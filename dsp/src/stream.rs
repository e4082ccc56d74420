//! One feature stream: STFT → filterbank → compression → positive difference, per frame.

use crate::config::{
    Compression, Difference, Filterbank as FilterbankConfig, Spectrum, StreamConfig,
};
use crate::constant_q::{ConstantQ, ConstantQSpec};
use crate::filterbank::{self, Filterbank};
use crate::stft::Stft;

/// How a frame becomes values before compression.
enum Transform {
    /// Hann-windowed STFT, then an optional filterbank.
    Fourier { stft: Stft, spectrum: Vec<f32>, filterbank: Option<Filterbank> },
    /// Constant-Q magnitudes, squared for a power spectrum.
    ConstantQ { transform: Box<ConstantQ>, power: bool },
}

/// A stream's state and buffers, all sized at construction.
pub struct Stream {
    frame_size: usize,
    transform: Transform,
    /// Chroma frames are scaled to a maximum of 1 (librosa's `norm=inf`).
    peak_normalise: bool,
    compression: Compression,
    amplitude: bool,
    difference: Option<DifferenceState>,
}

/// Earlier frames for the positive difference.
struct DifferenceState {
    params: Difference,
    /// The last `lag` frames before the difference, oldest first at `next`.
    history: Vec<Vec<f32>>,
    next: usize,
    /// Frames seen so far (the first `lag` frames have no reference and give zeros).
    seen: usize,
    current: Vec<f32>,
}

impl Stream {
    /// Builds the stream for a validated config at the analysis `sample_rate`.
    pub fn new(config: &StreamConfig, sample_rate: u32) -> Self {
        let rate = sample_rate as f64;
        let size = config.frame_size;
        let fourier = |filterbank| {
            let stft = Stft::new(size, config.spectrum);
            Transform::Fourier { spectrum: vec![0.0; stft.bins()], stft, filterbank }
        };
        let (transform, peak_normalise) = match config.filterbank {
            FilterbankConfig::None => (fourier(None), false),
            FilterbankConfig::Mel { bands, fmin, fmax, scale, norm } => {
                let bank =
                    filterbank::mel(rate, size, bands, fmin as f64, fmax as f64, scale, norm);
                (fourier(Some(bank)), false)
            }
            FilterbankConfig::Chroma { bins, tuning } => {
                (fourier(Some(filterbank::chroma(rate, size, bins, tuning as f64))), true)
            }
            FilterbankConfig::Logarithmic { bands_per_octave, fmin, fmax } => {
                let bank =
                    filterbank::logarithmic(rate, size, bands_per_octave, fmin as f64, fmax as f64);
                (fourier(Some(bank)), false)
            }
            FilterbankConfig::ConstantQ { fmin, bins, bins_per_octave } => {
                let spec =
                    ConstantQSpec { sample_rate: rate, fmin: fmin as f64, bins, bins_per_octave };
                let transform = Box::new(ConstantQ::new(spec));
                (
                    Transform::ConstantQ { transform, power: config.spectrum == Spectrum::Power },
                    false,
                )
            }
        };
        let len = config.output_len();
        Self {
            frame_size: size,
            transform,
            peak_normalise,
            compression: config.compression,
            amplitude: config.spectrum == Spectrum::Magnitude,
            difference: config.difference.map(|params| DifferenceState {
                params,
                history: vec![vec![0.0; len]; params.lag],
                next: 0,
                seen: 0,
                current: vec![0.0; len],
            }),
        }
    }

    pub fn frame_size(&self) -> usize {
        self.frame_size
    }

    /// Computes the stream's values for one frame of samples (split in two at a ring's wrap).
    pub fn process(&mut self, first: &[f32], second: &[f32], out: &mut [f32]) {
        match &mut self.transform {
            Transform::Fourier { stft, spectrum, filterbank } => {
                stft.process(first, second, spectrum);
                match filterbank {
                    Some(bank) => bank.apply(spectrum, out),
                    None => out.copy_from_slice(spectrum),
                }
            }
            Transform::ConstantQ { transform, power } => {
                transform.process(first, second, out);
                if *power {
                    out.iter_mut().for_each(|x| *x *= *x);
                }
            }
        }
        if self.peak_normalise {
            let peak = out.iter().fold(0.0f32, |m, &x| m.max(x));
            if peak > f32::MIN_POSITIVE {
                out.iter_mut().for_each(|x| *x /= peak);
            }
        }
        compress(self.compression, self.amplitude, out);
        if let Some(state) = &mut self.difference {
            state.apply(out);
        }
    }

    /// Forgets earlier frames (the difference's history).
    pub fn reset(&mut self) {
        if let Some(state) = &mut self.difference {
            state.seen = 0;
            state.next = 0;
        }
    }
}

/// Applies a compression in place.
fn compress(compression: Compression, amplitude: bool, values: &mut [f32]) {
    match compression {
        Compression::None => {}
        Compression::Log1p { lambda } => values.iter_mut().for_each(|x| *x = (lambda * *x).ln_1p()),
        Compression::Decibels { amin } => {
            let scale = if amplitude { 20.0 } else { 10.0 };
            values.iter_mut().for_each(|x| *x = scale * x.max(amin).log10());
        }
    }
}

impl DifferenceState {
    /// Replaces `values` by `max(0, values − maxfilter(frame[t − lag]))`.
    fn apply(&mut self, values: &mut [f32]) {
        self.current.copy_from_slice(values);
        let lag = self.params.lag;
        if self.seen >= lag {
            let reference = &self.history[self.next];
            let radius = self.params.max_size / 2;
            let last = values.len().saturating_sub(1);
            for (i, value) in values.iter_mut().enumerate() {
                let window = &reference[i.saturating_sub(radius)..=(i + radius).min(last)];
                let max = window.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x));
                *value = (*value - max).max(0.0);
            }
        } else {
            values.iter_mut().for_each(|x| *x = 0.0);
        }
        self.history[self.next].copy_from_slice(&self.current);
        self.next = (self.next + 1) % lag;
        self.seen += 1;
    }
}
