//! Training the onset task: the renders' labelled onsets (less salient ones don't-care when the
//! config asks) as widened frame targets, with auxiliary per-pitch targets when it asks for them;
//! a weighted binary cross-entropy; and the validation score, the engine's onset F-measure.

use super::{Render, TrainingTask};
use crate::render::labels::SLOW_ONSET;
use crate::train::config::TrainConfig;
use crate::train::loss::{onset_loss_with_auxiliary, DONT_CARE};
use crate::train::pitch_shift::TransposeTargets;
use burn::tensor::Tensor;
use earshot_engine::{offline, Engine, Event as EngineEvent, TaskKind};
use earshot_io::annotations::events::{self, Event};
use earshot_io::annotations::{salience, suffix};
use earshot_io::audio;
use earshot_io::metrics::onset;
use std::path::Path;

/// The onset task's training, as a config sets it up.
pub struct OnsetTraining {
    targets: OnsetTargets,
    dont_care_below_db: Option<f64>,
    positive_weight: f32,
    /// The weight of the auxiliary per-pitch loss, when the network is trained with it.
    pitch_onsets_weight: Option<f32>,
}

impl OnsetTraining {
    pub fn new(config: &TrainConfig) -> Self {
        let o = &config.optimisation;
        OnsetTraining {
            targets: OnsetTargets {
                frame_rate: config.frame_rate(),
                neighbour: o.neighbour_target,
                look_ahead: config.look_ahead,
                slow_extra: o.slow_onset_extra_frames,
            },
            dont_care_below_db: o.dont_care_below_db,
            positive_weight: o.positive_weight,
            pitch_onsets_weight: o.pitch_onsets_weight,
        }
    }
}

/// A training render's onsets: those scored, those don't-care, and its pitched note starts
/// when auxiliary pitch targets are trained.
pub struct OnsetLabels {
    scored: Vec<Event>,
    ignored: Vec<Event>,
    notes: Option<Vec<Event>>,
}

impl TrainingTask for OnsetTraining {
    type Labels = OnsetLabels;
    type Reference = Vec<f64>;

    fn label_suffix(&self) -> &'static str {
        suffix::ONSETS
    }

    fn transpose_targets(&self) -> Option<TransposeTargets> {
        None
    }

    fn extra_outputs(&self) -> usize {
        if self.pitch_onsets_weight.is_some() {
            PITCHES.len()
        } else {
            0
        }
    }

    fn labels(&self, render: &Render) -> Result<OnsetLabels, String> {
        let (scored, ignored) = split_by_salience(render, self.dont_care_below_db)?;
        let notes = match self.pitch_onsets_weight {
            Some(_) => Some(notes_of(render)?),
            None => None,
        };
        Ok(OnsetLabels { scored, ignored, notes })
    }

    fn targets(&self, labels: &OnsetLabels, frames: usize) -> Result<Vec<f32>, String> {
        let onsets = self.targets.for_clip(&labels.scored, &labels.ignored, frames);
        match &labels.notes {
            Some(notes) => with_pitch_targets(&onsets, notes, &self.targets),
            None => Ok(onsets),
        }
    }

    fn loss(&self, predictions: Tensor<4>, targets: Tensor<4>) -> Tensor<1> {
        let auxiliary = self.pitch_onsets_weight.unwrap_or(0.0);
        onset_loss_with_auxiliary(predictions, targets, self.positive_weight, auxiliary)
    }

    fn reference(&self, render: &Render) -> Result<Vec<f64>, String> {
        Ok(onsets_of(render)?.iter().map(|e| e.time).collect())
    }

    fn score(&self, weights: &[u8], audio: &Path, reference: &Vec<f64>) -> Result<f64, String> {
        let estimated = engine_onsets(weights, audio)?;
        Ok(onset::evaluate(reference, &estimated, onset::WINDOW).f_measure)
    }

    fn score_name(&self) -> &'static str {
        "onset F"
    }

    fn describe(&self, labels: &[OnsetLabels]) -> String {
        let scored: usize = labels.iter().map(|l| l.scored.len()).sum();
        let ignored: usize = labels.iter().map(|l| l.ignored.len()).sum();
        match self.dont_care_below_db {
            Some(db) => format!(
                "{ignored} of {} training onsets ({:.1} %) were don't-care, less salient than {db} dB",
                scored + ignored,
                100.0 * ignored as f64 / (scored + ignored).max(1) as f64
            ),
            None => format!("{scored} training onsets"),
        }
    }
}

