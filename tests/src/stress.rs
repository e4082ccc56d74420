//! The pass-through stress run: random block sizes of every kind of sample through a plugin,
//! checking that the output is the input, bit for bit, but for subnormal samples, which leave as
//! zeros of their sign.

use crate::clap_host::{ClapInstance, HostResult};
use crate::signals::stress_block;
use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::path::Path;

/// The largest block the stress run sends, and the maximum block size it activates with.
pub const MAX_BLOCK: u32 = 4096;

/// What a stress run processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StressReport {
    pub blocks: usize,
    pub frames: usize,
    pub non_finite_samples: usize,
    pub subnormal_samples: usize,
}

/// Loads `library`, activates it at `sample_rate` with `channels` channels, and processes
/// `blocks` blocks of 1..=[`MAX_BLOCK`] frames. Every output sample, finite or not, must equal
/// its input sample bit for bit, or be a zero of its sign where the input was subnormal.
pub fn pass_through(
    library: &Path,
    sample_rate: f64,
    channels: usize,
    blocks: usize,
    seed: u64,
) -> HostResult<StressReport> {
    let mut plugin = ClapInstance::load(library)?;
    if channels != 2 {
        plugin.select_layout(channels as u32)?;
    }
    let mut rng = SmallRng::seed_from_u64(seed);
    plugin.with_processor(sample_rate, MAX_BLOCK, channels, |processor| {
        let mut report =
            StressReport { blocks: 0, frames: 0, non_finite_samples: 0, subnormal_samples: 0 };
        for block in 0..blocks {
            let frames = rng.random_range(1..=MAX_BLOCK as usize);
            let mut input = stress_block(&mut rng, frames, channels);
            let sent = input.clone();
            let flushed = |x: f32| if x.is_subnormal() { 0.0f32.copysign(x) } else { x };
            let expected: Vec<Vec<f32>> =
                sent.iter().map(|c| c.iter().copied().map(flushed).collect()).collect();
            // Garbage in the output buffers: a plugin that writes nothing fails the comparison.
            let mut output = vec![vec![1234.5f32; frames]; channels];
            {
                let mut input_slices: Vec<&mut [f32]> = input.iter_mut().map(|c| c.as_mut_slice()).collect();
                let mut output_slices: Vec<&mut [f32]> = output.iter_mut().map(|c| c.as_mut_slice()).collect();
                processor.process(&mut input_slices, &mut output_slices, &[])?;
            }
            for (channel, (got, want)) in output.iter().zip(&expected).enumerate() {
                if let Some(i) = (0..frames).find(|&i| got[i].to_bits() != want[i].to_bits()) {
                    return Err(format!(
                        "block {block} ({frames} frames), channel {channel}, frame {i}: got {} for input {}",
                        got[i], want[i]
                    ));
                }
            }
            report.blocks += 1;
            report.frames += frames;
            report.non_finite_samples += sent.iter().flatten().filter(|s| !s.is_finite()).count();
            report.subnormal_samples += sent.iter().flatten().filter(|s| s.is_subnormal()).count();
        }
        Ok(report)
    })?
}
