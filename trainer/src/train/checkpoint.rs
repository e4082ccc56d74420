//! Checkpoints: after every epoch the run saves the network's parameters, Adam's state and where
//! it stands, so an interrupted run resumes where it stopped and ends as if never interrupted.
//!
//! A checkpoint is a folder beside the weights (`WEIGHTS.checkpoint/`) holding `network.bpk`
//! and `optimizer.bpk` (burn's burnpack records, which keep the parameter ids Adam's state is
//! keyed by), `average.bpk` when the run averages its weights, and `progress.json`. Each file
//! is written under a temporary name and renamed (burn does so for its records), the progress
//! last, so a crash never leaves a torn file.

use crate::model::network::TrainableNetwork;
use burn::module::Module;
use burn::optim::OptimizerRecord;
use burn::store::ModuleRecord;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where a run stands after an epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The config the run trains, as JSON: resuming under a different one is refused.
    pub config: String,
    /// Epochs completed.
    pub epoch: usize,
    pub best_epoch: usize,
    pub best_score: f64,
    /// Seconds spent in training steps so far (validation excluded).
    pub training_seconds: f64,
}

/// The checkpoint folder of a run writing `weights`.
pub fn folder(weights: &Path) -> PathBuf {
    weights.with_extension("checkpoint")
}

/// Saves a checkpoint into `dir`, with the averaged weights if the run keeps an average.
pub fn save(
    dir: &Path,
    network: &TrainableNetwork,
    average: Option<&TrainableNetwork>,
    optimizer: OptimizerRecord,
    progress: &Progress,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let failed = |p: &Path, e: &dyn std::fmt::Display| format!("{}: {e}", p.display());
    let network_path = dir.join("network.bpk");
    network.clone().into_record().save(&network_path).map_err(|e| failed(&network_path, &e))?;
    if let Some(average) = average {
        let average_path = dir.join("average.bpk");
        average.clone().into_record().save(&average_path).map_err(|e| failed(&average_path, &e))?;
    }
    let optimizer_path = dir.join("optimizer.bpk");
    optimizer.save(&optimizer_path).map_err(|e| failed(&optimizer_path, &e))?;
    let (progress_path, temporary) = (dir.join("progress.json"), dir.join("progress.partial"));
    let json = serde_json::to_string_pretty(progress).expect("progress serialises");
    std::fs::write(&temporary, json).map_err(|e| failed(&temporary, &e))?;
    std::fs::rename(&temporary, &progress_path).map_err(|e| failed(&progress_path, &e))
}

/// Loads the checkpoint in `dir` onto `network` (a freshly built network of the same
/// architecture); `None` if there is none.
pub fn load(
    dir: &Path,
    network: TrainableNetwork,
) -> Result<Option<(TrainableNetwork, OptimizerRecord, Progress)>, String> {
    let progress_path = dir.join("progress.json");
    if !progress_path.exists() {
        return Ok(None);
    }
    let failed = |p: &Path, e: &dyn std::fmt::Display| format!("checkpoint {}: {e}", p.display());
    let text = std::fs::read_to_string(&progress_path).map_err(|e| failed(&progress_path, &e))?;
    let progress: Progress = serde_json::from_str(&text).map_err(|e| failed(&progress_path, &e))?;
    let network_path = dir.join("network.bpk");
    let record = ModuleRecord::load(&network_path).map_err(|e| failed(&network_path, &e))?;
    let network = network.try_load_record(record).map_err(|e| failed(&network_path, &e))?;
    let optimizer_path = dir.join("optimizer.bpk");
    let optimizer =
        OptimizerRecord::load(&optimizer_path).map_err(|e| failed(&optimizer_path, &e))?;
    Ok(Some((network, optimizer, progress)))
}

/// Loads the averaged weights saved in `dir` onto `network` (a network of the same
/// architecture).
pub fn load_average(dir: &Path, network: TrainableNetwork) -> Result<TrainableNetwork, String> {
    let path = dir.join("average.bpk");
    let failed = |e: &dyn std::fmt::Display| format!("checkpoint {}: {e}", path.display());
    let record = ModuleRecord::load(&path).map_err(|e| failed(&e))?;
    network.try_load_record(record).map_err(|e| failed(&e))
}
