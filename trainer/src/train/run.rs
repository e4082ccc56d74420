//! A whole training run from a config file and a folder of renders: the split enforced, features
//! computed in parallel, Adam epochs with a decaying learning rate, validation after each epoch
//! with the task's metric, early stopping, the best model exported with the command that made
//! it, and a JSON-lines log.

use super::config::TrainConfig;
use super::examples::{self, Example};
use super::fit::{FitConfig, Fitter};
use super::validation;
use crate::annotations::events;
use crate::audio;
use crate::dataset::splits::{self, Split};
use crate::model::export::to_spec;
use crate::model::network::TrainableNetwork;
use burn::module::Module;
use burn::tensor::Device;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub config: PathBuf,
    /// Rendered songs (`NNN[-vK].wav` with `.onsets.txt` beside), train and validation together.
    pub renders: PathBuf,
    /// Where the best weights go (`.esw`); the log goes beside it (`.log.jsonl`).
    pub out: PathBuf,
    /// The command line that reproduces this run, recorded in the weights.
    pub command: String,
    pub progress: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct RunReport {
    pub epochs: usize,
    pub best_epoch: usize,
    pub best_score: f64,
    pub steps_per_second: f64,
    pub seconds_per_epoch: f64,
}

/// Renders in `dir` whose song id (the stem's first three digits) is in `ids`.
fn stems_for(dir: &Path, ids: &[u32]) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut stems: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".onsets.txt").map(str::to_string))
        .filter(|stem| {
            stem.get(..3).and_then(|id| id.parse::<u32>().ok()).is_some_and(|id| ids.contains(&id))
        })
        .collect();
    stems.sort();
    Ok(stems)
}

/// Features and onset targets of each render, computed in parallel.
fn load(
    dir: &Path,
    stems: &[String],
    config: &TrainConfig,
    frame_rate: f64,
) -> Result<Vec<(Example, Vec<f64>)>, String> {
    stems
        .par_iter()
        .map(|stem| {
            let audio = audio::read(&dir.join(format!("{stem}.wav"))).map_err(|e| e.to_string())?;
            let onsets = events::read_times(&dir.join(format!("{stem}.onsets.txt")))
                .map_err(|e| e.to_string())?;
            let (frames, features) = examples::features(&audio, &config.frontend)?;
            let targets = examples::onset_targets(
                &onsets,
                frames,
                frame_rate,
                config.optimisation.neighbour_target,
            );
            Ok((Example { frames, features, targets }, onsets))
        })
        .collect()
}

/// Runs training as `options` says.
pub fn run(options: &RunOptions) -> Result<RunReport, String> {
    let config = TrainConfig::read(&options.config)?;
    if config.task != "onsets" {
        return Err(format!("task {:?} cannot be trained yet: only onsets can", config.task));
    }
    let train_ids = splits::parse_songs(&config.train_songs)?;
    splits::ensure_training(&train_ids)?;
    let validation_ids = splits::parse_songs(&config.validation_songs)?;
    if let Some(id) =
        validation_ids.iter().find(|id| splits::split(**id) != Some(Split::Validation))
    {
        return Err(format!("song {id:03} is not a validation song (validate on 701–850)"));
    }
    let frame_rate = config.frontend.sample_rate as f64 / config.frontend.hop_length as f64;
    let (train_stems, validation_stems) =
        (stems_for(&options.renders, &train_ids)?, stems_for(&options.renders, &validation_ids)?);
    if train_stems.is_empty() || validation_stems.is_empty() {
        return Err(format!(
            "{} holds {} training and {} validation renders; both are needed",
            options.renders.display(),
            train_stems.len(),
            validation_stems.len()
        ));
    }
    let mut train: Vec<Example> = load(&options.renders, &train_stems, &config, frame_rate)?
        .into_iter()
        .map(|(e, _)| e)
        .collect();
    let mut validation = load(&options.renders, &validation_stems, &config, frame_rate)?;
    let stats = examples::standardisation(&train, config.frontend.frame_len());
    train.iter_mut().for_each(|e| examples::standardise(e, &stats));
    validation.iter_mut().for_each(|(e, _)| examples::standardise(e, &stats));

    let o = &config.optimisation;
    let device = Device::flex().autodiff();
    device.seed(o.seed);
    let mut network = TrainableNetwork::new(&config.architecture, &device)?;
    let mut fitter = Fitter::new(
        FitConfig {
            batch: o.batch,
            excerpt: o.excerpt,
            positive_weight: o.positive_weight,
            seed: o.seed,
        },
        device,
    );
    let log_path = options.out.with_extension("log.jsonl");
    let mut log =
        std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let bar =
        if options.progress { ProgressBar::new(o.epochs as u64) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("epoch {pos}/{len} [{bar:30}] {msg}").expect("valid template"),
    );
    let (mut best_score, mut best_epoch, mut epochs, mut training_seconds) =
        (f64::NEG_INFINITY, 0, 0, 0.0);
    for epoch in 1..=o.epochs {
        let learning_rate = o.learning_rate * o.learning_rate_decay.powi(epoch as i32 - 1);
        let epoch_start = Instant::now();
        let (trained, losses) = fitter.steps(network, &train, o.steps_per_epoch, learning_rate)?;
        network = trained;
        training_seconds += epoch_start.elapsed().as_secs_f64();
        let inference = network.valid();
        let score =
            validation::onset_f_measure(&inference, &validation, frame_rate, &Device::flex());
        let loss = losses.iter().sum::<f32>() / losses.len() as f32;
        let line = serde_json::json!({"epoch": epoch, "loss": loss, "validation_f_measure": score, "learning_rate": learning_rate, "seconds": epoch_start.elapsed().as_secs_f64()});
        writeln!(log, "{line}").map_err(|e| format!("{}: {e}", log_path.display()))?;
        bar.set_message(format!(
            "loss {loss:.4}, validation F {score:.4} (best {:.4})",
            best_score.max(score)
        ));
        bar.inc(1);
        epochs = epoch;
        if score > best_score {
            (best_score, best_epoch) = (score, epoch);
            let metadata = vec![
                ("command".to_string(), options.command.clone()),
                ("config".to_string(), serde_json::to_string(&config).expect("configs serialise")),
                ("train_renders".to_string(), train_stems.len().to_string()),
                ("validation_renders".to_string(), validation_stems.len().to_string()),
                ("epoch".to_string(), epoch.to_string()),
                ("validation_onset_f_measure".to_string(), format!("{score:.4}")),
                (
                    "trainer".to_string(),
                    format!(
                        "earshot-trainer {} with burn 0.22.1 (flex)",
                        env!("CARGO_PKG_VERSION")
                    ),
                ),
            ];
            let frontend = earshot_dsp::FrontendConfig {
                standardisation: Some(stats.clone()),
                ..config.frontend.clone()
            };
            let spec = to_spec(&inference, &config.task, frontend, metadata)?;
            std::fs::write(&options.out, earshot_nn::format::write(&spec))
                .map_err(|e| format!("{}: {e}", options.out.display()))?;
        } else if epoch - best_epoch >= o.patience {
            break;
        }
    }
    bar.finish();
    Ok(RunReport {
        epochs,
        best_epoch,
        best_score,
        steps_per_second: (epochs * o.steps_per_epoch) as f64 / training_seconds.max(1e-9),
        seconds_per_epoch: training_seconds / epochs.max(1) as f64,
    })
}
