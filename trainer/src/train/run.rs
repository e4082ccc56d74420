//! A whole training run from a config file and folders of renders: the split enforced, features
//! cached on disk (computed in parallel the first time), Adam epochs with a decaying learning
//! rate, validation after each epoch by Earshot's engine running the exported weights, early
//! stopping, the best model exported with the command that made it, a JSON-lines log and a
//! learning-curve plot beside the weights, and a checkpoint after every epoch to resume from.
//!
//! Every epoch draws its batches and dropout masks from seeds derived from the config's seed
//! and the epoch number, so a resumed run takes the same steps as an uninterrupted one.

use super::average::WeightAverage;
use super::cache::FeatureFile;
use super::checkpoint::{self, Progress};
use super::config::TrainConfig;
use super::curves::{self, EpochPoint};
use super::examples::{self, Clip, OnsetTargets, PITCHES};
use super::fit::{FitConfig, Fitter};
use super::validation::{self, ValidationClip};
use crate::dataset::splits::{self, Split};
use crate::model::export::to_spec;
use crate::model::network::TrainableNetwork;
use burn::module::Module;
use burn::tensor::Device;
use earshot_dsp::{FrontendConfig, Standardisation};
use earshot_io::annotations::events::{self, Event};
use earshot_io::annotations::salience;
use earshot_io::annotations::suffix;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub config: PathBuf,
    /// Folders of rendered songs (`NNN[-vK].wav` with `.onsets.txt` beside); the config's song
    /// lists pick the training and validation renders from all of them. Each folder's feature
    /// cache is its `features/` subfolder.
    pub renders: Vec<PathBuf>,
    /// Where the best weights go (`.esw`); the log (`.log.jsonl`), the plot (`.curves.png`) and
    /// the checkpoint (`.checkpoint/`) go beside it.
    pub out: PathBuf,
    /// Continue from the checkpoint beside `out` (an error if there is none).
    pub resume: bool,
    /// Stop after this many epochs in this invocation, checkpoint saved, to resume later.
    pub stop_after: Option<usize>,
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
    /// Labelled onsets in the training renders, and how many of them were don't-care.
    pub training_onsets: usize,
    pub dont_care_onsets: usize,
}

/// A render: its folder and file stem.
type Render = (PathBuf, String);

/// Renders in `dirs` whose song id (the stem's first three digits) is in `ids`.
fn stems_for(dirs: &[PathBuf], ids: &[u32]) -> Result<Vec<Render>, String> {
    let mut stems = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        stems.extend(
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|name| name.strip_suffix(suffix::ONSETS).map(str::to_string))
                .filter(|stem| {
                    let id = stem.get(..3).and_then(|id| id.parse::<u32>().ok());
                    id.is_some_and(|id| ids.contains(&id))
                })
                .map(|stem| (dir.clone(), stem)),
        );
    }
    stems.sort();
    Ok(stems)
}

/// Each render's cached features (computed in parallel where missing).
fn load(
    stems: &[Render],
    frontend: &FrontendConfig,
    bar: &ProgressBar,
) -> Result<Vec<FeatureFile>, String> {
    bar.set_length(stems.len() as u64);
    bar.set_position(0);
    stems
        .par_iter()
        .map(|(dir, stem)| {
            let cache = dir.join("features");
            std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
            let features =
                FeatureFile::for_audio(&cache, &dir.join(format!("{stem}.wav")), frontend)?;
            bar.inc(1);
            Ok(features)
        })
        .collect()
}

/// A render's onset label file.
fn onsets_path((dir, stem): &Render) -> PathBuf {
    dir.join(format!("{stem}{}", suffix::ONSETS))
}

/// A render's labelled onsets.
fn onsets_of(render: &Render) -> Result<Vec<Event>, String> {
    events::read(&onsets_path(render)).map_err(|e| e.to_string())
}

