//! Max or average pooling per channel over a causal window of frames and a strided window of
//! bins.

use super::history::History;
use crate::{PoolKind, Shape};

#[derive(Debug, Clone)]
pub struct Pool {
    kind: PoolKind,
    input: Shape,
    output: Shape,
    freq: usize,
    freq_stride: usize,
    history: History,
}

impl Pool {
    pub fn new(kind: PoolKind, input: Shape, time: usize, freq: usize, freq_stride: usize) -> Self {
        let output =
            Shape { channels: input.channels, bins: (input.bins - freq) / freq_stride + 1 };
        Pool { kind, input, output, freq, freq_stride, history: History::new(time, input.len()) }
    }

    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        self.history.push(input);
        let frames = self.history.len();
        let count = (frames * self.freq) as f32;
        for c in 0..self.output.channels {
            for f in 0..self.output.bins {
                let start = c * self.input.bins + f * self.freq_stride;
                let window =
                    (0..frames).flat_map(|age| &self.history.frame(age)[start..start + self.freq]);
                output[c * self.output.bins + f] = match self.kind {
                    PoolKind::Max => window.fold(f32::NEG_INFINITY, |m, v| m.max(*v)),
                    PoolKind::Average => window.sum::<f32>() / count,
                };
            }
        }
    }

    pub fn reset(&mut self) {
        self.history.reset();
    }
}
