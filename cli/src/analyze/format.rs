//! `--format`: which of the result files `earshot analyze` writes for each audio file.

use clap::ValueEnum;
use earshot_engine::TaskKind;
use earshot_report::{files, Analysis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One file per task: onset times in seconds, one per line; chords as `.lab` segments
    /// (start, end, Harte label); the whole file's key (`D major`); beats, a time and the
    /// place in the bar per line (madmom's `.beats`), with the whole file's tempo in beats per
    /// minute beside them (`.tempo.txt`); singing as `.lab` segments labelled `sing` or
    /// `nosing`, with the singing probability of every frame as CSV (`.voice.csv`: time in
    /// seconds, probability). What `earshot eval`, madmom and mir_eval read.
    Txt,
    /// One file per audio file with every task's results, the settings and the weights' command.
    Json,
    /// One Standard MIDI File per audio file, a track per task that plays notes (not the key),
    /// notes as the plug-in sends them.
    Midi,
    /// One file per task that has a frame-wise output (onsets, beats, voice; chords and key are
    /// left out when the plan is made): the network's output for every frame its decoder sees,
    /// time in seconds and value per line (the first few times are negative: the silence the
    /// task starts from).
    Activations,
}

impl Format {
    /// Whether `task`'s frame-wise activations are needed: for the activation files, and for the
    /// voice task's probabilities beside its segments (`STEM.voice.csv`).
    pub fn keeps_activations(self, task: TaskKind) -> bool {
        match self {
            Format::Activations => true,
            Format::Txt => task == TaskKind::Voice,
            Format::Json | Format::Midi => false,
        }
    }

    /// The files to write: each as the ending after `STEM` and its bytes.
    pub fn files(self, analysis: &Analysis) -> Vec<(String, Vec<u8>)> {
        match self {
            Format::Txt => files::text_files(analysis),
            Format::Activations => files::activation_files(analysis),
            Format::Json => vec![(".json".into(), files::json_file(analysis).into_bytes())],
            Format::Midi => vec![(".mid".into(), files::midi_file(analysis))],
        }
    }
}