/// A render's onsets split into targets and the don't-care ones less salient than `min_db`, from
/// its salience file (all targets when `min_db` is absent).
fn split_by_salience(
    render: &Render,
    min_db: Option<f64>,
) -> Result<(Vec<Event>, Vec<Event>), String> {
    let onsets = onsets_of(render)?;
    let Some(min_db) = min_db else { return Ok((onsets, Vec::new())) };
    let (dir, stem) = render;
    let path = dir.join(format!("{stem}{}", suffix::SALIENCE));
    if !path.exists() {
        return Err(format!(
            "{}: missing; dont_care_below_db needs the training renders' salience \
             (earshot-train dataset render --salience)",
            path.display()
        ));
    }
    salience::split_by_salience(onsets, |e| e.time, &onsets_path(render), &path, min_db)
        .map_err(|e| e.to_string())
}

/// A render's pitched note starts, for auxiliary pitch targets.
fn notes_of((dir, stem): &Render) -> Result<Vec<Event>, String> {
    let path = dir.join(format!("{stem}{}", suffix::NOTES));
    if !path.exists() {
        return Err(format!(
            "{}: missing; pitch_onsets_weight needs each training render's note starts, \
             which earshot-train dataset render writes (render older folders again)",
            path.display()
        ));
    }
    events::read(&path).map_err(|e| e.to_string())
}

/// The split checks and the training and validation renders the config names.
fn select(config: &TrainConfig, dirs: &[PathBuf]) -> Result<(Vec<Render>, Vec<Render>), String> {
    let train_ids = splits::parse_songs(&config.train_songs)?;
    splits::ensure_training(&train_ids)?;
    let validation_ids = splits::parse_songs(&config.validation_songs)?;
    if let Some(id) =
        validation_ids.iter().find(|id| splits::split(**id) != Some(Split::Validation))
    {
        return Err(format!("song {id:03} is not a validation song (validate on 701–850)"));
    }
    let (train, validation) = (stems_for(dirs, &train_ids)?, stems_for(dirs, &validation_ids)?);
    if train.is_empty() || validation.is_empty() {
        let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(format!(
            "{} hold {} training and {} validation renders; both are needed",
            names.join(", "),
            train.len(),
            validation.len()
        ));
    }
    Ok((train, validation))
}

/// A seed for one purpose in one epoch, derived from the run's seed.
fn epoch_seed(seed: u64, epoch: usize, purpose: u64) -> u64 {
    seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ ((epoch as u64) << 8 | purpose)
}

fn progress_bar(shown: bool, template: &str) -> ProgressBar {
    let bar = if shown { ProgressBar::new(0) } else { ProgressBar::hidden() };
    bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
    bar
}

