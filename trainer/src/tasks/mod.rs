//! What training a task takes, one file per task behind one trait: how a render's labels become
//! frame targets, the loss, and the validation score — computed by Earshot's engine on the
//! exported weights, so that model selection scores exactly what users get.

pub mod beats;
pub mod chords;
pub mod key;
pub mod onsets;
pub mod voice;

use crate::train::pitch_shift::TransposeTargets;
use burn::tensor::Tensor;
use std::path::{Path, PathBuf};

/// A render: its folder and file stem.
pub type Render = (PathBuf, String);

/// One task's training.
pub trait TrainingTask: Sync {
    /// A training render's labels, read before any feature is computed, so that a broken label
    /// file stops a run at once.
    type Labels: Send + Sync;
    /// A validation render's reference.
    type Reference: Send + Sync;

    /// The ending of the label file a usable render has beside its audio (`.onsets.txt`).
    fn label_suffix(&self) -> &'static str;

    /// Outputs the network is trained with beyond those it is exported with (auxiliary
    /// targets); 0 for none.
    fn extra_outputs(&self) -> usize;

    /// How to move a clip's targets with its music for pitch-shift augmentation; `None` when
    /// they do not follow the pitch.
    fn transpose_targets(&self) -> Option<TransposeTargets>;

    fn labels(&self, render: &Render) -> Result<Self::Labels, String>;

    /// A clip's targets for `frames` frames: every output's, frame by frame.
    fn targets(&self, labels: &Self::Labels, frames: usize) -> Result<Vec<f32>, String>;

    /// The loss of a batch; `predictions` and `targets` are `[batch, time, outputs, 1]`.
    fn loss(&self, predictions: Tensor<4>, targets: Tensor<4>) -> Tensor<1>;

    fn reference(&self, render: &Render) -> Result<Self::Reference, String>;

    /// The score (higher is better) of exported `weights` on one render's audio, run by the
    /// engine.
    fn score(
        &self,
        weights: &[u8],
        audio: &Path,
        reference: &Self::Reference,
    ) -> Result<f64, String>;

    /// The score's name in logs and plots.
    fn score_name(&self) -> &'static str;

    /// One line on the training labels for the run's report.
    fn describe(&self, labels: &[Self::Labels]) -> String;
}
