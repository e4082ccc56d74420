//! Causal, dilated convolution over time.

use super::history::History;
use crate::{kernels, Activation, Shape};

/// `y_t = f(b + Σ_k W_k · x_{t − (K−1−k)·d})` over flattened frames.
#[derive(Debug, Clone)]
pub struct Conv1d {
    /// `[kernel][out][in]`: one matrix per tap (PyTorch's `[out][in][kernel]` rearranged so
    /// each tap is a contiguous matrix–vector product).
    taps: Vec<f32>,
    bias: Vec<f32>,
    kernel: usize,
    dilation: usize,
    history: History,
    pub(crate) activation: Activation,
}

impl Conv1d {
    /// From PyTorch's `[out][in][kernel]` weight.
    pub fn new(
        weight: &[f32],
        bias: Vec<f32>,
        kernel: usize,
        dilation: usize,
        inputs: usize,
    ) -> Self {
        let outputs = bias.len();
        let mut taps = vec![0.0; weight.len()];
        for o in 0..outputs {
            for i in 0..inputs {
                for k in 0..kernel {
                    taps[(k * outputs + o) * inputs + i] = weight[(o * inputs + i) * kernel + k];
                }
            }
        }
        let history = History::new((kernel - 1) * dilation + 1, inputs);
        Conv1d { taps, bias, kernel, dilation, history, activation: Activation::Identity }
    }

    /// Scales output channel `o` by `scale[o]` and then adds `shift[o]` (a folded batch norm).
    pub fn fold_affine(&mut self, scale: &[f32], shift: &[f32]) {
        let rows = self.bias.len();
        let inputs = self.taps.len() / (self.kernel * rows);
        for (row, weights) in self.taps.chunks_exact_mut(inputs).enumerate() {
            weights.iter_mut().for_each(|w| *w *= scale[row % rows]);
        }
        super::fold_into_bias(&mut self.bias, scale, shift);
    }

    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        self.history.push(input);
        output.copy_from_slice(&self.bias);
        let matrix = self.taps.len() / self.kernel;
        for (k, tap) in self.taps.chunks_exact(matrix).enumerate() {
            let age = (self.kernel - 1 - k) * self.dilation;
            kernels::matvec_add(tap, self.history.frame(age), output);
        }
        self.activation.apply(Shape::vector(output.len()), output);
    }

    pub fn reset(&mut self) {
        self.history.reset();
    }
}
