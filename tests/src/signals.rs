//! Test audio: blocks that stress a plugin with every kind of sample a host can send, and
//! music-like tones with known onsets.

use earshot_test_signals::add_decaying_tone;
use rand::{rngs::SmallRng, Rng, SeedableRng};

/// The kinds of block [`stress_block`] makes.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Silence,
    FullScaleNoise,
    Sine,
    Denormals,
    NonFinite,
    Dc,
    Mixed,
}

const KINDS: [Kind; 7] = [
    Kind::Silence,
    Kind::FullScaleNoise,
    Kind::Sine,
    Kind::Denormals,
    Kind::NonFinite,
    Kind::Dc,
    Kind::Mixed,
];

/// One sample of a given kind.
fn sample(rng: &mut SmallRng, kind: Kind, index: usize) -> f32 {
    match kind {
        Kind::Silence => 0.0,
        Kind::FullScaleNoise => rng.random_range(-1.0..=1.0),
        Kind::Sine => (index as f32 * 0.0628).sin() * 0.8,
        Kind::Denormals => {
            f32::from_bits(rng.random_range(1..0x0080_0000)) * if rng.random() { 1.0 } else { -1.0 }
        }
        Kind::NonFinite => {
            [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -f32::NAN][rng.random_range(0..4)]
        }
        Kind::Dc => 0.5,
        Kind::Mixed => {
            let kind = KINDS[rng.random_range(0..KINDS.len() - 1)];
            sample(rng, kind, index)
        }
    }
}

/// A block of `frames` samples per channel, of a randomly chosen kind per channel: silence,
/// full-scale noise, a sine, denormals, NaN/±Inf, DC, or a per-sample mix of all of them.
pub fn stress_block(rng: &mut SmallRng, frames: usize, channels: usize) -> Vec<Vec<f32>> {
    (0..channels)
        .map(|_| {
            let kind = KINDS[rng.random_range(0..KINDS.len())];
            (0..frames).map(|i| sample(rng, kind, i)).collect()
        })
        .collect()
}

/// `seconds` of decaying harmonic tones at random pitches and levels, a new one every
/// 0.15–0.6 s from 0.3 s until 1 s before the end, at `rate`. Returns the audio and the onsets
/// in seconds.
pub fn decaying_tones(seed: u64, rate: f64, seconds: f64) -> (Vec<f32>, Vec<f64>) {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut audio = vec![0.0f32; (seconds * rate) as usize];
    let mut onsets = Vec::new();
    let mut time = 0.3;
    while time < seconds - 1.0 {
        onsets.push(time);
        let pitch: f64 = rng.random_range(110.0..880.0);
        let level: f64 = rng.random_range(0.15..0.4);
        let start = (time * rate) as usize;
        let end = (start + (1.5 * rate) as usize).min(audio.len());
        add_decaying_tone(&mut audio[start..end], rate, pitch, level, 0.25);
        time += rng.random_range(0.15..0.6);
    }
    (audio, onsets)
}
