//! A per-channel scale and shift: batch normalisation with its running statistics, where it
//! could not be folded into the layer before it.

use crate::Shape;

#[derive(Debug, Clone)]
pub struct Affine {
    scale: Vec<f32>,
    shift: Vec<f32>,
    bins: usize,
}

impl Affine {
    /// Batch norm `γ·(x − μ)/√(σ² + ε) + β` as `x·scale + shift`.
    pub fn from_batch_norm(
        eps: f32,
        mean: &[f32],
        variance: &[f32],
        gamma: &[f32],
        beta: &[f32],
        shape: Shape,
    ) -> Self {
        let scale: Vec<f32> =
            gamma.iter().zip(variance).map(|(g, v)| g / (v + eps).sqrt()).collect();
        let shift = beta.iter().zip(mean).zip(&scale).map(|((b, m), s)| b - m * s).collect();
        Affine { scale, shift, bins: shape.bins }
    }

    pub fn scale(&self) -> &[f32] {
        &self.scale
    }

    pub fn shift(&self) -> &[f32] {
        &self.shift
    }

    pub fn step(&self, input: &[f32], output: &mut [f32]) {
        let rows = input.chunks_exact(self.bins).zip(output.chunks_exact_mut(self.bins));
        for ((row, out), (scale, shift)) in rows.zip(self.scale.iter().zip(&self.shift)) {
            for (y, x) in out.iter_mut().zip(row) {
                *y = x * scale + shift;
            }
        }
    }
}
