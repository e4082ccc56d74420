//! Convolution over a time × frequency patch, causal in time: the last `kernel_time` input
//! frames are kept, so each step computes one output column.

use super::history::History;
use crate::{kernels, Activation, Shape};

#[derive(Debug, Clone)]
pub struct Conv2d {
    /// `[out][in][kernel_time][kernel_freq]`, PyTorch's layout.
    weight: Vec<f32>,
    bias: Vec<f32>,
    input: Shape,
    output: Shape,
    kernel_time: usize,
    kernel_freq: usize,
    freq_padding: usize,
    history: History,
    pub(crate) activation: Activation,
}

impl Conv2d {
    pub fn new(
        weight: Vec<f32>,
        bias: Vec<f32>,
        input: Shape,
        kernel_time: usize,
        kernel_freq: usize,
        freq_padding: usize,
    ) -> Self {
        let output =
            Shape { channels: bias.len(), bins: input.bins + 2 * freq_padding - kernel_freq + 1 };
        let history = History::new(kernel_time, input.len());
        Conv2d {
            weight,
            bias,
            input,
            output,
            kernel_time,
            kernel_freq,
            freq_padding,
            history,
            activation: Activation::Identity,
        }
    }

    /// Scales output channel `o` by `scale[o]` and then adds `shift[o]` (a folded batch norm).
    pub fn fold_affine(&mut self, scale: &[f32], shift: &[f32]) {
        let per_output = self.weight.len() / self.bias.len();
        for (weights, s) in self.weight.chunks_exact_mut(per_output).zip(scale) {
            weights.iter_mut().for_each(|w| *w *= s);
        }
        super::fold_into_bias(&mut self.bias, scale, shift);
    }

    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        self.history.push(input);
        let (bins, out_bins) = (self.input.bins, self.output.bins);
        let taps = self.kernel_time * self.kernel_freq;
        for (o, column) in output.chunks_exact_mut(out_bins).enumerate() {
            column.fill(self.bias[o]);
            for c in 0..self.input.channels {
                let weights = &self.weight[(o * self.input.channels + c) * taps..][..taps];
                for t in 0..self.kernel_time {
                    let frame = self.history.frame(self.kernel_time - 1 - t);
                    let row = &frame[c * bins..(c + 1) * bins];
                    for k in 0..self.kernel_freq {
                        // Output bin f reads input bin f + k − padding; keep those inside the row.
                        let first = self.freq_padding.saturating_sub(k);
                        let last = out_bins.min(bins + self.freq_padding - k);
                        if first >= last {
                            continue;
                        }
                        let source = first + k - self.freq_padding;
                        kernels::axpy(
                            weights[t * self.kernel_freq + k],
                            &row[source..source + (last - first)],
                            &mut column[first..last],
                        );
                    }
                }
            }
        }
        self.activation.apply(self.output, output);
    }

    pub fn reset(&mut self) {
        self.history.reset();
    }
}
