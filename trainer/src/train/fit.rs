//! The optimisation loop: Adam on mini-batches of random excerpts of the training examples, the
//! optimiser's state and the random stream kept across epochs.

use super::examples::Example;
use super::loss::weighted_binary_cross_entropy;
use crate::model::network::TrainableNetwork;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// How to draw batches and step.
#[derive(Debug, Clone)]
pub struct FitConfig {
    pub batch: usize,
    /// Frames per excerpt.
    pub excerpt: usize,
    pub positive_weight: f32,
    pub seed: u64,
}

/// Adam and the batch sampler, carried from one epoch to the next.
pub struct Fitter {
    config: FitConfig,
    optimizer: ModuleOptimizer,
    rng: SmallRng,
    device: Device,
}

impl Fitter {
    pub fn new(config: FitConfig, device: Device) -> Self {
        let rng = SmallRng::seed_from_u64(config.seed);
        Fitter { config, optimizer: AdamConfig::new().init(), rng, device }
    }

    /// Draws a batch of excerpts: features `[batch, excerpt, channels, bins]` and targets
    /// `[batch, excerpt, outputs, 1]`. Examples shorter than an excerpt are padded with zeros.
    fn batch(
        &mut self,
        examples: &[Example],
        shape: (usize, usize),
        outputs: usize,
    ) -> (Tensor<4>, Tensor<4>) {
        let (frame_len, excerpt) = (shape.0 * shape.1, self.config.excerpt);
        let (mut features, mut targets) = (Vec::new(), Vec::new());
        for _ in 0..self.config.batch {
            let example = &examples[self.rng.random_range(0..examples.len())];
            let length = excerpt.min(example.frames);
            let start = self.rng.random_range(0..=example.frames - length);
            features.extend_from_slice(
                &example.features[start * frame_len..(start + length) * frame_len],
            );
            features.resize(features.len() + (excerpt - length) * frame_len, 0.0);
            targets
                .extend_from_slice(&example.targets[start * outputs..(start + length) * outputs]);
            targets.resize(targets.len() + (excerpt - length) * outputs, 0.0);
        }
        let batch = self.config.batch;
        (
            Tensor::<1>::from_floats(features.as_slice(), &self.device)
                .reshape([batch, excerpt, shape.0, shape.1]),
            Tensor::<1>::from_floats(targets.as_slice(), &self.device)
                .reshape([batch, excerpt, outputs, 1]),
        )
    }

    /// Takes `steps` Adam steps at `learning_rate`; returns the network and each step's loss.
    pub fn steps(
        &mut self,
        mut network: TrainableNetwork,
        examples: &[Example],
        steps: usize,
        learning_rate: f64,
    ) -> Result<(TrainableNetwork, Vec<f32>), String> {
        if examples.is_empty() || examples.iter().any(|e| e.frames == 0) {
            return Err("no training frames".into());
        }
        let shape = (network.architecture.channels, network.architecture.bins);
        let outputs = examples[0].targets.len() / examples[0].frames;
        let mut losses = Vec::with_capacity(steps);
        for _ in 0..steps {
            let (features, targets) = self.batch(examples, shape, outputs);
            let predictions = network.forward(features);
            let loss =
                weighted_binary_cross_entropy(predictions, targets, self.config.positive_weight);
            losses.push(loss.clone().into_scalar::<f32>());
            let gradients = GradientsParams::from_grads(loss.backward(), &network);
            network = self.optimizer.step(learning_rate, network, gradients);
        }
        Ok((network, losses))
    }
}
