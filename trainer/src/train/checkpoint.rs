//! Checkpoints: after every epoch the run saves the network's parameters, Adam's state and where
//! it stands, so an interrupted run resumes where it stopped and ends as if never interrupted.
//!
//! A checkpoint is a folder beside the weights (`WEIGHTS.checkpoint/`) holding, for epoch E,
//! `network-E.bpk` and `optimizer-E.bpk` (burn's burnpack records, which keep the parameter ids
//! Adam's state is keyed by), `average-E.bpk` when the run averages its weights, and
//! `progress.json`, which names the epoch. Each file is written under a temporary name and
//! renamed (burn does so for its records), the progress last, and only then are the previous
//! epoch's records removed: a crash at any moment leaves a whole checkpoint, of one epoch.

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

/// The record `name` (network, optimizer, average) of `epoch` in the checkpoint folder `dir`.
fn record_path(dir: &Path, name: &str, epoch: usize) -> PathBuf {
    dir.join(format!("{name}-{epoch}.bpk"))
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
    save_network(&record_path(dir, "network", progress.epoch), network)?;
    if let Some(average) = average {
        save_network(&record_path(dir, "average", progress.epoch), average)?;
    }
    let optimizer_path = record_path(dir, "optimizer", progress.epoch);
    optimizer.save(&optimizer_path).map_err(|e| failed(&optimizer_path, &e))?;
    let (progress_path, temporary) = (dir.join("progress.json"), dir.join("progress.partial"));
    let json = serde_json::to_string_pretty(progress).expect("progress serialises");
    std::fs::write(&temporary, json).map_err(|e| failed(&temporary, &e))?;
    std::fs::rename(&temporary, &progress_path).map_err(|e| failed(&progress_path, &e))?;
    remove_other_epochs(dir, progress.epoch)
}

/// Writes `network`'s record to `path`.
fn save_network(path: &Path, network: &TrainableNetwork) -> Result<(), String> {
    network.clone().into_record().save(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads the record at `path` onto `network` (a network of the same architecture).
fn load_network(path: &Path, network: TrainableNetwork) -> Result<TrainableNetwork, String> {
    let failed = |e: &dyn std::fmt::Display| format!("checkpoint {}: {e}", path.display());
    let record = ModuleRecord::load(path).map_err(|e| failed(&e))?;
    network.try_load_record(record).map_err(|e| failed(&e))
}

/// Removes the records of every epoch but `epoch` from `dir` (those of the checkpoint just
/// replaced, or of an epoch a crash left unfinished).
fn remove_other_epochs(dir: &Path, epoch: usize) -> Result<(), String> {
    let keep = ["network", "optimizer", "average"].map(|name| record_path(dir, name, epoch));
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|x| x == "bpk") && !keep.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
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
    let network = load_network(&record_path(dir, "network", progress.epoch), network)?;
    let optimizer_path = record_path(dir, "optimizer", progress.epoch);
    let optimizer =
        OptimizerRecord::load(&optimizer_path).map_err(|e| failed(&optimizer_path, &e))?;
    Ok(Some((network, optimizer, progress)))
}

/// Loads the averaged weights saved in `dir` for `epoch` (the loaded progress's) onto `network`
/// (a network of the same architecture).
pub fn load_average(
    dir: &Path,
    epoch: usize,
    network: TrainableNetwork,
) -> Result<TrainableNetwork, String> {
    load_network(&record_path(dir, "average", epoch), network)
}
