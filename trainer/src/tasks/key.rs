//! Training the key task: a render's key (`SONG.key.txt`) as the one-hot target of every frame
//! where the song plays chords (before the first and after the last, don't-care), a categorical
//! cross-entropy, and the validation score: mir_eval's weighted key score of the whole-file key
//! the engine's key task reports with the exported weights.

use super::chords::chord_of_label;
use super::{Render, TrainingTask};
use crate::train::config::TrainConfig;
use crate::train::loss::{cross_entropy, DONT_CARE};
use crate::train::pitch_shift::{move_classes, TransposeTargets};
use burn::tensor::Tensor;
use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::tasks::key::vocabulary::{MusicalKey, KEYS};
use earshot_engine::{offline, Engine, TaskKind};
use earshot_io::annotations::key::{self, Key, Mode};
use earshot_io::annotations::{segments, suffix};
use earshot_io::audio;
use earshot_io::metrics::key::weighted_score;
use std::path::Path;

/// The key task's training, as a config sets it up.
pub struct KeyTraining {
    frame_seconds: f64,
    look_ahead: usize,
}

impl KeyTraining {
    pub fn new(config: &TrainConfig) -> Self {
        KeyTraining { frame_seconds: 1.0 / config.frame_rate(), look_ahead: config.look_ahead }
    }
}

/// A song's key and the stretch in which it sounds (from its first chord to the end of its
/// last); no key for `X` or a mode other than major or minor.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySpan {
    pub key: Option<MusicalKey>,
    pub start: f64,
    pub end: f64,
}

/// The vocabulary key of an annotated key.
pub fn musical_key(key: &Key) -> Option<MusicalKey> {
    let minor = match key.mode {
        Mode::Major => false,
        Mode::Minor => true,
        Mode::Other => return None,
    };
    Some(MusicalKey { tonic: key.tonic?, minor })
}

/// Targets for `frames` frames, frame `t` describing the audio at `(t − look_ahead)` frames:
/// the one-hot key inside the span, don't-care outside it or for no key.
pub fn key_targets(
    span: &KeySpan,
    frames: usize,
    frame_seconds: f64,
    look_ahead: usize,
) -> Vec<f32> {
    let mut targets = vec![DONT_CARE; frames * KEYS];
    let Some(key) = span.key else { return targets };
    for (t, target) in targets.chunks_exact_mut(KEYS).enumerate() {
        let time = (t as f64 - look_ahead as f64) * frame_seconds;
        if span.start <= time && time < span.end {
            target.fill(0.0);
            target[key.class()] = 1.0;
        }
    }
    targets
}

/// Moves one-hot key targets (don't-care frames stay so) to the key `semitones` higher.
pub fn transpose_key_targets(targets: &mut [f32], semitones: i32) {
    move_classes(targets, KEYS, |class| {
        MusicalKey::from_class(class).expect("every class is a key").transposed(-semitones).class()
    });
}

fn key_path((dir, stem): &Render) -> std::path::PathBuf {
    dir.join(format!("{stem}{}", suffix::KEY))
}

impl TrainingTask for KeyTraining {
    type Labels = KeySpan;
    type Reference = Key;

    fn label_suffix(&self) -> &'static str {
        suffix::KEY
    }

    fn transpose_targets(&self) -> Option<TransposeTargets> {
        Some(transpose_key_targets)
    }

    fn extra_outputs(&self) -> usize {
        0
    }

    fn labels(&self, render: &Render) -> Result<KeySpan, String> {
        let key = key::read(&key_path(render)).map_err(|e| e.to_string())?;
        let (dir, stem) = render;
        let chords_path = dir.join(format!("{stem}{}", suffix::CHORDS));
        let mut sounding = Vec::new();
        for segment in segments::read_chords(&chords_path).map_err(|e| e.to_string())? {
            let chord = chord_of_label(&segment.label)
                .map_err(|e| format!("{}: {e}", chords_path.display()))?;
            if chord != Some(Chord::NoChord) {
                sounding.push((segment.start, segment.end));
            }
        }
        let start = sounding.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
        let end = sounding.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
        Ok(KeySpan { key: musical_key(&key), start, end })
    }

    fn targets(&self, labels: &KeySpan, frames: usize) -> Result<Vec<f32>, String> {
        Ok(key_targets(labels, frames, self.frame_seconds, self.look_ahead))
    }

    fn loss(&self, predictions: Tensor<4>, targets: Tensor<4>) -> Tensor<1> {
        cross_entropy(predictions, targets)
    }

    fn reference(&self, render: &Render) -> Result<Key, String> {
        key::read(&key_path(render)).map_err(|e| e.to_string())
    }

    fn score(&self, weights: &[u8], audio: &Path, reference: &Key) -> Result<f64, String> {
        let estimated = whole_file_key(weights, audio)?;
        Ok(weighted_score(reference, &Key::parse(&estimated.to_string())?))
    }

    fn score_name(&self) -> &'static str {
        "weighted key score"
    }

    fn describe(&self, labels: &[KeySpan]) -> String {
        let mut counts = [0usize; KEYS];
        labels.iter().filter_map(|span| span.key).for_each(|key| counts[key.class()] += 1);
        let minor: usize = counts[12..].iter().sum();
        format!(
            "{} songs with a major or minor key ({minor} minor), {} without",
            counts.iter().sum::<usize>(),
            labels.iter().filter(|span| span.key.is_none()).count()
        )
    }
}

/// The key the engine's key task reports with `weights` for a whole audio file, as `earshot
/// analyze` writes it.
pub fn whole_file_key(weights: &[u8], path: &Path) -> Result<MusicalKey, String> {
    let signal = audio::read(path).map_err(|e| e.to_string())?;
    let mut engine = Engine::new(signal.sample_rate as f64, &[(TaskKind::Key, Some(weights))])
        .map_err(|e| format!("validation: {e}"))?;
    let events = offline::events(&mut engine, &signal.channels);
    offline::whole_key(&events)
        .map(|estimate| estimate.key)
        .ok_or_else(|| format!("{}: too short for a key", path.display()))
}
