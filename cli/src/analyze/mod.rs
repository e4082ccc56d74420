//! `earshot analyze`: the plug-in's engine over audio files and folders, files in parallel on
//! every core, each result written whole or not at all.

mod batch;
mod format;
mod inputs;

use clap::Args;
use earshot_engine::TaskKind;
use earshot_report::plan::read_weights;
use earshot_report::{Plan, Settings};
use std::path::PathBuf;

pub use format::Format;

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Audio files (WAV, FLAC, MP3, Ogg Vorbis, AIFF), folders (searched through for those),
    /// and `-` for standard input (its results are named `stdin`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Tasks to run, comma-separated (default: all).
    #[arg(long, value_delimiter = ',', value_parser = parse_task)]
    pub tasks: Vec<TaskKind>,
    #[arg(long, value_enum, default_value = "txt")]
    pub format: Format,
    /// Output folder (created if missing); results mirror the input tree below it and are named
    /// `STEM.TASK.EXT` (`STEM.json`, `STEM.mid` for all tasks at once).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// Files analysed at once (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Onset sensitivity, 0–1, as the plug-in's parameter.
    #[arg(long, default_value_t = 0.5)]
    pub sensitivity: f32,
    /// Chord steadiness, 0–1: how long a chord holds through frames that doubt it (higher holds
    /// longer and changes later).
    #[arg(long, default_value_t = 0.5)]
    pub steadiness: f32,
    /// Seconds the running key is pooled over (5–600): the key changes in `--format json`
    /// follow a modulation within about this long. The whole-file key pools everything.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub key_window: f32,
    /// Seconds the running tempo is pooled over (2–120): each beat's tempo in `--format json`
    /// follows a tempo change within about this long. The whole-file tempo pools everything.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub tempo_window: f32,
    /// Voice sensitivity, 0–1, as the plug-in's parameter: singing starts at a probability of
    /// 0.9 − 0.8 × this.
    #[arg(long, default_value_t = 0.5)]
    pub voice_sensitivity: f32,
    /// Weights to use instead of the shipped ones for the task the file is for (.esw); may be
    /// repeated, once per task.
    #[arg(long, value_name = "ESW")]
    pub weights: Vec<PathBuf>,
    /// MIDI key of the onset notes in `--format midi` (default: the plug-in's, 60).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=127))]
    pub midi_note: Option<u8>,
}

fn parse_task(name: &str) -> Result<TaskKind, String> {
    TaskKind::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = TaskKind::all().map(|t| t.name()).collect();
        format!("unknown task {name:?} (known: {})", known.join(", "))
    })
}

pub fn run(args: &AnalyzeArgs) -> Result<(), String> {
    let settings = Settings {
        sensitivity: args.sensitivity,
        steadiness: args.steadiness,
        key_window: args.key_window,
        tempo_window: args.tempo_window,
        voice_sensitivity: args.voice_sensitivity,
    };
    settings.check().map_err(|(option, problem)| format!("--{option} {problem}"))?;
    if args.jobs == Some(0) {
        return Err("--jobs must be at least 1".into());
    }
    let mut tasks = args.tasks.clone();
    if args.format == Format::Activations {
        // Only tasks with a frame-wise output have activations to write.
        let all: Vec<TaskKind> = if tasks.is_empty() { TaskKind::all().collect() } else { tasks };
        tasks = all.into_iter().filter(|task| task.entry().activations).collect();
        if tasks.is_empty() {
            let with: Vec<&str> =
                TaskKind::all().filter(|t| t.entry().activations).map(|t| t.name()).collect();
            return Err(format!(
                "--format activations: none of --tasks has frame-wise activations ({} have)",
                with.join(", ")
            ));
        }
    }
    let mut weights = Vec::new();
    for path in &args.weights {
        weights.push((path.display().to_string(), read_weights(path)?));
    }
    let plan = Plan::new(&tasks, &settings, weights, args.midi_note)?;
    if args.out.exists() && !args.out.is_dir() {
        return Err(format!("--out {}: a file, not a folder", args.out.display()));
    }
    let inputs = inputs::collect(&args.paths, &args.out)?;
    if inputs.is_empty() {
        return Err("no audio files found".into());
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    batch::run(&inputs, &plan, args.format, jobs)
}
