//! `earshot analyze`: runs the plug-in's engine over audio files and writes what it finds, one
//! output file per input and task.

use crate::analysis::{self, Onset};
use crate::render::score::{write_midi, Note, Part, Score};
use clap::{Args, ValueEnum};
use earshot_io::audio;
use earshot_nn::tasks::onsets::{OnsetDetector, DEFAULT_WEIGHTS};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

/// The sample rate the weights are checked at before any file is read.
const CHECK_RATE: f64 = 44_100.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Task {
    Onsets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One time in seconds per line (what `earshot eval` and mir_eval read).
    Txt,
    /// Times and strengths, with the detector and weights that found them.
    Json,
    /// A Standard MIDI File with a note per onset (velocity from the strength).
    Midi,
    /// The onset network's output for every frame the peak picker sees, time in seconds and
    /// activation per line (the first few times are negative: the silence the detector starts
    /// from). For a peak picking of your own, or to average several weights.
    Activations,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Audio files (WAV, FLAC, MP3, Ogg Vorbis, AIFF).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Tasks to run, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "onsets")]
    pub tasks: Vec<Task>,
    #[arg(long, value_enum, default_value = "txt")]
    pub format: Format,
    /// Output folder (created if missing); files are named `STEM.TASK.EXT`.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// Onset sensitivity, 0–1, as the plug-in's parameter.
    #[arg(long, default_value_t = 0.5)]
    pub sensitivity: f32,
    /// Onset weights to use instead of the shipped ones (.esw).
    #[arg(long, value_name = "ESW")]
    pub weights: Option<PathBuf>,
    /// MIDI note number of the onset notes in `--format midi`.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u8).range(0..=127))]
    pub midi_note: u8,
}

pub fn run(args: &AnalyzeArgs) -> Result<(), String> {
    if !(0.0..=1.0).contains(&args.sensitivity) {
        return Err(format!("--sensitivity {} is not between 0 and 1", args.sensitivity));
    }
    let (weights, source) = match &args.weights {
        Some(path) => (
            std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?,
            path.display().to_string(),
        ),
        None => (DEFAULT_WEIGHTS.to_vec(), "the shipped onset weights".to_string()),
    };
    // Unusable weights fail once, before any file; a file's own rate can still be refused.
    OnsetDetector::new(&weights, CHECK_RATE, args.sensitivity)
        .map_err(|e| format!("{source}: {e}"))?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let bar = if args.files.len() > 1 {
        ProgressBar::new(args.files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{pos}/{len} [{bar:30}] {elapsed} {msg}")
            .expect("valid template"),
    );
    let mut failures = Vec::new();
    for file in &args.files {
        bar.set_message(file.display().to_string());
        if let Err(e) = analyze_file(file, &weights, args) {
            bar.suspend(|| eprintln!("earshot: {e}"));
            failures.push(file.display().to_string());
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {} files failed: {}",
            failures.len(),
            args.files.len(),
            failures.join(", ")
        ))
    }
}

fn analyze_file(file: &Path, weights: &[u8], args: &AnalyzeArgs) -> Result<(), String> {
    let signal = audio::read(file).map_err(|e| e.to_string())?;
    let mut detector = OnsetDetector::new(weights, signal.sample_rate as f64, args.sensitivity)
        .map_err(|e| format!("{}: onset detector: {e}", file.display()))?;
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("audio");
    let (extension, bytes) = match args.format {
        Format::Txt => ("txt", onset_times(&analysis::onsets(&mut detector, &signal))),
        Format::Json => {
            let onsets = analysis::onsets(&mut detector, &signal);
            ("json", json(file, &onsets, &detector, args.sensitivity).into_bytes())
        }
        Format::Midi => ("mid", midi(&analysis::onsets(&mut detector, &signal), args.midi_note)),
        Format::Activations => {
            let activations = analysis::activations(&mut detector, &signal);
            ("activations.txt", analysis::activation_lines(&activations).into_bytes())
        }
    };
    let path = args.out.join(format!("{stem}.onsets.{extension}"));
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// One onset time in seconds per line.
fn onset_times(onsets: &[Onset]) -> Vec<u8> {
    onsets.iter().map(|o| format!("{:.3}\n", o.time)).collect::<String>().into_bytes()
}

fn json(file: &Path, onsets: &[Onset], detector: &OnsetDetector, sensitivity: f32) -> String {
    let command = detector.metadata().iter().find(|(k, _)| k == "command").map(|(_, v)| v.clone());
    let value = serde_json::json!({
        "file": file.display().to_string(),
        "task": "onsets",
        "detector": "online (causal), as in the plug-in",
        "sensitivity": sensitivity,
        "weights_command": command,
        "onsets": onsets.iter().map(|o| serde_json::json!({
            "time": (o.time * 1000.0).round() / 1000.0,
            "strength": (o.strength as f64 * 1000.0).round() / 1000.0,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&value).expect("JSON values serialise") + "\n"
}

/// A 50 ms note per onset on the first channel, velocity 1–127 from the strength.
fn midi(onsets: &[Onset], pitch: u8) -> Vec<u8> {
    let notes = onsets
        .iter()
        .map(|o| Note {
            part: Part::Melody,
            start: o.time,
            end: o.time + 0.05,
            pitch,
            velocity: (o.strength * 127.0).round().clamp(1.0, 127.0) as u8,
        })
        .collect();
    write_midi(&Score { notes })
}
