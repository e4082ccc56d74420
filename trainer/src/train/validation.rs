//! Validation as users get it: the exported weights scored by the task (which runs them in
//! Earshot's engine, as the plug-in and the `earshot` command do) on whole validation renders.

use crate::tasks::TrainingTask;
use rayon::prelude::*;
use std::path::PathBuf;

/// A validation render: its audio and the task's reference for it.
#[derive(Debug, Clone)]
pub struct ValidationClip<R> {
    pub audio: PathBuf,
    pub reference: R,
}

/// The mean of the task's score of `weights` over the clips, clips in parallel.
pub fn mean_score<T: TrainingTask>(
    task: &T,
    weights: &[u8],
    clips: &[ValidationClip<T::Reference>],
) -> Result<f64, String> {
    let scores = clips
        .par_iter()
        .map(|clip| task.score(weights, &clip.audio, &clip.reference))
        .collect::<Result<Vec<f64>, String>>()?;
    Ok(scores.iter().sum::<f64>() / scores.len().max(1) as f64)
}
