//! Streaming equals offline: any block sizes at any host rate give the frames of one offline
//! pass bit for bit, and host rates other than the analysis rate agree with an analysis-rate
//! reference within the resampler's tolerance.

use earshot_dsp::{
    Compression, Difference, Filterbank, Frontend, FrontendConfig, MelNorm, MelScale,
};
use earshot_dsp::{Spectrum, Standardisation, StreamConfig};
use rand::{rngs::SmallRng, Rng, SeedableRng};

/// A multi-resolution log-mel config like the onset model's, plus chroma and a flux stream.
fn config() -> FrontendConfig {
    let mel = |frame_size| StreamConfig {
        frame_size,
        spectrum: Spectrum::Magnitude,
        filterbank: Filterbank::Mel {
            bands: 40,
            fmin: 27.5,
            fmax: 16_000.0,
            scale: MelScale::Slaney,
            norm: MelNorm::Slaney,
        },
        compression: Compression::Log1p { lambda: 10.0 },
        difference: None,
    };
    let mut flux = mel(2048);
    flux.difference = Some(Difference { lag: 2, max_size: 3 });
    let chroma = StreamConfig {
        frame_size: 4096,
        spectrum: Spectrum::Power,
        filterbank: Filterbank::Chroma { bins: 12, tuning: 0.0 },
        compression: Compression::None,
        difference: None,
    };
    FrontendConfig {
        sample_rate: 44_100,
        hop_length: 441,
        streams: vec![mel(1024), mel(2048), mel(4096), chroma, flux],
        standardisation: None,
    }
}

/// A band-limited test signal, the same function of time at every rate (all content below
/// 8 kHz, so every host rate carries it): on the left a chord of swelling tones and a slow
/// sweep; on the right tone bursts with raised-cosine envelopes every 0.25 s.
fn signal(rate: f64, seconds: f64) -> [Vec<f32>; 2] {
    let n = (rate * seconds) as usize;
    let tau = std::f64::consts::TAU;
    let left = (0..n)
        .map(|i| {
            let t = i as f64 / rate;
            let chord: f64 = [220.0, 277.18, 329.63, 1760.0]
                .iter()
                .map(|f| (tau * f * t).sin() * (0.6 + 0.4 * (tau * 2.0 * t).cos()))
                .sum();
            let sweep = (tau * (100.0 * t + 900.0 * t * t)).sin();
            (0.2 * chord + 0.2 * sweep) as f32
        })
        .collect();
    let right = (0..n)
        .map(|i| {
            let t = i as f64 / rate;
            let phase = (t % 0.25) / 0.05;
            let envelope = if phase < 1.0 { 0.5 - 0.5 * (tau * phase).cos() } else { 0.0 };
            let tones: f64 = [523.25, 2093.0, 5000.0].iter().map(|f| (tau * f * t).sin()).sum();
            (0.2 * envelope * tones) as f32
        })
        .collect();
    [left, right]
}

fn stream_in_random_blocks(
    config: &FrontendConfig,
    rate: f64,
    audio: &[Vec<f32>; 2],
    seed: u64,
) -> Vec<Vec<f32>> {
    let mut frontend = Frontend::new(config, rate).unwrap();
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut frames = Vec::new();
    let mut start = 0;
    while start < audio[0].len() {
        let end = (start + rng.random_range(1..=8192)).min(audio[0].len());
        frontend.push(&[&audio[0][start..end], &audio[1][start..end]], end - start, |f| {
            assert_eq!(f.index as usize, frames.len());
            frames.push(f.values.to_vec())
        });
        start = end;
    }
    frames
}

fn max_abs_diff(a: &[Vec<f32>], b: &[Vec<f32>]) -> f32 {
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()))
        .fold(0.0, f32::max)
}

