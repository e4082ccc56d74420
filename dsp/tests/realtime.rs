//! Real-time safety of `Frontend::push`: no allocation (a counting allocator guards it), no
//! panic, NaN/±Inf replaced and counted, finite output, and recovery when clean audio returns.
//! And what a frontend may be built from: absurd configs refused with a message, every common
//! host rate accepted, the largest filterbanks built in bounded memory.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_dsp::{
    Compression, Difference, Filterbank, Frontend, FrontendConfig, MelNorm, MelScale,
};
use earshot_dsp::{Spectrum, StreamConfig};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn config() -> FrontendConfig {
    let stream = |frame_size, filterbank, compression, difference| StreamConfig {
        frame_size,
        spectrum: Spectrum::Magnitude,
        filterbank,
        compression,
        difference,
    };
    let mel = Filterbank::Mel {
        bands: 80,
        fmin: 27.5,
        fmax: 16_000.0,
        scale: MelScale::Slaney,
        norm: MelNorm::Slaney,
    };
    FrontendConfig {
        sample_rate: 44_100,
        hop_length: 441,
        streams: vec![
            stream(
                1024,
                Filterbank::Logarithmic { bands_per_octave: 12, fmin: 27.5, fmax: 16_000.0 },
                Compression::Log1p { lambda: 1.0 },
                None,
            ),
            stream(
                4096,
                mel.clone(),
                Compression::Decibels { amin: 1e-5 },
                Some(Difference { lag: 1, max_size: 3 }),
            ),
            stream(8192, Filterbank::Chroma { bins: 12, tuning: 0.0 }, Compression::None, None),
            stream(
                32_768,
                Filterbank::ConstantQ { fmin: 32.703, bins: 84, bins_per_octave: 12 },
                Compression::Log1p { lambda: 100.0 },
                None,
            ),
        ],
        standardisation: None,
    }
}

/// Blocks of every size class, including hostile content.
fn hostile_blocks() -> Vec<[Vec<f32>; 2]> {
    let tone = |n: usize| (0..n).map(|i| (i as f32 * 0.05).sin()).collect::<Vec<f32>>();
    let mut blocks = Vec::new();
    for &n in &[1usize, 7, 64, 441, 1000, 4096, 8192] {
        blocks.push([tone(n), vec![0.0; n]]);
        blocks.push([vec![f32::NAN; n], vec![f32::INFINITY; n]]);
        blocks.push([vec![f32::MIN_POSITIVE / 3.0; n], vec![-1e-40; n]]);
        blocks.push([vec![1.0; n], vec![-1.0; n]]);
    }
    blocks
}

#[test]
fn push_never_allocates_at_any_host_rate() {
    for rate in [22_050.0, 44_100.0, 44_101.0, 48_000.0, 96_000.0, 192_000.0] {
        let mut frontend = Frontend::new(&config(), rate).unwrap();
        let blocks = hostile_blocks();
        let mut frames = 0usize;
        let ((), allocations) = allocations_in(|| {
            for _ in 0..5 {
                for block in &blocks {
                    frontend.push(block, block[0].len(), |_| frames += 1);
                }
            }
        });
        let count = allocations.count;
        assert!(frames > 50, "{rate} Hz: only {frames} frames");
        assert_eq!(count, 0, "{rate} Hz: push allocated {count} times");
    }
}

#[test]
fn non_finite_input_is_counted_and_the_output_recovers() {
    let config = config();
    let mut frontend = Frontend::new(&config, 48_000.0).unwrap();
    let clean = |n: usize| (0..n).map(|i| 0.3 * (i as f32 * 0.07).sin()).collect::<Vec<f32>>();
    let mut all_finite = true;
    let mut check = |values: &[f32]| all_finite &= values.iter().all(|v| v.is_finite());
    frontend.push(&[clean(48_000)], 48_000, |f| check(f.values));
    let mut poisoned = clean(48_000);
    for (i, x) in poisoned.iter_mut().enumerate().step_by(3) {
        *x = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][i % 3];
    }
    frontend.push(&[&poisoned], 48_000, |f| check(f.values));
    assert_eq!(frontend.non_finite_samples(), 16_000);
    // After the bad second, clean audio gives the same frames as a frontend that never saw it
    // (once the largest frame and the flux lag have passed).
    let mut after = Vec::new();
    frontend.push(&[clean(96_000)], 96_000, |f| after.push(f.values.to_vec()));
    assert!(all_finite, "a frame had NaN or Inf");
    let mut fresh = Frontend::new(&config, 48_000.0).unwrap();
    let mut reference = Vec::new();
    let never_poisoned = [clean(48_000), clean(48_000), clean(96_000)].concat();
    fresh.push(&[&never_poisoned], never_poisoned.len(), |f| reference.push(f.values.to_vec()));
    let tail = |frames: &[Vec<f32>]| frames[frames.len() - 50..].to_vec();
    let diff = tail(&after)
        .iter()
        .zip(tail(&reference))
        .flat_map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y).abs()).collect::<Vec<_>>())
        .fold(0.0f32, f32::max);
    assert!(diff < 1e-3, "the output did not recover: max diff {diff}");
}

