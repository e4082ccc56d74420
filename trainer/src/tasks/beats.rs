//! Training the beat task: a render's beats and their place in the bar (`SONG.beats.txt`) as
//! frame targets over three classes (a beat that is not a downbeat, a downbeat, neither),
//! widened to the frames either side; a categorical cross-entropy; and the validation score,
//! the beat F-measure of the beats the engine's tracker reports with the exported weights.

use super::{Render, TrainingTask};
use crate::train::config::TrainConfig;
use crate::train::loss::cross_entropy;
use crate::train::pitch_shift::TransposeTargets;
use burn::tensor::Tensor;
use earshot_engine::tasks::beats::{BEAT, DOWNBEAT, OUTPUTS};
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_io::annotations::{events, suffix};
use earshot_io::audio;
use earshot_io::metrics::beat;
use std::path::Path;

/// The output of frames with neither a beat nor a downbeat.
const NEITHER: usize = 2;

/// The beat task's training, as a config sets it up.
pub struct BeatTraining {
    targets: BeatTargets,
}

impl BeatTraining {
    pub fn new(config: &TrainConfig) -> Self {
        BeatTraining {
            targets: BeatTargets {
                frame_rate: config.frame_rate(),
                neighbour: config.optimisation.neighbour_target,
                look_ahead: config.look_ahead,
            },
        }
    }
}

/// A labelled beat: its time and whether it is a downbeat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelledBeat {
    pub time: f64,
    pub downbeat: bool,
}

/// How beats become frame targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BeatTargets {
    /// Frames per second.
    pub frame_rate: f64,
    /// The beat's class share of the frames either side of its own (the rest is neither).
    pub neighbour: f32,
    /// Frames every target lags its beat.
    pub look_ahead: usize,
}

impl BeatTargets {
    /// Targets for `frames` frames, [`OUTPUTS`] per frame: at the frame nearest each beat
    /// (`look_ahead` frames late) all on its class, downbeat or beat; at the frames either side
    /// `neighbour` on it; neither everywhere else.
    pub fn for_clip(&self, beats: &[LabelledBeat], frames: usize) -> Vec<f32> {
        let mut share = vec![(0.0f32, 0usize); frames];
        for beat in beats {
            let class = if beat.downbeat { DOWNBEAT } else { BEAT };
            let centre = (beat.time * self.frame_rate).round() as i64 + self.look_ahead as i64;
            for (offset, value) in [(-1, self.neighbour), (0, 1.0), (1, self.neighbour)] {
                let frame = centre + offset;
                if (0..frames as i64).contains(&frame) && value > share[frame as usize].0 {
                    share[frame as usize] = (value, class);
                }
            }
        }
        let mut targets = vec![0.0; frames * OUTPUTS];
        for ((value, class), target) in share.into_iter().zip(targets.chunks_exact_mut(OUTPUTS)) {
            target[NEITHER] = 1.0 - value;
            target[class] += value;
        }
        targets
    }
}

/// A render's beat file.
fn beats_path((dir, stem): &Render) -> std::path::PathBuf {
    dir.join(format!("{stem}{}", suffix::BEATS))
}

/// A render's beats; each must say its place in the bar (1 for a downbeat).
pub fn labelled_beats(render: &Render) -> Result<Vec<LabelledBeat>, String> {
    let path = beats_path(render);
    events::read(&path)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|event| match event.value.as_deref().map(str::parse::<u32>) {
            Some(Ok(position)) if position >= 1 => {
                Ok(LabelledBeat { time: event.time, downbeat: position == 1 })
            }
            _ => Err(format!(
                "{}: the beat at {} s has no place in the bar (a second column 1, 2, …)",
                path.display(),
                event.time
            )),
        })
        .collect()
}

impl TrainingTask for BeatTraining {
    type Labels = Vec<LabelledBeat>;
    type Reference = Vec<f64>;

    fn label_suffix(&self) -> &'static str {
        suffix::BEATS
    }

    fn extra_outputs(&self) -> usize {
        0
    }

    fn transpose_targets(&self) -> Option<TransposeTargets> {
        None
    }

    fn labels(&self, render: &Render) -> Result<Vec<LabelledBeat>, String> {
        labelled_beats(render)
    }

    fn targets(&self, labels: &Vec<LabelledBeat>, frames: usize) -> Result<Vec<f32>, String> {
        Ok(self.targets.for_clip(labels, frames))
    }

    fn loss(&self, predictions: Tensor<4>, targets: Tensor<4>) -> Tensor<1> {
        cross_entropy(predictions, targets)
    }

    fn reference(&self, render: &Render) -> Result<Vec<f64>, String> {
        Ok(labelled_beats(render)?.iter().map(|b| b.time).collect())
    }

    fn score(&self, weights: &[u8], audio: &Path, reference: &Vec<f64>) -> Result<f64, String> {
        let estimated = engine_beats(weights, audio)?;
        Ok(beat::evaluate(reference, &estimated).f_measure)
    }

    fn score_name(&self) -> &'static str {
        "beat F"
    }

    fn describe(&self, labels: &[Vec<LabelledBeat>]) -> String {
        let beats: usize = labels.iter().map(Vec::len).sum();
        let downbeats = labels.iter().flatten().filter(|b| b.downbeat).count();
        format!("{beats} training beats, {downbeats} of them downbeats")
    }
}

/// The beat times the engine's beat task reports with `weights` in an audio file.
pub fn engine_beats(weights: &[u8], path: &Path) -> Result<Vec<f64>, String> {
    let signal = audio::read(path).map_err(|e| e.to_string())?;
    let mut engine = Engine::new(signal.sample_rate as f64, &[(TaskKind::Beats, Some(weights))])
        .map_err(|e| format!("validation: {e}"))?;
    let mut beats = Vec::new();
    offline::run(&mut engine, &signal.channels, |event| {
        if let Event::Beat { time, .. } = event {
            beats.push(time.seconds);
        }
    });
    Ok(beats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beats_become_widened_targets_late_by_the_look_ahead() {
        let targets = BeatTargets { frame_rate: 100.0, neighbour: 0.5, look_ahead: 2 };
        let beats = [
            LabelledBeat { time: 0.1, downbeat: true },
            LabelledBeat { time: 0.504, downbeat: false },
        ];
        let got = targets.for_clip(&beats, 60);
        let frame = |t: usize| &got[t * OUTPUTS..(t + 1) * OUTPUTS];
        assert_eq!(frame(12), [0.0, 1.0, 0.0], "the downbeat at 0.1 s, 2 frames late");
        assert_eq!(frame(11), [0.0, 0.5, 0.5]);
        assert_eq!(frame(13), [0.0, 0.5, 0.5]);
        assert_eq!(frame(52), [1.0, 0.0, 0.0], "the beat at 0.504 s");
        assert_eq!(frame(0), [0.0, 0.0, 1.0]);
        assert_eq!(frame(30), [0.0, 0.0, 1.0]);
        assert!(got.chunks_exact(OUTPUTS).all(|t| (t.iter().sum::<f32>() - 1.0).abs() < 1e-6));
    }
}
