//! Fully connected layer.

use crate::{kernels, Activation, Shape};

/// `y = f(W·x + b)` over the flattened frame.
#[derive(Debug, Clone)]
pub struct Dense {
    /// `[units][inputs]`, row-major.
    pub(crate) weight: Vec<f32>,
    pub(crate) bias: Vec<f32>,
    pub(crate) activation: Activation,
}

impl Dense {
    pub fn step(&self, input: &[f32], output: &mut [f32]) {
        kernels::matvec(&self.weight, input, &self.bias, output);
        self.activation.apply(Shape::vector(output.len()), output);
    }
}
