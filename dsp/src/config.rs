//! The serializable description of a frontend. Equal configs give equal features, bit for bit;
//! weight files carry the config so a model is never fed features it was not trained on.

use crate::constant_q::ConstantQSpec;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest frame size accepted (about 1.5 s at 44.1 kHz: a 36-bins-per-octave constant-Q
/// transform from A1 needs it).
pub const MAX_FRAME_SIZE: usize = 65_536;
/// The most streams (resolutions or representations) one frontend computes.
pub const MAX_STREAMS: usize = 8;
/// The most frames per second: ten times the shipped models' 100, above any published onset
/// or beat model's rate, and a bound on the work a frontend (and the model after it) can ask.
pub const MAX_FRAME_RATE: f64 = 1000.0;
/// Largest `λ` of `ln(1 + λ·x)` compression (madmom and librosa use 1): beyond it, the spectra
/// of loud but finite signals overflow to infinity.
pub const MAX_LOG1P_LAMBDA: f32 = 1e4;
/// Largest magnitude of a standardisation mean or deviation.
pub const MAX_STATISTIC: f32 = 1e4;
/// Smallest standardisation deviation: the trainer's floor (a smaller one would multiply the
/// features by more than a thousand).
pub const MIN_DEVIATION: f32 = 1e-3;

/// Everything that determines the features a [`crate::Frontend`] computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrontendConfig {
    /// The fixed rate all analysis runs at, whatever the host's rate (Hz).
    pub sample_rate: u32,
    /// Samples between frames at the analysis rate (441 at 44.1 kHz is 100 frames/s).
    pub hop_length: usize,
    /// The feature streams; a frame is their outputs concatenated in this order.
    pub streams: Vec<StreamConfig>,
    /// Per-value standardisation of the whole frame, `(x − mean) / std`, with statistics
    /// computed on a training set.
    #[serde(default)]
    pub standardisation: Option<Standardisation>,
}

/// Mean and standard deviation of every value of a frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standardisation {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

/// One windowed STFT and the stages after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamConfig {
    /// Frame (and FFT) size in samples. Frames are centred: frame `t` covers samples
    /// `t·hop − size/2 .. t·hop + size/2` of the input, with zeros before the start (librosa's
    /// `center=True, pad_mode="constant"`).
    pub frame_size: usize,
    /// Magnitude or power spectrum.
    pub spectrum: Spectrum,
    /// Filterbank applied to the spectrum, if any.
    pub filterbank: Filterbank,
    /// Compression applied after the filterbank.
    pub compression: Compression,
    /// Replace each frame by its positive difference to an earlier frame (spectral flux).
    pub difference: Option<Difference>,
}

/// Which spectrum the STFT stage produces (periodic Hann window, no scaling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Spectrum {
    /// |X|.
    Magnitude,
    /// |X|².
    Power,
}

/// A linear map from STFT bins to fewer bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Filterbank {
    /// Keep all `frame_size/2 + 1` bins.
    None,
    /// Triangular mel filters as `librosa.filters.mel`.
    Mel { bands: usize, fmin: f32, fmax: f32, scale: MelScale, norm: MelNorm },
    /// Chroma filters as `librosa.filters.chroma` (`ctroct=5`, `octwidth=2`, `base_c=True`,
    /// L2-normalised columns); `tuning` in fractions of a bin. Frames are then scaled so their
    /// largest bin is 1 (librosa's `chroma_stft` with `norm=inf`).
    Chroma { bins: usize, tuning: f32 },
    /// Constant-Q transform as `librosa.cqt(..., tuning=0.0)` (Hann wavelets, L1 norm,
    /// `filter_scale=1`, `sparsity=0.01`, `scale=True`), computed from the frame instead of an
    /// STFT; `frame_size` must be the FFT size of its lowest octave (the validation error says
    /// which). The spectrum choice gives |C| or |C|².
    ConstantQ { fmin: f32, bins: usize, bins_per_octave: usize },
    /// Triangular filters centred on an equal-tempered grid (`bands_per_octave` per octave, A4 =
    /// 440 Hz) within `fmin..=fmax`, as madmom 0.16's `LogarithmicFilterbank` with
    /// `norm_filters=True, unique_filters=False`: each grid frequency snaps to its nearest STFT
    /// bin, each filter sums to 1, and where the bins are coarser than the grid neighbouring
    /// bands repeat one bin, so every frame size gives the same number of bands.
    Logarithmic { bands_per_octave: usize, fmin: f32, fmax: f32 },
}

