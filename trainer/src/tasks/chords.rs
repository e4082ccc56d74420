//! Training the chord task: a render's chord labels (`SONG.chords.lab`) as one-hot frame targets
//! over the majmin vocabulary (chords outside it, and `X`, don't-care), a categorical
//! cross-entropy, and the validation score: majmin weighted chord symbol recall of the chords
//! the engine's chord task reports with the exported weights.

use super::{Render, TrainingTask};
use crate::train::config::TrainConfig;
use crate::train::loss::{cross_entropy, DONT_CARE};
use crate::train::pitch_shift::{move_classes, TransposeTargets};
use burn::tensor::Tensor;
use earshot_engine::tasks::chords::vocabulary::{Chord, CLASSES};
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_io::annotations::segments::{self, Segment};
use earshot_io::annotations::{harte, suffix};
use earshot_io::audio;
use earshot_io::metrics::chord;
use std::path::Path;

/// The chord task's training, as a config sets it up.
pub struct ChordTraining {
    frame_seconds: f64,
    look_ahead: usize,
}

impl ChordTraining {
    pub fn new(config: &TrainConfig) -> Self {
        ChordTraining { frame_seconds: 1.0 / config.frame_rate(), look_ahead: config.look_ahead }
    }
}

/// A labelled stretch of a song: its chord in the vocabulary, or none (outside it, or `X`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChordSpan {
    pub start: f64,
    pub end: f64,
    pub chord: Option<Chord>,
}

/// The vocabulary chord of a Harte label (`None` outside it).
pub fn chord_of_label(label: &str) -> Result<Option<Chord>, String> {
    let encoded = harte::encode(label).map_err(|e| e.to_string())?;
    Ok(Chord::of_encoding(encoded.root, &encoded.semitones))
}

/// A render's chord file.
fn chords_path((dir, stem): &Render) -> std::path::PathBuf {
    dir.join(format!("{stem}{}", suffix::CHORDS))
}

/// Targets for `frames` frames: frame `t` describes the audio at `(t − look_ahead)` frames, and
/// its target is the one-hot class of the chord sounding then; no chord where no segment
/// covers the time, and don't-care (every value [`DONT_CARE`]) for a chord outside the
/// vocabulary.
pub fn chord_targets(
    spans: &[ChordSpan],
    frames: usize,
    frame_seconds: f64,
    look_ahead: usize,
) -> Vec<f32> {
    let mut targets = vec![0.0; frames * CLASSES];
    for (t, target) in targets.chunks_exact_mut(CLASSES).enumerate() {
        let time = (t as f64 - look_ahead as f64) * frame_seconds;
        let span = spans.iter().find(|s| s.start <= time && time < s.end);
        match span.map_or(Some(Chord::NoChord), |s| s.chord) {
            Some(chord) => target[chord.class()] = 1.0,
            None => target.fill(DONT_CARE),
        }
    }
    targets
}

/// Moves one-hot chord targets (don't-care frames stay so) to the chords `semitones` higher.
pub fn transpose_chord_targets(targets: &mut [f32], semitones: i32) {
    move_classes(targets, CLASSES, |class| {
        Chord::from_class(class).expect("every class is a chord").transposed(-semitones).class()
    });
}

impl TrainingTask for ChordTraining {
    type Labels = Vec<ChordSpan>;
    type Reference = Vec<Segment>;

    fn label_suffix(&self) -> &'static str {
        suffix::CHORDS
    }

    fn transpose_targets(&self) -> Option<TransposeTargets> {
        Some(transpose_chord_targets)
    }

    fn extra_outputs(&self) -> usize {
        0
    }

    fn labels(&self, render: &Render) -> Result<Vec<ChordSpan>, String> {
        let path = chords_path(render);
        segments::read_chords(&path)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|s| {
                let chord =
                    chord_of_label(&s.label).map_err(|e| format!("{}: {e}", path.display()))?;
                Ok(ChordSpan { start: s.start, end: s.end, chord })
            })
            .collect()
    }

    fn targets(&self, labels: &Vec<ChordSpan>, frames: usize) -> Result<Vec<f32>, String> {
        Ok(chord_targets(labels, frames, self.frame_seconds, self.look_ahead))
    }

    fn loss(&self, predictions: Tensor<4>, targets: Tensor<4>) -> Tensor<1> {
        cross_entropy(predictions, targets)
    }

    fn reference(&self, render: &Render) -> Result<Vec<Segment>, String> {
        segments::read_chords(&chords_path(render)).map_err(|e| e.to_string())
    }

    fn score(&self, weights: &[u8], audio: &Path, reference: &Vec<Segment>) -> Result<f64, String> {
        let estimated = decoded_chords(weights, audio)?;
        let scores = chord::evaluate(reference, &estimated).map_err(|e| e.to_string())?;
        Ok(scores.majmin)
    }

    fn score_name(&self) -> &'static str {
        "majmin WCSR"
    }

    fn describe(&self, labels: &[Vec<ChordSpan>]) -> String {
        let spans = labels.iter().flatten();
        let (mut inside, mut outside) = (0.0, 0.0);
        for span in spans {
            let length = span.end - span.start;
            if span.chord.is_some() {
                inside += length
            } else {
                outside += length
            }
        }
        format!(
            "{:.1} h of chord labels, {:.1} % of it outside the majmin vocabulary (don't-care)",
            (inside + outside) / 3600.0,
            100.0 * outside / (inside + outside).max(1e-9)
        )
    }
}

/// The chord segments the engine's chord task reports with `weights` over an audio file, as
/// `earshot analyze` writes them: each change to the next, the last to the end of the audio.
pub fn decoded_chords(weights: &[u8], path: &Path) -> Result<Vec<Segment>, String> {
    let signal = audio::read(path).map_err(|e| e.to_string())?;
    let mut engine = Engine::new(signal.sample_rate as f64, &[(TaskKind::Chords, Some(weights))])
        .map_err(|e| format!("validation: {e}"))?;
    let mut events = Vec::new();
    offline::run(&mut engine, &signal.channels, |event| {
        if let Event::Chord { .. } = event {
            events.push(event);
        }
    });
    Ok(offline::reported_chords(&events, signal.duration())
        .into_iter()
        .map(|c| Segment { start: c.start, end: c.end, label: c.chord.harte().to_string() })
        .collect())
}
