//! Convolution over a time × frequency patch, causal in time: the last `kernel_time` input
//! frames are kept (each channel's row stored with its zero padding around it), so each step
//! computes one output column.
//!
//! Two ways to compute that column, chosen by its height. With eight or more output bins, a
//! blocked multi-channel correlation ([`kernels::correlate`]) keeps 8 channels × 8 bins of sums
//! in registers over all taps. With fewer (a kernel that spans most of the bins, as a dense layer
//! over a time window does), the patch each output bin sees is gathered and multiplied by the
//! weights as one matrix–vector product.

use super::history::History;
use crate::kernels::{self, Correlation, BIN_BLOCK};
use crate::{Activation, Shape};

#[derive(Debug, Clone)]
pub struct Conv2d {
    /// Correlation form: `[in][kernel_time][kernel_freq][out]`; patch form: PyTorch's
    /// `[out][in][kernel_time][kernel_freq]`.
    weight: Vec<f32>,
    bias: Vec<f32>,
    input: Shape,
    output: Shape,
    kernel_time: usize,
    kernel_freq: usize,
    freq_padding: usize,
    /// Length of a stored row: `freq_padding` zeros, the input row, zeros to the end.
    row_len: usize,
    pub(super) history: History,
    /// Where the row of input channel `c` seen by time tap `t` starts: `[in][kernel_time]`.
    rows: Vec<usize>,
    /// Correlation form: the column, `[out][bins rounded up to BIN_BLOCK]`. Patch form: the
    /// patches, `[out bins][in][kernel_time][kernel_freq]`.
    scratch: Vec<f32>,
    /// Patch form: the column bin-major, before it is transposed. Empty otherwise.
    transposed: Vec<f32>,
    pub(crate) activation: Activation,
}

impl Conv2d {
    /// From PyTorch's `[out][in][kernel_time][kernel_freq]` weight.
    pub fn new(
        weight: Vec<f32>,
        bias: Vec<f32>,
        input: Shape,
        kernel_time: usize,
        kernel_freq: usize,
        freq_padding: usize,
    ) -> Self {
        let outputs = bias.len();
        let output =
            Shape { channels: outputs, bins: input.bins + 2 * freq_padding - kernel_freq + 1 };
        let blocked_bins = output.bins.next_multiple_of(BIN_BLOCK);
        let taps = input.channels * kernel_time * kernel_freq;
        let correlation_form = output.bins >= BIN_BLOCK;
        let (weight, row_len, scratch, transposed) = if correlation_form {
            let mut transposed_weight = vec![0.0; weight.len()];
            for (o, row) in weight.chunks_exact(taps).enumerate() {
                for (tap, w) in row.iter().enumerate() {
                    transposed_weight[tap * outputs + o] = *w;
                }
            }
            let scratch = vec![0.0; outputs * blocked_bins];
            (transposed_weight, blocked_bins + kernel_freq - 1, scratch, Vec::new())
        } else {
            let row_len = input.bins + 2 * freq_padding;
            (weight, row_len, vec![0.0; output.bins * taps], vec![0.0; output.len()])
        };
        Conv2d {
            weight,
            bias,
            input,
            output,
            kernel_time,
            kernel_freq,
            freq_padding,
            row_len,
            history: History::new(kernel_time, input.channels * row_len),
            rows: vec![0; input.channels * kernel_time],
            scratch,
            transposed,
            activation: Activation::Identity,
        }
    }

    /// Scales output channel `o` by `scale[o]` and then adds `shift[o]` (a folded batch norm).
    pub fn fold_affine(&mut self, scale: &[f32], shift: &[f32]) {
        if self.transposed.is_empty() {
            for row in self.weight.chunks_exact_mut(self.bias.len()) {
                row.iter_mut().zip(scale).for_each(|(w, s)| *w *= s);
            }
            for ((b, s), t) in self.bias.iter_mut().zip(scale).zip(shift) {
                *b = *b * s + t;
            }
        } else {
            super::fold_into_rows(&mut self.weight, &mut self.bias, scale, shift);
        }
    }

    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        let (bins, padding, row_len) = (self.input.bins, self.freq_padding, self.row_len);
        self.history.push_with(|slot| {
            for (row, values) in slot.chunks_exact_mut(row_len).zip(input.chunks_exact(bins)) {
                row[padding..padding + bins].copy_from_slice(values);
            }
        });
        for (index, start) in self.rows.iter_mut().enumerate() {
            let (c, t) = (index / self.kernel_time, index % self.kernel_time);
            *start = self.history.start(self.kernel_time - 1 - t) + c * row_len;
        }
        if self.transposed.is_empty() {
            self.correlate(output);
        } else {
            self.by_patches(output);
        }
        self.activation.apply(self.output, output);
    }

    fn correlate(&mut self, output: &mut [f32]) {
        let blocked_bins = self.scratch.len() / self.bias.len();
        let correlation = Correlation {
            rows: &self.rows,
            taps: self.kernel_freq,
            weight: &self.weight,
            bias: &self.bias,
            bins: blocked_bins,
        };
        kernels::correlate(&correlation, self.history.values(), &mut self.scratch);
        let bins = self.output.bins;
        for (column, blocked) in
            output.chunks_exact_mut(bins).zip(self.scratch.chunks_exact(blocked_bins))
        {
            column.copy_from_slice(&blocked[..bins]);
        }
    }

    fn by_patches(&mut self, output: &mut [f32]) {
        let kf = self.kernel_freq;
        let values = self.history.values();
        let patch_len = self.rows.len() * kf;
        for (f, patch) in self.scratch.chunks_exact_mut(patch_len).enumerate() {
            for (taps, start) in patch.chunks_exact_mut(kf).zip(&self.rows) {
                taps.copy_from_slice(&values[start + f..start + f + kf]);
            }
        }
        let outputs = self.output.channels;
        for (patch, out) in
            self.scratch.chunks_exact(patch_len).zip(self.transposed.chunks_exact_mut(outputs))
        {
            kernels::matvec(&self.weight, patch, &self.bias, out);
        }
        let bins = self.output.bins;
        for (f, column) in self.transposed.chunks_exact(outputs).enumerate() {
            for (o, value) in column.iter().enumerate() {
                output[o * bins + f] = *value;
            }
        }
    }

    pub fn reset(&mut self) {
        self.history.reset();
    }
}