/// Mel scale formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MelScale {
    /// Slaney's Auditory Toolbox: linear below 1 kHz, logarithmic above (librosa's default).
    Slaney,
    /// HTK: 2595·log10(1 + f/700).
    Htk,
}

/// Mel filter normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MelNorm {
    /// Unit peak triangles.
    None,
    /// Slaney's area normalisation (librosa's default `norm="slaney"`).
    Slaney,
}

/// Compression of the (filtered) spectrum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Compression {
    None,
    /// `ln(1 + λ·x)`.
    Log1p {
        lambda: f32,
    },
    /// Decibels: `10·log10(max(amin, x))` of power, `20·log10(max(amin, x))` of magnitude
    /// (librosa's `power_to_db` / `amplitude_to_db` with `ref=1`, `top_db=None`).
    Decibels {
        amin: f32,
    },
}

/// Positive difference to an earlier frame, `max(0, x[t] − ref[t−lag])`, where `ref` is the
/// earlier frame maximum-filtered over `max_size` neighbouring bins (1: plain spectral flux;
/// 3 or more: SuperFlux-style vibrato suppression, as `librosa.onset.onset_strength`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub lag: usize,
    pub max_size: usize,
}

/// Why a config cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid frontend config: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

impl FrontendConfig {
    /// Checks every field; a config that passes cannot make the frontend panic or allocate
    /// without bound.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |message: String| Err(ConfigError(message));
        if !(8_000..=192_000).contains(&self.sample_rate) {
            return fail(format!("sample_rate {} is outside 8000..=192000 Hz", self.sample_rate));
        }
        if self.hop_length == 0 || self.hop_length > MAX_FRAME_SIZE {
            return fail(format!("hop_length {} is outside 1..={MAX_FRAME_SIZE}", self.hop_length));
        }
        if self.frame_rate() > MAX_FRAME_RATE {
            return fail(format!(
                "hop_length {} gives {:.0} frames per second at {} Hz; at most {MAX_FRAME_RATE} are \
                 allowed (hop_length at least {})",
                self.hop_length,
                self.frame_rate(),
                self.sample_rate,
                self.sample_rate.div_ceil(MAX_FRAME_RATE as u32)
            ));
        }
        if self.streams.is_empty() || self.streams.len() > MAX_STREAMS {
            return fail(format!("{} streams; 1..={MAX_STREAMS} are allowed", self.streams.len()));
        }
        let nyquist = self.sample_rate as f32 / 2.0;
        for (index, stream) in self.streams.iter().enumerate() {
            stream
                .validate(nyquist)
                .map_err(|e| ConfigError(format!("stream {index}: {}", e.0)))?;
        }
        if let Some(stats) = &self.standardisation {
            let len = self.frame_len();
            if stats.mean.len() != len || stats.std.len() != len {
                return fail(format!(
                    "standardisation has {} means and {} deviations for {len} values",
                    stats.mean.len(),
                    stats.std.len()
                ));
            }
            let mean_ok = |m: &f32| m.abs() <= MAX_STATISTIC;
            let std_ok = |s: &f32| (MIN_DEVIATION..=MAX_STATISTIC).contains(s);
            if !stats.mean.iter().all(mean_ok) || !stats.std.iter().all(std_ok) {
                return fail(format!(
                    "standardisation needs means within ±{MAX_STATISTIC} and deviations in \
                     {MIN_DEVIATION}..={MAX_STATISTIC}"
                ));
            }
        }
        Ok(())
    }

    /// Frames per second.
    pub fn frame_rate(&self) -> f64 {
        self.sample_rate as f64 / self.hop_length as f64
    }

    /// The number of values in one frame.
    pub fn frame_len(&self) -> usize {
        self.streams.iter().map(StreamConfig::output_len).sum()
    }

    /// The largest frame size of all streams.
    pub fn max_frame_size(&self) -> usize {
        self.streams.iter().map(|s| s.frame_size).max().unwrap_or(0)
    }
}

impl StreamConfig {
    /// A log-mel stream: magnitude spectrum, `bands` Slaney mel bands from `fmin` to `fmax` Hz
    /// (Slaney norm), `ln(1 + x)`, no difference.
    pub fn log_mel(frame_size: usize, bands: usize, fmin: f32, fmax: f32) -> Self {
        StreamConfig {
            frame_size,
            spectrum: Spectrum::Magnitude,
            filterbank: Filterbank::Mel {
                bands,
                fmin,
                fmax,
                scale: MelScale::Slaney,
                norm: MelNorm::Slaney,
            },
            compression: Compression::Log1p { lambda: 1.0 },
            difference: None,
        }
    }