#[test]
fn absurd_configs_are_refused_with_a_message() {
    let mut bad = config();
    bad.hop_length = 0;
    assert!(Frontend::new(&bad, 44_100.0).err().unwrap().to_string().contains("hop_length"));
    let mut bad = config();
    bad.streams[0].frame_size = 1 << 30;
    assert!(Frontend::new(&bad, 44_100.0).err().unwrap().to_string().contains("frame_size"));
    let mut bad = config();
    bad.streams[0].filterbank = Filterbank::Mel {
        bands: 80,
        fmin: 100.0,
        fmax: 30_000.0,
        scale: MelScale::Htk,
        norm: MelNorm::None,
    };
    assert!(Frontend::new(&bad, 44_100.0).err().unwrap().to_string().contains("mel range"));
    let logarithmic = |bands_per_octave, fmin, fmax| {
        let mut bad = config();
        bad.streams[0].filterbank = Filterbank::Logarithmic { bands_per_octave, fmin, fmax };
        Frontend::new(&bad, 44_100.0).err().unwrap().to_string()
    };
    for (per_octave, fmin, fmax) in [(0, 30.0, 16_000.0), (12, 0.0, 16_000.0), (12, 30.0, 30_000.0)]
    {
        assert!(logarithmic(per_octave, fmin, fmax).contains("logarithmic filterbank with"));
    }
    assert!(logarithmic(12, f32::NAN, 16_000.0).contains("logarithmic filterbank with"));
    assert!(logarithmic(12, 0.5, 16_000.0).contains("logarithmic filterbank with"));
    assert!(logarithmic(12, 440.0, 460.0).contains("0 logarithmic bands"));
    // 48 bands per octave from 1 Hz: 684 bands, more than the 1024-sample frame's 513 bins.
    assert!(logarithmic(48, 1.0, 20_000.0).contains("684 logarithmic bands"));
    let mut bad = config();
    bad.streams[3].frame_size = 16_384;
    let message = Frontend::new(&bad, 44_100.0).err().unwrap().to_string();
    assert!(message.contains("constant-Q needs frame_size 32768"), "{message}");
    let mut bad = config();
    bad.streams[3].filterbank =
        Filterbank::ConstantQ { fmin: 32.703, bins: 120, bins_per_octave: 12 };
    let message = Frontend::new(&bad, 44_100.0).err().unwrap().to_string();
    assert!(message.contains("above Nyquist"), "{message}");
    let mut bad = config();
    bad.streams[1].compression = Compression::Log1p { lambda: f32::NAN };
    assert!(Frontend::new(&bad, 44_100.0).is_err());
    for rate in [0.0, -44_100.0, f64::NAN, f64::INFINITY, 1e9] {
        assert!(Frontend::new(&config(), rate).is_err(), "host rate {rate} accepted");
    }
    let message = Frontend::new(&config(), 7_999.0).err().unwrap().to_string();
    assert!(message.contains("7999 Hz is outside the supported 8000..=384000 Hz"), "{message}");
}

#[test]
fn every_whole_hertz_rate_in_the_range_is_supported() {
    let rates = [8_000.0, 11_025.0, 16_000.0, 22_050.0, 24_000.0, 32_000.0, 44_100.0, 48_000.0];
    let high = [88_200.0, 96_000.0, 176_400.0, 192_000.0, 352_800.0, 384_000.0];
    // Rates with no small ratio to 44.1 kHz, up to the largest prime in range.
    let odd = [8_001.0, 37_800.0, 44_056.0, 44_101.0, 47_999.0, 383_987.0];
    for rate in rates.into_iter().chain(high).chain(odd) {
        let frontend = Frontend::new(&config(), rate);
        assert!(frontend.is_ok(), "{rate} Hz: {}", frontend.err().unwrap());
    }
}

/// The largest banks a config may ask for are built one sparse row at a time: the largest mel
/// bank (32 768 bands on a 65 536-sample frame) would be 8.6 GB as dense f64 rows. What they
/// keep is at most 13 MB (96 chroma rows, whose Gaussians have weight on nearly every bin, in
/// f32), so 32 MB leaves room for the frontend's buffers and nothing for a dense build.
#[test]
fn the_largest_filterbanks_build_in_little_memory() {
    let largest = |filterbank| FrontendConfig {
        sample_rate: 44_100,
        hop_length: 441,
        streams: vec![StreamConfig {
            frame_size: 65_536,
            spectrum: Spectrum::Magnitude,
            filterbank,
            compression: Compression::None,
            difference: None,
        }],
        standardisation: None,
    };
    let mel = Filterbank::Mel {
        bands: 32_768,
        fmin: 0.0,
        fmax: 22_050.0,
        scale: MelScale::Htk,
        norm: MelNorm::Slaney,
    };
    let logarithmic = Filterbank::Logarithmic { bands_per_octave: 48, fmin: 1.0, fmax: 22_050.0 };
    let chroma = Filterbank::Chroma { bins: 96, tuning: 0.0 };
    for filterbank in [mel, logarithmic, chroma] {
        let name = format!("{filterbank:?}");
        let (frontend, allocations) =
            allocations_in(|| Frontend::new(&largest(filterbank), 44_100.0));
        assert!(frontend.is_ok(), "{name}");
        assert!(allocations.peak < 32_000_000, "{name}: held {} bytes", allocations.peak);
    }
}
