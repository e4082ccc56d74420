//! The optimisation loop: Adam on mini-batches of random excerpts of the training clips. A
//! second thread reads and standardises the next batches from the feature cache while the
//! network trains on the current one; the optimiser's state is kept across epochs.

use super::average::WeightAverage;
use super::examples::{standardise, Clip};
use super::loss::weighted_binary_cross_entropy;
use crate::model::network::TrainableNetwork;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, OptimizerRecord};
use burn::tensor::{Device, Tensor};
use earshot_dsp::Standardisation;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::sync::mpsc;

/// How to draw batches and step.
#[derive(Debug, Clone)]
pub struct FitConfig {
    pub batch: usize,
    /// Frames per excerpt.
    pub excerpt: usize,
    pub positive_weight: f32,
}

/// A batch as flat values: features `batch × excerpt × frame_len`, targets `batch × excerpt ×
/// outputs`.
struct Batch {
    features: Vec<f32>,
    targets: Vec<f32>,
}

/// Adam and the batch settings, carried from one epoch to the next.
pub struct Fitter {
    config: FitConfig,
    optimizer: ModuleOptimizer,
    device: Device,
}

/// Draws a batch of standardised excerpts. Clips shorter than an excerpt are padded with zeros.
fn draw(
    clips: &[Clip],
    config: &FitConfig,
    stats: &Standardisation,
    rng: &mut SmallRng,
) -> Result<Batch, String> {
    let (frame_len, outputs, excerpt) =
        (clips[0].features.frame_len(), clips[0].outputs(), config.excerpt);
    let mut batch = Batch {
        features: Vec::with_capacity(config.batch * excerpt * frame_len),
        targets: Vec::with_capacity(config.batch * excerpt * outputs),
    };
    for _ in 0..config.batch {
        let clip = &clips[rng.random_range(0..clips.len())];
        let length = excerpt.min(clip.frames());
        let start = rng.random_range(0..=clip.frames() - length);
        let from = batch.features.len();
        clip.features.read_into(start, length, &mut batch.features)?;
        standardise(&mut batch.features[from..], stats);
        batch.features.resize(batch.features.len() + (excerpt - length) * frame_len, 0.0);
        batch.targets.extend_from_slice(&clip.targets[start * outputs..(start + length) * outputs]);
        batch.targets.resize(batch.targets.len() + (excerpt - length) * outputs, 0.0);
    }
    Ok(batch)
}

impl Fitter {
    pub fn new(config: FitConfig, device: Device) -> Self {
        Fitter { config, optimizer: AdamConfig::new().init(), device }
    }

    /// Adam's state (moments and step counts per parameter), for a checkpoint.
    pub fn optimizer_record(&self) -> OptimizerRecord {
        self.optimizer.to_record()
    }

    /// Continues from a checkpoint's optimiser state.
    pub fn with_optimizer_record(mut self, record: OptimizerRecord) -> Self {
        self.optimizer = AdamConfig::new().init().load_record(record);
        self
    }

    /// Takes `steps` Adam steps at `learning_rate` on batches drawn with `seed`, blending each
    /// step's weights into `average` if given; returns the network and each step's loss.
    #[allow(clippy::too_many_arguments)]
    pub fn steps(
        &mut self,
        network: TrainableNetwork,
        clips: &[Clip],
        stats: &Standardisation,
        steps: usize,
        learning_rate: f64,
        seed: u64,
        mut average: Option<&mut WeightAverage>,
    ) -> Result<(TrainableNetwork, Vec<f32>), String> {
        if clips.is_empty() || clips.iter().any(|c| c.frames() == 0) {
            return Err("no training frames".into());
        }
        let shape = [network.architecture.channels, network.architecture.bins];
        let (batch, excerpt, outputs) =
            (self.config.batch, self.config.excerpt, clips[0].outputs());
        let mut losses = Vec::with_capacity(steps);
        let network = std::thread::scope(|scope| {
            let mut network = network;
            let (sender, batches) = mpsc::sync_channel(2);
            let config = &self.config;
            scope.spawn(move || {
                let mut rng = SmallRng::seed_from_u64(seed);
                for _ in 0..steps {
                    let drawn = draw(clips, config, stats, &mut rng);
                    let failed = drawn.is_err();
                    if sender.send(drawn).is_err() || failed {
                        break;
                    }
                }
            });
            for drawn in batches {
                let Batch { features, targets } = drawn?;
                let features = Tensor::<1>::from_floats(features.as_slice(), &self.device)
                    .reshape([batch, excerpt, shape[0], shape[1]]);
                let targets = Tensor::<1>::from_floats(targets.as_slice(), &self.device)
                    .reshape([batch, excerpt, outputs, 1]);
                let loss = weighted_binary_cross_entropy(
                    network.forward(features),
                    targets,
                    self.config.positive_weight,
                );
                losses.push(loss.clone().into_scalar::<f32>());
                let gradients = GradientsParams::from_grads(loss.backward(), &network);
                network = self.optimizer.step(learning_rate, network, gradients);
                if let Some(average) = average.as_deref_mut() {
                    average.update(&network);
                }
            }
            Ok::<_, String>(network)
        })?;
        Ok((network, losses))
    }
}
