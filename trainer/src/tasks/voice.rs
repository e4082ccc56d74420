//! Training the voice task: a render's melody phrases (`SONG.melody.lab`, `voice` when sung,
//! `lead` when played) as frame targets, 1 inside a sung phrase and 0 elsewhere; the binary
//! cross-entropy; and the validation score, the frame accuracy of the singing the engine's
//! segmenter reports with the exported weights.

use super::{Render, TrainingTask};
use crate::train::config::TrainConfig;
use crate::train::loss::weighted_binary_cross_entropy;
use crate::train::pitch_shift::TransposeTargets;
use burn::tensor::Tensor;
use earshot_engine::offline::{self, vocal_segments};
use earshot_engine::{Engine, TaskKind};
use earshot_io::annotations::segments::{self, Segment};
use earshot_io::annotations::suffix;
use earshot_io::audio;
use earshot_io::metrics::segments as activity;
use std::path::Path;

/// The voice task's training, as a config sets it up.
pub struct VoiceTraining {
    targets: VoiceTargets,
    positive_weight: f32,
}

impl VoiceTraining {
    pub fn new(config: &TrainConfig) -> Self {
        VoiceTraining {
            targets: VoiceTargets {
                frame_rate: config.frame_rate(),
                look_ahead: config.look_ahead,
            },
            positive_weight: config.optimisation.positive_weight,
        }
    }
}

/// How sung phrases become frame targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoiceTargets {
    /// Frames per second.
    pub frame_rate: f64,
    /// Frames every target lags the audio it describes.
    pub look_ahead: usize,
}

impl VoiceTargets {
    /// One target per frame: 1 where a sung segment covers the audio the frame describes
    /// (`look_ahead` frames earlier), 0 elsewhere.
    pub fn for_clip(&self, phrases: &[Segment], frames: usize) -> Vec<f32> {
        let mut targets = vec![0.0; frames];
        let frame = |t: f64| (t * self.frame_rate).round() as i64 + self.look_ahead as i64;
        for phrase in phrases.iter().filter(|p| activity::is_sung(p)) {
            let (first, last) = (frame(phrase.start).max(0), frame(phrase.end).min(frames as i64));
            for target in targets.iter_mut().take(last.max(0) as usize).skip(first as usize) {
                *target = 1.0;
            }
        }
        targets
    }
}

/// A render's melody phrases.
fn phrases_of((dir, stem): &Render) -> Result<Vec<Segment>, String> {
    segments::read(&dir.join(format!("{stem}{}", suffix::MELODY))).map_err(|e| e.to_string())
}

impl TrainingTask for VoiceTraining {
    type Labels = Vec<Segment>;
    type Reference = Vec<Segment>;

    fn label_suffix(&self) -> &'static str {
        suffix::MELODY
    }

    fn extra_outputs(&self) -> usize {
        0
    }

    fn transpose_targets(&self) -> Option<TransposeTargets> {
        None
    }

    fn labels(&self, render: &Render) -> Result<Vec<Segment>, String> {
        phrases_of(render)
    }

    fn targets(&self, labels: &Vec<Segment>, frames: usize) -> Result<Vec<f32>, String> {
        Ok(self.targets.for_clip(labels, frames))
    }

    fn loss(&self, predictions: Tensor<4>, targets: Tensor<4>) -> Tensor<1> {
        weighted_binary_cross_entropy(predictions, targets, self.positive_weight)
    }

    fn reference(&self, render: &Render) -> Result<Vec<Segment>, String> {
        phrases_of(render)
    }

    fn score(&self, weights: &[u8], audio: &Path, reference: &Vec<Segment>) -> Result<f64, String> {
        let estimated = engine_singing(weights, audio)?;
        Ok(activity::evaluate(reference, &estimated).accuracy)
    }

    fn score_name(&self) -> &'static str {
        "voice frame accuracy"
    }

    fn describe(&self, labels: &[Vec<Segment>]) -> String {
        let (mut sung, mut played) = (0.0, 0.0);
        for phrase in labels.iter().flatten() {
            let length = phrase.end - phrase.start;
            if activity::is_sung(phrase) {
                sung += length;
            } else {
                played += length;
            }
        }
        format!(
            "{:.1} h of sung and {:.1} h of played melody phrases",
            sung / 3600.0,
            played / 3600.0
        )
    }
}

/// The stretches of singing and silence the engine's voice task reports with `weights` over an
/// audio file, as `earshot analyze` writes them (`sing`/`nosing`).
pub fn engine_singing(weights: &[u8], path: &Path) -> Result<Vec<Segment>, String> {
    let signal = audio::read(path).map_err(|e| e.to_string())?;
    let mut engine = Engine::new(signal.sample_rate as f64, &[(TaskKind::Voice, Some(weights))])
        .map_err(|e| format!("validation: {e}"))?;
    let events = offline::events(&mut engine, &signal.channels);
    Ok(vocal_segments(&events, signal.duration())
        .into_iter()
        .map(|s| Segment {
            start: s.start,
            end: s.end,
            label: if s.singing { "sing" } else { "nosing" }.to_string(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sung_phrases_are_ones_late_by_the_look_ahead_and_played_ones_zeros() {
        let targets = VoiceTargets { frame_rate: 100.0, look_ahead: 2 };
        let phrase = |start, end, label: &str| Segment { start, end, label: label.into() };
        let phrases = [phrase(0.05, 0.1, "voice"), phrase(0.15, 0.2, "lead")];
        let frames = targets.for_clip(&phrases, 25);
        let ones: Vec<usize> = (0..25).filter(|&k| frames[k] == 1.0).collect();
        assert_eq!(ones, (7..12).collect::<Vec<_>>());
        assert!(frames.iter().all(|&v| v == 0.0 || v == 1.0));
        // A phrase past the clip's end or before its start is cut, not a panic.
        let late = targets.for_clip(&[phrase(-1.0, 0.02, "sing"), phrase(0.2, 9.0, "sing")], 25);
        assert_eq!(late.iter().filter(|&&v| v == 1.0).count(), 4 + 3);
    }
}
