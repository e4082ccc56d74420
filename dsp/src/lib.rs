//! Earshot's streaming time-frequency frontend.
//!
//! Host audio of any block size, channel count and rate goes in; frames of features come out at
//! a fixed analysis rate and frame rate: downmix → resample → centred frames → periodic-Hann STFT
//! → mel, chroma or logarithmic filterbank (or a constant-Q transform) → log or dB compression
//! → positive difference (spectral flux).
//! A [`FrontendConfig`] fully determines the features; live and offline use share one code path
//! ([`Frontend::push`], [`Frontend::process_signal`]), so they give the same frames. A
//! [`Frontend`] is an [`InputStage`] (downmix, clean-up, resampling) and a [`Framer`] (frames and
//! features); several framers at one analysis rate can share one input stage.

pub mod config;
pub mod constant_q;
pub mod filterbank;
mod framer;
mod frontend;
mod input;
pub mod stft;
mod stream;

pub use config::{
    Compression, ConfigError, Difference, Filterbank, FrontendConfig, MelNorm, MelScale, Spectrum,
    Standardisation, StreamConfig,
};
pub use framer::{Frame, Framer};
pub use frontend::Frontend;
pub use input::InputStage;