/// The onset times the engine finds with `weights` in an audio file.
pub fn engine_onsets(weights: &[u8], path: &Path) -> Result<Vec<f64>, String> {
    let signal = audio::read(path).map_err(|e| e.to_string())?;
    let mut engine = Engine::new(signal.sample_rate as f64, &[(TaskKind::Onsets, Some(weights))])
        .map_err(|e| format!("validation: {e}"))?;
    let mut onsets = Vec::new();
    offline::run(&mut engine, &signal.channels, |event| {
        if let EngineEvent::Onset { time, .. } = event {
            onsets.push(time.seconds);
        }
    });
    Ok(onsets)
}

/// A render's onset label file.
fn onsets_path((dir, stem): &Render) -> std::path::PathBuf {
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

/// How onsets become per-frame targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnsetTargets {
    /// Frames per second.
    pub frame_rate: f64,
    /// Target of the frames just before and after an onset's (a widened target, as onset
    /// networks are trained).
    pub neighbour: f32,
    /// Frames every target lags its onset.
    pub look_ahead: usize,
    /// Further frames after a `slow` onset (all its notes start slowly) that also get 1.
    pub slow_extra: usize,
}

impl OnsetTargets {
    /// 1 at the frame nearest each onset (and `slow_extra` frames after it for a `slow` one),
    /// `neighbour` at the frames either side, all `look_ahead` frames late. The frames an
    /// `ignored` onset's target would cover that no other onset's does are [`DONT_CARE`].
    pub fn for_clip(&self, onsets: &[Event], ignored: &[Event], frames: usize) -> Vec<f32> {
        let mut targets = vec![0.0f32; frames];
        for onset in onsets {
            let (first, last) = self.peak(onset);
            for frame in first - 1..=last + 1 {
                let value = if (first..=last).contains(&frame) { 1.0 } else { self.neighbour };
                if let Some(slot) = slot(&mut targets, frame) {
                    *slot = slot.max(value);
                }
            }
        }
        for onset in ignored {
            let (first, last) = self.peak(onset);
            for frame in first - 1..=last + 1 {
                if let Some(slot) = slot(&mut targets, frame).filter(|slot| **slot == 0.0) {
                    *slot = DONT_CARE;
                }
            }
        }
        targets
    }

    /// The first and last frame whose target is 1 for `onset`.
    fn peak(&self, onset: &Event) -> (i64, i64) {
        let first = (onset.time * self.frame_rate).round() as i64 + self.look_ahead as i64;
        let extra = if onset.value.as_deref() == Some(SLOW_ONSET) { self.slow_extra } else { 0 };
        (first, first + extra as i64)
    }
}

/// The MIDI pitches (the piano's keys) that get an auxiliary target each when a config sets
/// `pitch_onsets_weight`; notes outside them have none.
pub const PITCHES: std::ops::RangeInclusive<u8> = 21..=108;

/// Per-frame targets for onsets and, after each frame's onset target, one per pitch of
/// [`PITCHES`]: `onsets` (one per frame, as [`OnsetTargets::for_clip`] gives them) interleaved
/// with the targets of each pitch's note starts in `notes` (value: the MIDI pitch).
pub fn with_pitch_targets(
    onsets: &[f32],
    notes: &[Event],
    targets: &OnsetTargets,
) -> Result<Vec<f32>, String> {
    let mut by_pitch: Vec<Vec<Event>> = vec![Vec::new(); PITCHES.len()];
    for note in notes {
        let pitch: u8 = note
            .value
            .as_deref()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("note at {} s has no MIDI pitch", note.time))?;
        if PITCHES.contains(&pitch) {
            by_pitch[(pitch - PITCHES.start()) as usize].push(note.clone());
        }
    }
    let pitch_targets: Vec<Vec<f32>> =
        by_pitch.iter().map(|starts| targets.for_clip(starts, &[], onsets.len())).collect();
    let mut all = Vec::with_capacity(onsets.len() * (1 + PITCHES.len()));
    for (frame, onset) in onsets.iter().enumerate() {
        all.push(*onset);
        all.extend(pitch_targets.iter().map(|pitch| pitch[frame]));
    }
    Ok(all)
}

