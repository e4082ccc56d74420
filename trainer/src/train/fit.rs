//! The optimisation loop: Adam on mini-batches of random excerpts of the training examples.

use super::examples::Example;
use super::loss::weighted_binary_cross_entropy;
use crate::model::network::TrainableNetwork;
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{Device, Tensor};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// How to fit.
#[derive(Debug, Clone)]
pub struct FitConfig {
    pub steps: usize,
    pub batch: usize,
    /// Frames per excerpt.
    pub excerpt: usize,
    pub learning_rate: f64,
    pub positive_weight: f32,
    pub seed: u64,
}

/// Draws a batch of excerpts: features `[batch, excerpt, channels, bins]` and targets
/// `[batch, excerpt, outputs, 1]`.
fn batch(
    examples: &[Example],
    config: &FitConfig,
    shape: (usize, usize),
    outputs: usize,
    rng: &mut SmallRng,
    device: &Device,
) -> (Tensor<4>, Tensor<4>) {
    let frame_len = shape.0 * shape.1;
    let (mut features, mut targets) = (Vec::new(), Vec::new());
    for _ in 0..config.batch {
        let example = &examples[rng.random_range(0..examples.len())];
        let length = config.excerpt.min(example.frames);
        let start = rng.random_range(0..=example.frames - length);
        let mut excerpt =
            example.features[start * frame_len..(start + length) * frame_len].to_vec();
        let mut excerpt_targets =
            example.targets[start * outputs..(start + length) * outputs].to_vec();
        // Short examples are padded with silence-level features and empty targets.
        excerpt.resize(config.excerpt * frame_len, 0.0);
        excerpt_targets.resize(config.excerpt * outputs, 0.0);
        features.extend(excerpt);
        targets.extend(excerpt_targets);
    }
    let shape4 = [config.batch, config.excerpt, shape.0, shape.1];
    (
        Tensor::<1>::from_floats(features.as_slice(), device).reshape(shape4),
        Tensor::<1>::from_floats(targets.as_slice(), device).reshape([
            config.batch,
            config.excerpt,
            outputs,
            1,
        ]),
    )
}

/// Trains `network` (on an autodiff device) and returns it with the loss of every step.
pub fn fit(
    mut network: TrainableNetwork,
    examples: &[Example],
    config: &FitConfig,
    device: &Device,
) -> Result<(TrainableNetwork, Vec<f32>), String> {
    if examples.is_empty() || examples.iter().any(|e| e.frames == 0) {
        return Err("no training frames".into());
    }
    let shape = (network.architecture.channels, network.architecture.bins);
    let outputs = examples[0].targets.len() / examples[0].frames;
    let mut optimizer = AdamConfig::new().init();
    let mut rng = SmallRng::seed_from_u64(config.seed);
    let mut losses = Vec::with_capacity(config.steps);
    for _ in 0..config.steps {
        let (features, targets) = batch(examples, config, shape, outputs, &mut rng, device);
        let predictions = network.forward(features);
        let loss = weighted_binary_cross_entropy(predictions, targets, config.positive_weight);
        losses.push(loss.clone().into_scalar::<f32>());
        let gradients = GradientsParams::from_grads(loss.backward(), &network);
        network = optimizer.step(config.learning_rate, network, gradients);
    }
    Ok((network, losses))
}
