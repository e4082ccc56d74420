//! The optimisation loop: Adam on mini-batches of random excerpts of the training clips. A
//! second thread reads and standardises the next batches from the feature cache while the
//! network trains on the current one; the optimiser's state is kept across epochs.

use super::average::WeightAverage;
use super::examples::{standardise, Clip};
use super::loss::DONT_CARE;
use super::pitch_shift::{PitchShift, SEMITONES};
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
    /// Frames per excerpt that the loss scores.
    pub excerpt: usize,
    /// Frames drawn before each excerpt only as the network's past: their targets are
    /// don't-care.
    pub warm_up: usize,
    /// Moves each excerpt to a transposition drawn from [`SEMITONES`]; `None`: as rendered.
    pub pitch_shift: Option<PitchShift>,
}

impl FitConfig {
    /// Frames drawn per excerpt, warm-up included.
    fn frames(&self) -> usize {
        self.warm_up + self.excerpt
    }
}

/// A batch as flat values: features `batch × frames × frame_len`, targets `batch × frames ×
/// outputs` (frames: warm-up and excerpt).
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

/// Draws a batch of standardised excerpts, each after its warm-up frames, whose targets are
/// [`DONT_CARE`], each pitch-shifted if the config says so. Clips shorter than warm-up and excerpt are padded with zeros at the end.
fn draw(
    clips: &[Clip],
    config: &FitConfig,
    stats: &Standardisation,
    rng: &mut SmallRng,
) -> Result<Batch, String> {
    let (frame_len, outputs, frames) =
        (clips[0].features.frame_len(), clips[0].outputs(), config.frames());
    let mut batch = Batch {
        features: Vec::with_capacity(config.batch * frames * frame_len),
        targets: Vec::with_capacity(config.batch * frames * outputs),
    };
    for _ in 0..config.batch {
        let clip = &clips[rng.random_range(0..clips.len())];
        let length = frames.min(clip.frames());
        let start = rng.random_range(0..=clip.frames() - length);
        let (features_from, targets_from) = (batch.features.len(), batch.targets.len());
        clip.features.read_into(start, length, &mut batch.features)?;
        batch.targets.extend_from_slice(&clip.targets[start * outputs..(start + length) * outputs]);
        if let Some(shift) = &config.pitch_shift {
            let semitones = rng.random_range(SEMITONES);
            shift.shift_features(&mut batch.features[features_from..], frame_len, semitones);
            (shift.transpose_targets)(&mut batch.targets[targets_from..], semitones);
        }
        standardise(&mut batch.features[features_from..], stats);
        batch.features.resize(features_from + frames * frame_len, 0.0);
        batch.targets.resize(targets_from + frames * outputs, 0.0);
        batch.targets[targets_from..targets_from + config.warm_up * outputs].fill(DONT_CARE);
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

    /// Takes `steps` Adam steps at `learning_rate` on batches drawn with `seed`, minimising
    /// `loss(predictions, targets)` (both `[batch, time, outputs, 1]`), blending each step's
    /// weights into `average` if given; returns the network and each step's loss.
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
        loss: impl Fn(Tensor<4>, Tensor<4>) -> Tensor<1>,
    ) -> Result<(TrainableNetwork, Vec<f32>), String> {
        if clips.is_empty() || clips.iter().any(|c| c.frames() == 0) {
            return Err("no training frames".into());
        }
        let shape = [network.architecture.channels, network.architecture.bins];
        let (batch, frames, outputs) =
            (self.config.batch, self.config.frames(), clips[0].outputs());
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
                    .reshape([batch, frames, shape[0], shape[1]]);
                let targets = Tensor::<1>::from_floats(targets.as_slice(), &self.device)
                    .reshape([batch, frames, outputs, 1]);
                let value = loss(network.forward(features), targets);
                losses.push(value.clone().into_scalar::<f32>());
                let gradients = GradientsParams::from_grads(value.backward(), &network);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::cache::{write, FeatureFile};

    /// A clip of `values`, 2 per frame, one frame per target, cached in `dir`.
    fn clip(dir: &std::path::Path, values: &[f32], targets: Vec<f32>) -> Clip {
        let path = dir.join(format!("{}.features", targets.len()));
        write(&path, targets.len(), 2, values).unwrap();
        Clip { features: FeatureFile::open(&path, 2).unwrap(), targets }
    }

    #[test]
    fn warm_up_frames_are_drawn_before_the_excerpt_and_left_out_of_the_loss() {
        let dir = tempfile::TempDir::new().unwrap();
        // 12 frames of 2 values; frame t holds t and −t, its target is t / 10.
        let values: Vec<f32> = (0..12).flat_map(|t| [t as f32, -(t as f32)]).collect();
        let long = clip(dir.path(), &values, (0..12).map(|t| t as f32 / 10.0).collect());
        let stats = Standardisation { mean: vec![0.0; 2], std: vec![1.0; 2] };
        let config = FitConfig { batch: 3, excerpt: 5, warm_up: 3, pitch_shift: None };
        let batch = draw(&[long], &config, &stats, &mut SmallRng::seed_from_u64(7)).unwrap();
        assert_eq!((batch.features.len(), batch.targets.len()), (3 * 8 * 2, 3 * 8));
        for (features, targets) in batch.features.chunks(16).zip(batch.targets.chunks(8)) {
            let start = features[0] as usize;
            // Eight consecutive frames of the clip: three of warm-up, then the scored five.
            let frames: Vec<f32> =
                (start..start + 8).flat_map(|t| [t as f32, -(t as f32)]).collect();
            assert_eq!(features, frames);
            assert_eq!(targets[..3], [DONT_CARE; 3]);
            let scored: Vec<f32> = (start + 3..start + 8).map(|t| t as f32 / 10.0).collect();
            assert_eq!(targets[3..], scored);
        }
        // A clip shorter than warm-up and excerpt is padded at the end, with targets of 0.
        let short = clip(dir.path(), &values[..8], vec![1.0; 4]);
        let batch = draw(&[short], &config, &stats, &mut SmallRng::seed_from_u64(7)).unwrap();
        assert_eq!(batch.targets[..8], [DONT_CARE, DONT_CARE, DONT_CARE, 1.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(
            batch.features[..16],
            [0.0, 0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        );
    }
}