    fn validate(&self, nyquist: f32) -> Result<(), ConfigError> {
        let fail = |message: String| Err(ConfigError(message));
        if !(16..=MAX_FRAME_SIZE).contains(&self.frame_size) || !self.frame_size.is_multiple_of(2) {
            return fail(format!(
                "frame_size {} must be even and in 16..={MAX_FRAME_SIZE}",
                self.frame_size
            ));
        }
        match self.filterbank {
            Filterbank::None => {}
            Filterbank::Mel { bands, fmin, fmax, .. } => {
                if bands == 0 || bands > self.frame_size / 2 {
                    return fail(format!("{bands} mel bands for {} bins", self.frame_size / 2 + 1));
                }
                if !(fmin >= 0.0 && fmin < fmax && fmax <= nyquist) {
                    return fail(format!(
                        "mel range {fmin}..{fmax} Hz must lie in 0..={nyquist} Hz"
                    ));
                }
            }
            Filterbank::Logarithmic { bands_per_octave, fmin, fmax } => {
                let range_ok = fmin >= 1.0 && fmin < fmax && fmax <= nyquist;
                if !(1..=48).contains(&bands_per_octave) || !range_ok {
                    return fail(format!(
                        "logarithmic filterbank with {bands_per_octave} bands per octave from \
                         {fmin} to {fmax} Hz: 1..=48 per octave within 1..={nyquist} Hz"
                    ));
                }
                let bands = self.output_len();
                if bands == 0 || bands > self.frame_size / 2 {
                    return fail(format!(
                        "{bands} logarithmic bands between {fmin} and {fmax} Hz for {} bins",
                        self.frame_size / 2 + 1
                    ));
                }
            }
            Filterbank::Chroma { bins, tuning } => {
                if !(1..=96).contains(&bins) || !(-0.5..=0.5).contains(&tuning) {
                    return fail(format!("chroma with {bins} bins and tuning {tuning}"));
                }
            }
            Filterbank::ConstantQ { fmin, bins, bins_per_octave } => {
                let usable = fmin.is_finite()
                    && fmin > 0.0
                    && (1..=1000).contains(&bins)
                    && (1..=96).contains(&bins_per_octave);
                if !usable {
                    return fail(format!(
                        "constant-Q from {fmin} Hz, {bins} bins, {bins_per_octave} per octave"
                    ));
                }
                let sample_rate = nyquist as f64 * 2.0;
                let spec = ConstantQSpec { sample_rate, fmin: fmin as f64, bins, bins_per_octave };
                if spec.cutoff() > nyquist as f64 {
                    return fail(format!(
                        "constant-Q filters reach {:.0} Hz, above Nyquist",
                        spec.cutoff()
                    ));
                }
                if spec.frame_size() != self.frame_size {
                    return fail(format!(
                        "constant-Q needs frame_size {}, not {}",
                        spec.frame_size(),
                        self.frame_size
                    ));
                }
            }
        }
        match self.compression {
            Compression::None => {}
            Compression::Log1p { lambda } if lambda > 0.0 && lambda <= MAX_LOG1P_LAMBDA => {}
            Compression::Decibels { amin } if amin.is_finite() && amin > 0.0 => {}
            other => {
                return fail(format!(
                    "compression {other:?} needs a positive parameter (Log1p lambda at most \
                     {MAX_LOG1P_LAMBDA})"
                ))
            }
        }
        if let Some(d) = self.difference {
            if !(1..=64).contains(&d.lag) || !(1..=63).contains(&d.max_size) || d.max_size % 2 == 0
            {
                return fail(format!("difference {d:?}: lag 1..=64, odd max_size 1..=63"));
            }
        }
        Ok(())
    }

    /// The number of values this stream adds to a frame.
    pub fn output_len(&self) -> usize {
        match self.filterbank {
            Filterbank::None => self.frame_size / 2 + 1,
            Filterbank::Mel { bands, .. } => bands,
            Filterbank::Chroma { bins, .. } | Filterbank::ConstantQ { bins, .. } => bins,
            Filterbank::Logarithmic { bands_per_octave, fmin, fmax } => {
                crate::filterbank::log_band_count(bands_per_octave, fmin as f64, fmax as f64)
            }
        }
    }
}
