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
use super::examples::{self, Clip};
use super::fit::{FitConfig, Fitter};
use super::pitch_shift::{self, PitchShift};
use super::validation::{self, ValidationClip};
use crate::dataset::splits::{self, Split};
use crate::model::export::to_spec;
use crate::model::network::TrainableNetwork;
use crate::tasks::beats::BeatTraining;
use crate::tasks::chords::ChordTraining;
use crate::tasks::key::KeyTraining;
use crate::tasks::onsets::OnsetTraining;
use crate::tasks::voice::VoiceTraining;
use crate::tasks::{Render, TrainingTask};
use burn::module::Module;
use burn::tensor::Device;
use earshot_dsp::{FrontendConfig, Standardisation};
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

#[derive(Debug, Clone)]
pub struct RunReport {
    pub epochs: usize,
    pub best_epoch: usize,
    pub best_score: f64,
    /// The validation score's name ("onset F").
    pub score_name: &'static str,
    pub steps_per_second: f64,
    pub seconds_per_epoch: f64,
    /// One line on the training labels (the task's own).
    pub labels: String,
}

/// Renders in `dirs` with a `label_suffix` file whose song id (the stem's first three digits) is
/// in `ids`.
fn stems_for(dirs: &[PathBuf], ids: &[u32], label_suffix: &str) -> Result<Vec<Render>, String> {
    let mut stems = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        stems.extend(
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|name| name.strip_suffix(label_suffix).map(str::to_string))
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

/// The split checks and the training and validation renders the config names.
fn select(
    config: &TrainConfig,
    dirs: &[PathBuf],
    label_suffix: &str,
) -> Result<(Vec<Render>, Vec<Render>), String> {
    let train_ids = splits::parse_songs(&config.train_songs)?;
    splits::ensure_training(&train_ids)?;
    let validation_ids = splits::parse_songs(&config.validation_songs)?;
    if let Some(id) =
        validation_ids.iter().find(|id| splits::split(**id) != Some(Split::Validation))
    {
        return Err(format!("song {id:03} is not a validation song (validate on 701–850)"));
    }
    let train = stems_for(dirs, &train_ids, label_suffix)?;
    let validation = stems_for(dirs, &validation_ids, label_suffix)?;
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

/// Runs training as `options` says, for the task its config names.
pub fn run(options: &RunOptions) -> Result<RunReport, String> {
    let config = TrainConfig::read(&options.config)?;
    match config.task.as_str() {
        "onsets" => run_task(&OnsetTraining::new(&config), &config, options),
        "chords" => run_task(&ChordTraining::new(&config), &config, options),
        "key" => run_task(&KeyTraining::new(&config), &config, options),
        "beats" => run_task(&BeatTraining::new(&config), &config, options),
        "voice" => run_task(&VoiceTraining::new(&config), &config, options),
        other => Err(format!("task {other:?} cannot be trained: Earshot has no such task")),
    }
}

/// The model being trained and where the run stands.
struct State {
    network: TrainableNetwork,
    fitter: Fitter,
    progress: Progress,
    average: Option<WeightAverage>,
}

/// What training reads: the clips with their targets, the validation renders' audio and
/// references, the training set's standardisation, and the renders' names for the metadata.
struct Data<R> {
    train: Vec<Clip>,
    validation: Vec<ValidationClip<R>>,
    stats: Standardisation,
    train_stems: Vec<Render>,
    validation_stems: Vec<Render>,
    labels: String,
}

fn run_task<T: TrainingTask>(
    task: &T,
    config: &TrainConfig,
    options: &RunOptions,
) -> Result<RunReport, String> {
    // The output's folder first, so that a run does not compute features only to fail there.
    if let Some(folder) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    let device = Device::flex().autodiff();
    device.seed(epoch_seed(config.optimisation.seed, 0, 0));
    let mut state = start(task, config, options, &device)?;
    let data = load_data(task, config, options)?;
    let log_path = options.out.with_extension("log.jsonl");
    let mut log = open_log(&log_path, options.resume, state.progress.epoch)?;
    let o = &config.optimisation;
    let bar = progress_bar(options.progress, "epoch {pos}/{len} [{bar:30}] {msg}");
    bar.set_length(o.epochs as u64);
    bar.set_position(state.progress.epoch as u64);
    let last_epoch = o.epochs.min(state.progress.epoch + options.stop_after.unwrap_or(o.epochs));
    let epochs_since_best = |state: &State| state.progress.epoch - state.progress.best_epoch;
    while state.progress.epoch < last_epoch && epochs_since_best(&state) < o.patience.max(1) {
        let epoch = state.progress.epoch + 1;
        let (line, averaged) =
            train_epoch(task, config, options, &device, &mut state, &data, epoch)?;
        writeln!(log, "{line}").map_err(|e| format!("{}: {e}", log_path.display()))?;
        state.progress.epoch = epoch;
        checkpoint::save(
            &checkpoint::folder(&options.out),
            &state.network,
            averaged.as_ref(),
            state.fitter.optimizer_record(),
            &state.progress,
        )?;
        curves::plot(
            &options.out.with_extension("curves.png"),
            &read_log(&log_path)?,
            task.score_name(),
        )?;
        bar.set_message(format!(
            "loss {:.4}, validation {} {:.4} (best {:.4})",
            line["loss"].as_f64().unwrap_or(f64::NAN),
            task.score_name(),
            line["validation_score"].as_f64().unwrap_or(f64::NAN),
            state.progress.best_score
        ));
        bar.set_position(epoch as u64);
    }
    bar.finish();
    let p = &state.progress;
    Ok(RunReport {
        epochs: p.epoch,
        best_epoch: p.best_epoch,
        best_score: p.best_score,
        score_name: task.score_name(),
        steps_per_second: (p.epoch * o.steps_per_epoch) as f64 / p.training_seconds.max(1e-9),
        seconds_per_epoch: p.training_seconds / p.epoch.max(1) as f64,
        labels: data.labels,
    })
}

/// A fresh model, or the one in the checkpoint beside `out` when resuming (made with the same
/// config, or refused).
fn start<T: TrainingTask>(
    task: &T,
    config: &TrainConfig,
    options: &RunOptions,
    device: &Device,
) -> Result<State, String> {
    let o = &config.optimisation;
    let fit = fit_config(task, config)?;
    let config_json = serde_json::to_string(config).expect("configs serialise");
    let architecture = match task.extra_outputs() {
        0 => config.architecture.clone(),
        extra => config.architecture.with_extra_outputs(extra)?,
    };
    let fresh = TrainableNetwork::new(&architecture, device)?
        .with_batch_norm_momentum(o.batch_norm_momentum);
    let checkpoint_dir = checkpoint::folder(&options.out);
    if !options.resume {
        let progress = Progress {
            config: config_json,
            epoch: 0,
            best_epoch: 0,
            best_score: f64::NEG_INFINITY,
            training_seconds: 0.0,
        };
        let average = o.weight_average_decay.map(|decay| WeightAverage::new(decay, &fresh, 0));
        let fitter = Fitter::new(fit, device.clone());
        return Ok(State { network: fresh, fitter, progress, average });
    }
    let (network, optimizer, mut progress) = checkpoint::load(&checkpoint_dir, fresh)?
        .ok_or_else(|| format!("--resume: no checkpoint in {}", checkpoint_dir.display()))?;
    if !continues(&progress.config, config) {
        return Err(format!(
            "--resume: the checkpoint in {} was made with a different config (only \
             `epochs` may change, to run a finished run on)",
            checkpoint_dir.display()
        ));
    }
    progress.config = config_json;
    let average = match o.weight_average_decay {
        Some(decay) => {
            let saved = checkpoint::load_average(&checkpoint_dir, progress.epoch, network.valid())?;
            let updates = (progress.epoch * o.steps_per_epoch) as u64;
            Some(WeightAverage::new(decay, &saved, updates))
        }
        None => None,
    };
    let fitter = Fitter::new(fit, device.clone()).with_optimizer_record(optimizer);
    Ok(State { network, fitter, progress, average })
}

/// Whether a run checkpointed under the config `saved` (as JSON) goes on under `config`: the
/// same config, except perhaps the number of epochs, which only says where a run stops (the
/// learning rate and the random draws depend on the epoch, not on how many there are), so a
/// finished run resumed with more epochs ends as a run asked for that many from the start.
fn continues(saved: &str, config: &TrainConfig) -> bool {
    let saved_epochs = serde_json::from_str::<serde_json::Value>(saved)
        .ok()
        .and_then(|value| value["optimisation"]["epochs"].as_u64());
    let Some(epochs) = saved_epochs else { return false };
    let mut as_saved = config.clone();
    as_saved.optimisation.epochs = epochs as usize;
    serde_json::to_string(&as_saved).expect("configs serialise") == saved
}

/// Labels first (a broken or missing file stops the run before any feature is computed), then
/// the training clips' cached features with their targets, and the validation references.
fn load_data<T: TrainingTask>(
    task: &T,
    config: &TrainConfig,
    options: &RunOptions,
) -> Result<Data<T::Reference>, String> {
    let (train_stems, validation_stems) = select(config, &options.renders, task.label_suffix())?;
    let labels = train_stems.iter().map(|r| task.labels(r)).collect::<Result<Vec<_>, _>>()?;
    let validation = validation_stems
        .iter()
        .map(|render| {
            let (dir, stem) = render;
            let audio = dir.join(format!("{stem}.wav"));
            Ok(ValidationClip { audio, reference: task.reference(render)? })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let loading = progress_bar(options.progress, "features {pos}/{len} [{bar:30}] {elapsed}");
    let train: Vec<Clip> = load(&train_stems, &config.frontend, &loading)?
        .into_iter()
        .zip(&labels)
        .map(|(features, labels)| {
            Ok(Clip { targets: task.targets(labels, features.frames())?, features })
        })
        .collect::<Result<_, String>>()?;
    loading.finish_and_clear();
    let stats = examples::standardisation(&train)?;
    Ok(Data {
        train,
        validation,
        stats,
        train_stems,
        validation_stems,
        labels: task.describe(&labels),
    })
}

/// The run's JSON-lines log, kept to the epochs a resumed run has checkpointed.
fn open_log(path: &Path, resume: bool, epochs: usize) -> Result<std::fs::File, String> {
    if resume {
        keep_logged_epochs(path, epochs)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(resume)
        .truncate(!resume)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// One epoch: Adam steps at the epoch's learning rate, the (averaged) model exported and scored
/// by the engine on the validation renders, the weights written when they are the best yet.
/// Returns the epoch's log line and the averaged model, if weights are averaged.
fn train_epoch<T: TrainingTask>(
    task: &T,
    config: &TrainConfig,
    options: &RunOptions,
    device: &Device,
    state: &mut State,
    data: &Data<T::Reference>,
    epoch: usize,
) -> Result<(serde_json::Value, Option<TrainableNetwork>), String> {
    let o = &config.optimisation;
    let learning_rate = o.learning_rate * o.learning_rate_decay.powi(epoch as i32 - 1);
    device.seed(epoch_seed(o.seed, epoch, 1));
    let epoch_start = Instant::now();
    let (trained, losses) = state.fitter.steps(
        state.network.clone(),
        &data.train,
        &data.stats,
        o.steps_per_epoch,
        learning_rate,
        epoch_seed(o.seed, epoch, 2),
        state.average.as_mut(),
        |predictions, targets| task.loss(predictions, targets),
    )?;
    state.network = trained;
    state.progress.training_seconds += epoch_start.elapsed().as_secs_f64();
    let averaged = state.average.as_ref().map(|a| a.averaged(&state.network));
    let validated = averaged.as_ref().unwrap_or(&state.network);
    let mut spec = export(validated, config, &data.stats, options, data)?;
    let weights = earshot_nn::format::write(&spec);
    let score = validation::mean_score(task, &weights, &data.validation)?;
    let loss = losses.iter().sum::<f32>() / losses.len() as f32;
    if score > state.progress.best_score {
        (state.progress.best_score, state.progress.best_epoch) = (score, epoch);
        spec.metadata.push(("epoch".into(), epoch.to_string()));
        spec.metadata
            .push(("validation_score".into(), format!("{} {score:.4}", task.score_name())));
        std::fs::write(&options.out, earshot_nn::format::write(&spec))
            .map_err(|e| format!("{}: {e}", options.out.display()))?;
    }
    let line = serde_json::json!({"epoch": epoch, "loss": loss, "validation_score": score,
        "learning_rate": learning_rate, "seconds": epoch_start.elapsed().as_secs_f64()});
    Ok((line, averaged))
}

/// The batch settings, and the pitch shift if the config asks for it (refused for a task whose
/// targets cannot be transposed or a frontend whose bins are not semitones).
fn fit_config<T: TrainingTask>(task: &T, config: &TrainConfig) -> Result<FitConfig, String> {
    let o = &config.optimisation;
    let pitch_shift = match (o.pitch_shift, task.transpose_targets()) {
        (false, _) => None,
        (true, None) => {
            return Err(format!("{}: pitch_shift: its targets have no pitch", config.task))
        }
        (true, Some(transpose_targets)) => Some(PitchShift {
            bins_per_semitone: pitch_shift::bins_per_semitone(&config.frontend)?,
            transpose_targets,
        }),
    };
    Ok(FitConfig { batch: o.batch, excerpt: o.excerpt, warm_up: o.warm_up, pitch_shift })
}

/// The network as an `earshot-nn` model with the training set's standardisation and the
/// metadata that says how it was made.
fn export<R>(
    network: &TrainableNetwork,
    config: &TrainConfig,
    stats: &Standardisation,
    options: &RunOptions,
    data: &Data<R>,
) -> Result<earshot_nn::ModelSpec, String> {
    let metadata = vec![
        ("command".to_string(), options.command.clone()),
        ("config".to_string(), serde_json::to_string(config).expect("configs serialise")),
        ("look_ahead_frames".to_string(), config.look_ahead.to_string()),
        ("train_renders".to_string(), data.train_stems.len().to_string()),
        ("validation_renders".to_string(), data.validation_stems.len().to_string()),
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
                score: number("validation_score")?,
            })
        })
        .collect()
}