#[test]
fn any_block_sizes_give_the_offline_frames_at_every_host_rate() {
    let config = config();
    for rate in [22_050.0, 44_100.0, 48_000.0, 96_000.0, 192_000.0] {
        let audio = signal(rate, 2.0);
        let offline = Frontend::process_signal(&config, rate, &audio).unwrap();
        for seed in 0..8 {
            let streamed = stream_in_random_blocks(&config, rate, &audio, seed);
            // Streaming lacks only the last frames, which need audio past the end.
            assert!(
                streamed.len() + 30 >= offline.len(),
                "{rate} Hz: {} of {} frames",
                streamed.len(),
                offline.len()
            );
            // Bit for bit: the block sizes only change when frames are handed out.
            let bits = |frames: &[Vec<f32>]| -> Vec<Vec<u32>> {
                frames.iter().map(|f| f.iter().map(|x| x.to_bits()).collect()).collect()
            };
            assert!(
                bits(&streamed) == bits(&offline[..streamed.len()]),
                "{rate} Hz, seed {seed}: streamed frames differ from offline (max abs diff {})",
                max_abs_diff(&streamed, &offline)
            );
        }
    }
}

/// Host rates other than 44.1 kHz go through rubato's FFT resampler. Against the same signal
/// generated at 44.1 kHz, every value (ln(1 + 10x) mel, chroma, flux) must agree within 5e-3 on
/// frames away from the edges. Measured: ≤ 1e-6 from 22.05 and 48 kHz, ≤ 3.1e-3 from 96 and
/// 192 kHz (in the lowest bands of the 1024-point stream, where the decimating resampler's
/// filter leaves its largest relative error). ln(1 + 10x) turns a relative error ε of x into at
/// most ε, so the bound is 0.5 % of the linear values.
#[test]
fn other_host_rates_agree_with_the_analysis_rate() {
    let config = config();
    let reference = Frontend::process_signal(&config, 44_100.0, &signal(44_100.0, 2.0)).unwrap();
    for rate in [22_050.0, 48_000.0, 96_000.0, 192_000.0] {
        let frames = Frontend::process_signal(&config, rate, &signal(rate, 2.0)).unwrap();
        assert_eq!(frames.len(), reference.len(), "{rate} Hz");
        let inner = 10..reference.len() - 10;
        let diff = max_abs_diff(&frames[inner.clone()], &reference[inner]);
        println!("{rate} Hz: max abs diff to the 44.1 kHz reference {diff:.2e}");
        assert!(diff <= 5e-3, "{rate} Hz: max abs diff {diff}");
    }
}

#[test]
fn latency_is_half_the_largest_frame_plus_the_resampler() {
    let config = config();
    let native = Frontend::new(&config, 44_100.0).unwrap();
    assert_eq!(native.latency_samples(), 2048);
    let resampled = Frontend::new(&config, 48_000.0).unwrap();
    println!(
        "latency with a 4096-sample largest frame: {} samples at 44.1 kHz, {} samples ({:.1} ms) at 48 kHz",
        native.latency_samples(),
        resampled.latency_samples(),
        resampled.latency_seconds() * 1000.0
    );
    assert!(resampled.latency_samples() > 2048 * 48_000 / 44_100);
    assert!(resampled.latency_seconds() < 0.1, "{}", resampled.latency_seconds());
}

#[test]
fn standardisation_applies_the_given_statistics() {
    let plain = config();
    let len = plain.frame_len();
    let mut standardised = plain.clone();
    let mean: Vec<f32> = (0..len).map(|i| i as f32 * 0.01).collect();
    let std: Vec<f32> = (0..len).map(|i| 0.5 + i as f32 * 0.02).collect();
    standardised.standardisation = Some(Standardisation { mean: mean.clone(), std: std.clone() });
    let audio = signal(44_100.0, 0.5);
    let raw = Frontend::process_signal(&plain, 44_100.0, &audio).unwrap();
    let scaled = Frontend::process_signal(&standardised, 44_100.0, &audio).unwrap();
    for (r, s) in raw.iter().zip(&scaled) {
        for i in 0..len {
            assert!(((r[i] - mean[i]) / std[i] - s[i]).abs() <= 1e-6 * s[i].abs().max(1.0));
        }
    }
    standardised.standardisation = Some(Standardisation { mean, std: vec![1.0; len - 1] });
    assert!(
        Frontend::new(&standardised, 44_100.0).is_err(),
        "a statistics length mismatch was accepted"
    );
}
