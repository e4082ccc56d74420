//! Test audio: blocks that stress a plugin with every kind of sample a host can send.

use rand::{rngs::SmallRng, Rng};

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