/// The target of `frame`, if the clip has that frame.
fn slot(targets: &mut [f32], frame: i64) -> Option<&mut f32> {
    usize::try_from(frame).ok().and_then(|i| targets.get_mut(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn onsets(list: &[(f64, Option<&str>)]) -> Vec<Event> {
        list.iter()
            .map(|(time, value)| Event { time: *time, value: value.map(String::from) })
            .collect()
    }

    #[test]
    fn onset_targets_peak_at_the_nearest_frame_with_softer_neighbours() {
        let plain = onsets(&[(0.104, None), (0.0, None)]);
        let targets =
            OnsetTargets { frame_rate: 100.0, neighbour: 0.5, look_ahead: 0, slow_extra: 2 };
        let at_once = targets.for_clip(&plain, &[], 20);
        assert_eq!(&at_once[..3], &[1.0, 0.5, 0.0]);
        assert_eq!(&at_once[8..13], &[0.0, 0.5, 1.0, 0.5, 0.0]);
        let late = OnsetTargets { look_ahead: 2, ..targets }.for_clip(&plain, &[], 20);
        assert_eq!(&late[..5], &[0.0, 0.5, 1.0, 0.5, 0.0]);
        assert_eq!(&late[11..14], &[0.5, 1.0, 0.5]);
    }

    #[test]
    fn slow_onsets_keep_their_target_for_the_extra_frames() {
        let targets =
            OnsetTargets { frame_rate: 100.0, neighbour: 0.5, look_ahead: 1, slow_extra: 2 };
        let slow = targets.for_clip(&onsets(&[(0.05, Some("slow")), (0.15, Some("2"))]), &[], 20);
        assert_eq!(&slow[4..11], &[0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0]);
        assert_eq!(&slow[14..19], &[0.0, 0.5, 1.0, 0.5, 0.0]);
    }

    #[test]
    fn ignored_onsets_leave_their_frames_dont_care_unless_another_onset_claims_them() {
        let targets =
            OnsetTargets { frame_rate: 100.0, neighbour: 0.5, look_ahead: 1, slow_extra: 2 };
        // A frame late: an ignored onset alone (peak at frame 6), one a frame before a scored
        // one (12, 13), and one before the clip starts.
        let scored = onsets(&[(0.12, None)]);
        let ignored = onsets(&[(0.05, None), (0.11, None), (-0.5, None)]);
        let got = targets.for_clip(&scored, &ignored, 16);
        let d = DONT_CARE;
        assert_eq!(&got[4..9], &[0.0, d, d, d, 0.0]);
        assert_eq!(&got[10..16], &[0.0, d, 0.5, 1.0, 0.5, 0.0]);
        assert_eq!(got.iter().filter(|t| **t == d).count(), 4);
    }

    #[test]
    fn pitch_targets_follow_each_frames_onset_target() {
        let targets =
            OnsetTargets { frame_rate: 100.0, neighbour: 0.5, look_ahead: 1, slow_extra: 0 };
        let onsets = targets.for_clip(&onsets(&[(0.02, None)]), &[], 6);
        let notes = onsets_with_pitches(&[(0.02, "21"), (0.02, "60"), (0.03, "108"), (0.0, "20")]);
        let all = with_pitch_targets(&onsets, &notes, &targets).unwrap();
        let width = 1 + PITCHES.len();
        assert_eq!(all.len(), 6 * width);
        let column =
            |index: usize| -> Vec<f32> { all.iter().skip(index).step_by(width).copied().collect() };
        assert_eq!(column(0), onsets);
        // Columns 1, 40 and 88: MIDI 21, 60 and 108.
        assert_eq!(column(1), [0.0, 0.0, 0.5, 1.0, 0.5, 0.0]);
        assert_eq!(column(1 + 60 - 21), [0.0, 0.0, 0.5, 1.0, 0.5, 0.0]);
        assert_eq!(column(width - 1), [0.0, 0.0, 0.0, 0.5, 1.0, 0.5]);
        // MIDI 20 lies below the piano: no column, and nothing else changes.
        let targeted: f32 = all.iter().sum::<f32>() - onsets.iter().sum::<f32>();
        assert_eq!(targeted, 3.0 * 2.0);
        let unpitched = onsets_with_pitches(&[(0.02, "snare")]);
        assert!(with_pitch_targets(&onsets, &unpitched, &targets)
            .unwrap_err()
            .contains("no MIDI pitch"));
    }

    fn onsets_with_pitches(list: &[(f64, &str)]) -> Vec<Event> {
        list.iter()
            .map(|(time, pitch)| Event { time: *time, value: Some(pitch.to_string()) })
            .collect()
    }
}