/// Runs training as `options` says.
pub fn run(options: &RunOptions) -> Result<RunReport, String> {
    let config = TrainConfig::read(&options.config)?;
    if config.task != "onsets" {
        return Err(format!("task {:?} cannot be trained yet: only onsets can", config.task));
    }
    // The output's folder first, so that a run does not compute features only to fail there.
    if let Some(folder) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    let config_json = serde_json::to_string(&config).expect("configs serialise");
    let checkpoint_dir = checkpoint::folder(&options.out);
    let o = &config.optimisation;
    let device = Device::flex().autodiff();
    device.seed(epoch_seed(o.seed, 0, 0));
    let trained_architecture = match o.pitch_onsets_weight {
        Some(_) => config.architecture.with_extra_outputs(PITCHES.len())?,
        None => config.architecture.clone(),
    };
    let fresh = TrainableNetwork::new(&trained_architecture, &device)?
        .with_batch_norm_momentum(o.batch_norm_momentum);
    let resumed = if options.resume {
        let loaded = checkpoint::load(&checkpoint_dir, fresh.clone())?;
        let found = loaded
            .ok_or_else(|| format!("--resume: no checkpoint in {}", checkpoint_dir.display()))?;
        if found.2.config != config_json {
            return Err(format!(
                "--resume: the checkpoint in {} was made with a different config",
                checkpoint_dir.display()
            ));
        }
        Some(found)
    } else {
        None
    };

    let frame_rate = config.frame_rate();
    let (train_stems, validation_stems) = select(&config, &options.renders)?;
    let loading = progress_bar(options.progress, "features {pos}/{len} [{bar:30}] {elapsed}");
    let targets = OnsetTargets {
        frame_rate,
        neighbour: o.neighbour_target,
        look_ahead: config.look_ahead,
        slow_extra: o.slow_onset_extra_frames,
    };
    // Labels first, so a broken or missing file stops the run before the features are computed.
    let train_onsets = train_stems
        .iter()
        .map(|render| split_by_salience(render, o.dont_care_below_db))
        .collect::<Result<Vec<_>, String>>()?;
    let train_notes = match o.pitch_onsets_weight {
        Some(_) => Some(train_stems.iter().map(notes_of).collect::<Result<Vec<_>, String>>()?),
        None => None,
    };
    let validation_onsets =
        validation_stems.iter().map(onsets_of).collect::<Result<Vec<_>, _>>()?;
    let train: Vec<Clip> = load(&train_stems, &config.frontend, &loading)?
        .into_iter()
        .zip(&train_onsets)
        .enumerate()
        .map(|(index, (features, (scored, ignored)))| {
            let onsets = targets.for_clip(scored, ignored, features.frames());
            let targets = match &train_notes {
                Some(notes) => examples::with_pitch_targets(&onsets, &notes[index], &targets)?,
                None => onsets,
            };
            Ok(Clip { targets, features })
        })
        .collect::<Result<_, String>>()?;
    let validation: Vec<ValidationClip> = validation_stems
        .iter()
        .zip(validation_onsets)
        .map(|((dir, stem), onsets)| ValidationClip {
            audio: dir.join(format!("{stem}.wav")),
            onsets: onsets.iter().map(|e| e.time).collect(),
        })
        .collect();
    loading.finish_and_clear();
    let stats = examples::standardisation(&train)?;

    let (mut network, mut fitter, mut progress) = match resumed {
        Some((network, optimizer, progress)) => {
            let fitter =
                Fitter::new(fit_config(&config), device.clone()).with_optimizer_record(optimizer);
            (network, fitter, progress)
        }
        None => {
            let progress = Progress {
                config: config_json,
                epoch: 0,
                best_epoch: 0,
                best_score: f64::NEG_INFINITY,
                training_seconds: 0.0,
            };
            (fresh, Fitter::new(fit_config(&config), device.clone()), progress)
        }
    };
    let mut average = match o.weight_average_decay {
        Some(decay) if options.resume => {
            let saved = checkpoint::load_average(&checkpoint_dir, progress.epoch, network.valid())?;
            let updates = (progress.epoch * o.steps_per_epoch) as u64;
            Some(WeightAverage::new(decay, &saved, updates))
        }
        Some(decay) => Some(WeightAverage::new(decay, &network, 0)),
        None => None,
    };
    let log_path = options.out.with_extension("log.jsonl");
    if options.resume {
        keep_logged_epochs(&log_path, progress.epoch)?;
    }
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(options.resume)
        .truncate(!options.resume)
        .open(&log_path)
        .map_err(|e| format!("{}: {e}", log_path.display()))?;
    let bar = progress_bar(options.progress, "epoch {pos}/{len} [{bar:30}] {msg}");
    bar.set_length(o.epochs as u64);
    bar.set_position(progress.epoch as u64);
    let last_epoch = o.epochs.min(progress.epoch + options.stop_after.unwrap_or(o.epochs));
    while progress.epoch < last_epoch && progress.epoch - progress.best_epoch < o.patience.max(1) {
        let epoch = progress.epoch + 1;
        let learning_rate = o.learning_rate * o.learning_rate_decay.powi(epoch as i32 - 1);
        device.seed(epoch_seed(o.seed, epoch, 1));
        let epoch_start = Instant::now();
        let (trained, losses) = fitter.steps(
            network,
            &train,
            &stats,
            o.steps_per_epoch,
            learning_rate,
            epoch_seed(o.seed, epoch, 2),
            average.as_mut(),
        )?;
        network = trained;
        progress.training_seconds += epoch_start.elapsed().as_secs_f64();
        let averaged = average.as_ref().map(|a| a.averaged(&network));
        let validated = averaged.as_ref().unwrap_or(&network);
        let spec = export(validated, &config, &stats, options, &train_stems, &validation_stems)?;
        let weights = earshot_nn::format::write(&spec);
        let score = validation::onset_f_measure(&weights, &validation)?;
        let loss = losses.iter().sum::<f32>() / losses.len() as f32;
        let line = serde_json::json!({"epoch": epoch, "loss": loss, "validation_f_measure": score,
            "learning_rate": learning_rate, "seconds": epoch_start.elapsed().as_secs_f64()});
        writeln!(log, "{line}").map_err(|e| format!("{}: {e}", log_path.display()))?;
        if score > progress.best_score {
            (progress.best_score, progress.best_epoch) = (score, epoch);
            let mut spec = spec;
            spec.metadata.push(("epoch".into(), epoch.to_string()));
            spec.metadata.push(("validation_onset_f_measure".into(), format!("{score:.4}")));
            std::fs::write(&options.out, earshot_nn::format::write(&spec))
                .map_err(|e| format!("{}: {e}", options.out.display()))?;
        }
        progress.epoch = epoch;
        checkpoint::save(
            &checkpoint_dir,
            &network,
            averaged.as_ref(),
            fitter.optimizer_record(),
            &progress,
        )?;
        curves::plot(&options.out.with_extension("curves.png"), &read_log(&log_path)?, "onset F")?;
        bar.set_message(format!(
            "loss {loss:.4}, validation F {score:.4} (best {:.4})",
            progress.best_score
        ));
        bar.set_position(epoch as u64);
    }
    bar.finish();
    Ok(RunReport {
        epochs: progress.epoch,
        best_epoch: progress.best_epoch,
        best_score: progress.best_score,
        steps_per_second: (progress.epoch * o.steps_per_epoch) as f64
            / progress.training_seconds.max(1e-9),
        seconds_per_epoch: progress.training_seconds / progress.epoch.max(1) as f64,
        training_onsets: train_onsets.iter().map(|(s, i)| s.len() + i.len()).sum(),
        dont_care_onsets: train_onsets.iter().map(|(_, i)| i.len()).sum(),
    })
}

