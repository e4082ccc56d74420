//! Element-wise activations and the softmax, applied in place to a frame.

use crate::{kernels, Shape};

/// An activation function. Softmax normalises over the channels of each bin (over the whole
/// vector for a plain vector), as PyTorch's `softmax(dim=channels)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    Identity,
    Relu,
    /// `x` for `x > 0`, else `alpha·(eˣ − 1)`.
    Elu {
        alpha: f32,
    },
    Tanh,
    Sigmoid,
    Softmax,
}

impl Activation {
    /// Applies the activation to `values`, a frame of `shape`.
    pub fn apply(self, shape: Shape, values: &mut [f32]) {
        match self {
            Activation::Identity => {}
            Activation::Relu => values.iter_mut().for_each(|x| *x = x.max(0.0)),
            Activation::Elu { alpha } => kernels::elu(values, alpha),
            Activation::Tanh => kernels::tanh(values),
            Activation::Sigmoid => kernels::sigmoid(values),
            Activation::Softmax => softmax_over_channels(shape, values),
        }
    }
}

fn softmax_over_channels(shape: Shape, values: &mut [f32]) {
    let (bins, len) = (shape.bins, values.len());
    let column = |bin: usize| (bin..len).step_by(bins);
    for bin in 0..bins {
        let peak = column(bin).map(|i| values[i]).fold(f32::NEG_INFINITY, f32::max);
        column(bin).for_each(|i| values[i] -= peak);
    }
    kernels::exp_all(values);
    for bin in 0..bins {
        let total: f32 = column(bin).map(|i| values[i]).sum();
        column(bin).for_each(|i| values[i] /= total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_normalises_each_bin_over_channels() {
        let shape = Shape { channels: 3, bins: 2 };
        let mut values = vec![1.0, 0.0, 2.0, 0.0, 3.0, 0.0];
        Activation::Softmax.apply(shape, &mut values);
        let total = |bin: usize| values[bin] + values[2 + bin] + values[4 + bin];
        assert!((total(0) - 1.0).abs() < 1e-6 && (total(1) - 1.0).abs() < 1e-6);
        assert!((values[1] - 1.0 / 3.0).abs() < 1e-6);
        assert!(values[4] > values[2] && values[2] > values[0]);
    }

    #[test]
    fn elu_and_relu_follow_their_definitions() {
        let mut values = vec![-1.0, 0.5];
        Activation::Elu { alpha: 2.0 }.apply(Shape::vector(2), &mut values);
        assert!((values[0] - 2.0 * ((-1.0f32).exp() - 1.0)).abs() < 1e-7);
        assert_eq!(values[1], 0.5);
        let mut values = vec![-1.0, 0.5];
        Activation::Relu.apply(Shape::vector(2), &mut values);
        assert_eq!(values, vec![0.0, 0.5]);
    }
}
