//! The feature configurations that the speed measurements use (shared by
//! `examples/frontend_speed.rs` and `benches/frontend.rs`; this folder is not an example of its own).

use earshot_dsp::{Compression, Difference, Filterbank, FrontendConfig, MelNorm, MelScale};
use earshot_dsp::{Spectrum, StreamConfig};

fn mel(
    frame_size: usize,
    bands: usize,
    spectrum: Spectrum,
    compression: Compression,
) -> StreamConfig {
    StreamConfig {
        frame_size,
        spectrum,
        filterbank: Filterbank::Mel {
            bands,
            fmin: 27.5,
            fmax: 16_000.0,
            scale: MelScale::Slaney,
            norm: MelNorm::Slaney,
        },
        compression,
        difference: None,
    }
}

fn config(streams: Vec<StreamConfig>) -> FrontendConfig {
    FrontendConfig { sample_rate: 44_100, hop_length: 441, streams, standardisation: None }
}

/// Named configurations: a multi-resolution onset input (three log-mel resolutions and a
/// SuperFlux stream), the shipped onset input (three semitone log-filtered resolutions), the
/// editor's spectrogram, chroma, and a seven-octave constant-Q transform.
pub fn speed_configs() -> Vec<(&'static str, FrontendConfig)> {
    let log_mel = |size| mel(size, 80, Spectrum::Magnitude, Compression::Log1p { lambda: 1.0 });
    let mut flux = log_mel(2048);
    flux.difference = Some(Difference { lag: 1, max_size: 3 });
    vec![
        (
            "multi-resolution log-mel + superflux",
            config(vec![log_mel(1024), log_mel(2048), log_mel(4096), flux]),
        ),
        (
            "onset input: 3 semitone log-filtered resolutions",
            config(
                [1024, 2048, 4096]
                    .map(|frame_size| StreamConfig {
                        frame_size,
                        spectrum: Spectrum::Magnitude,
                        filterbank: Filterbank::Logarithmic {
                            bands_per_octave: 12,
                            fmin: 27.5,
                            fmax: 16_000.0,
                        },
                        compression: Compression::Log1p { lambda: 1.0 },
                        difference: None,
                    })
                    .to_vec(),
            ),
        ),
        (
            "spectrogram (2048, 96 mel, dB)",
            config(vec![mel(2048, 96, Spectrum::Power, Compression::Decibels { amin: 1e-10 })]),
        ),
        (
            "chroma (8192)",
            config(vec![StreamConfig {
                frame_size: 8192,
                spectrum: Spectrum::Power,
                filterbank: Filterbank::Chroma { bins: 12, tuning: 0.0 },
                compression: Compression::None,
                difference: None,
            }]),
        ),
        (
            "constant-Q (C1-B7, 84 bins)",
            config(vec![StreamConfig {
                frame_size: 32_768,
                spectrum: Spectrum::Magnitude,
                filterbank: Filterbank::ConstantQ { fmin: 32.703, bins: 84, bins_per_octave: 12 },
                compression: Compression::None,
                difference: None,
            }]),
        ),
    ]
}