fn fit_config(config: &TrainConfig) -> FitConfig {
    let o = &config.optimisation;
    FitConfig {
        batch: o.batch,
        excerpt: o.excerpt,
        warm_up: o.warm_up,
        positive_weight: o.positive_weight,
        auxiliary_weight: o.pitch_onsets_weight.unwrap_or(0.0),
    }
}

/// The network as an `earshot-nn` model with the training set's standardisation and the
/// metadata that says how it was made.
fn export(
    network: &TrainableNetwork,
    config: &TrainConfig,
    stats: &Standardisation,
    options: &RunOptions,
    train_stems: &[Render],
    validation_stems: &[Render],
) -> Result<earshot_nn::ModelSpec, String> {
    let metadata = vec![
        ("command".to_string(), options.command.clone()),
        ("config".to_string(), serde_json::to_string(config).expect("configs serialise")),
        ("look_ahead_frames".to_string(), config.look_ahead.to_string()),
        ("train_renders".to_string(), train_stems.len().to_string()),
        ("validation_renders".to_string(), validation_stems.len().to_string()),
        (
            "trainer".to_string(),
            format!("earshot-trainer {} with burn 0.22.1 (flex)", env!("CARGO_PKG_VERSION")),
        ),
    ];
    let frontend =
        FrontendConfig { standardisation: Some(stats.clone()), ..config.frontend.clone() };
    to_spec(
        &network.valid().keeping_outputs_of(&config.architecture)?,
        &config.task,
        frontend,
        metadata,
    )
}

/// Drops the log lines of epochs after `epochs`: a run stopped between logging an epoch and
/// saving its checkpoint repeats that epoch when resumed, and must not log it twice.
fn keep_logged_epochs(path: &Path, epochs: usize) -> Result<(), String> {
    if !path.exists() {
        return Ok(());
    }
    let logged = read_log(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let kept: String = text
        .lines()
        .zip(&logged)
        .filter(|(_, point)| point.epoch <= epochs)
        .map(|(line, _)| format!("{line}\n"))
        .collect();
    std::fs::write(path, kept).map_err(|e| format!("{}: {e}", path.display()))
}

/// The epochs logged so far in a run's JSON-lines log.
fn read_log(path: &Path) -> Result<Vec<EpochPoint>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{}: {e}", path.display()))?;
            let number =
                |key: &str| value[key].as_f64().ok_or(format!("{}: no {key}", path.display()));
            Ok(EpochPoint {
                epoch: number("epoch")? as usize,
                loss: number("loss")?,
                score: number("validation_f_measure")?,
            })
        })
        .collect()
}
