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
    pub(super) history: History,
}

impl Pool {
    pub fn new(kind: PoolKind, input: Shape, time: usize, freq: usize, freq_stride: usize) -> Self {
        let output =
            Shape { channels: input.channels, bins: (input.bins - freq) / freq_stride + 1 };
        Pool { kind, input, output, freq, freq_stride, history: History::new(time, input.len()) }
    }

    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        self.history.push(input);
        match self.kind {
            PoolKind::Max => self.combine(output, f32::NEG_INFINITY, f32::max),
            PoolKind::Average => {
                self.combine(output, 0.0, |a, b| a + b);
                let count = (self.history.len() * self.freq) as f32;
                output.iter_mut().for_each(|v| *v /= count);
            }
        }
    }

    /// Folds every value of each output's window, over all kept frames, into it.
    fn combine(&self, output: &mut [f32], empty: f32, combine: impl Fn(f32, f32) -> f32) {
        let (in_bins, out_bins) = (self.input.bins, self.output.bins);
        output.fill(empty);
        for age in 0..self.history.len() {
            let frame = self.history.frame(age);
            for (rows, out) in frame.chunks_exact(in_bins).zip(output.chunks_exact_mut(out_bins)) {
                for (f, value) in out.iter_mut().enumerate() {
                    let window = &rows[f * self.freq_stride..f * self.freq_stride + self.freq];
                    *value = window.iter().fold(*value, |acc, x| combine(acc, *x));
                }
            }
        }
    }

    pub fn reset(&mut self) {
        self.history.reset();
    }
}
