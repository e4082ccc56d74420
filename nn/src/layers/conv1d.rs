//! Causal, dilated convolution over time.

use super::history::History;
use crate::{kernels, Activation, Shape};

/// `y_t = f(b + Σ_k W_k · x_{t − (K−1−k)·d})` over flattened frames, computed as one
/// matrix–vector product of `[out][kernel·in]` weights with the `kernel` frames it sees, laid
/// side by side.
#[derive(Debug, Clone)]
pub struct Conv1d {
    /// `[out][kernel][in]` (PyTorch's `[out][in][kernel]` rearranged).
    weight: Vec<f32>,
    bias: Vec<f32>,
    kernel: usize,
    dilation: usize,
    pub(super) history: History,
    /// The frames tap `k` sees, side by side: `[kernel][in]`.
    window: Vec<f32>,
    pub(crate) activation: Activation,
}

impl Conv1d {
    /// From PyTorch's `[out][in][kernel]` weight.
    pub fn new(
        torch_weight: &[f32],
        bias: Vec<f32>,
        kernel: usize,
        dilation: usize,
        inputs: usize,
    ) -> Self {
        let mut weight = vec![0.0; torch_weight.len()];
        for o in 0..bias.len() {
            for i in 0..inputs {
                for k in 0..kernel {
                    weight[(o * kernel + k) * inputs + i] =
                        torch_weight[(o * inputs + i) * kernel + k];
                }
            }
        }
        Conv1d {
            weight,
            bias,
            kernel,
            dilation,
            history: History::new((kernel - 1) * dilation + 1, inputs),
            window: vec![0.0; kernel * inputs],
            activation: Activation::Identity,
        }
    }

    /// Scales output channel `o` by `scale[o]` and then adds `shift[o]` (a folded batch norm).
    pub fn fold_affine(&mut self, scale: &[f32], shift: &[f32]) {
        super::fold_into_rows(&mut self.weight, &mut self.bias, scale, shift);
    }

    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        self.history.push(input);
        let inputs = input.len();
        for (k, slot) in self.window.chunks_exact_mut(inputs).enumerate() {
            slot.copy_from_slice(self.history.frame((self.kernel - 1 - k) * self.dilation));
        }
        kernels::matvec(&self.weight, &self.window, &self.bias, output);
        self.activation.apply(Shape::vector(output.len()), output);
    }

    pub fn reset(&mut self) {
        self.history.reset();
    }
}
