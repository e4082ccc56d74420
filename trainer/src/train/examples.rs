//! Training examples: a clip's feature frames (from `earshot-dsp`, exactly as the plug-in will
//! compute them, cached on disk) with a target per frame, and the standardisation statistics of a
//! training set.

use super::cache::FeatureFile;
use super::loss::DONT_CARE;
use crate::render::labels::SLOW_ONSET;
use earshot_dsp::{Frontend, FrontendConfig, Standardisation};
use earshot_io::annotations::events::Event;
use earshot_io::audio::Audio;
use rayon::prelude::*;

/// A clip's cached features (`frames × frame_len`) and its targets (`frames × outputs`).
#[derive(Debug, Clone)]
pub struct Clip {
    pub features: FeatureFile,
    pub targets: Vec<f32>,
}

impl Clip {
    pub fn frames(&self) -> usize {
        self.features.frames()
    }

    /// Target values per frame.
    pub fn outputs(&self) -> usize {
        self.targets.len() / self.frames().max(1)
    }
}

/// The frontend's frames of a clip, without its standardisation (the statistics come from the
/// training set; see [`standardisation`]).
pub fn features(audio: &Audio, frontend: &FrontendConfig) -> Result<(usize, Vec<f32>), String> {
    let raw = FrontendConfig { standardisation: None, ..frontend.clone() };
    let frames = Frontend::process_signal(&raw, audio.sample_rate as f64, &audio.channels)
        .map_err(|e| e.0)?;
    Ok((frames.len(), frames.concat()))
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

/// Mean and standard deviation of every feature value over all frames of `clips`, read in
/// parallel (a deviation below 1e-3 counts as 1e-3, so silent bands do not blow up).
pub fn standardisation(clips: &[Clip]) -> Result<Standardisation, String> {
    let frame_len = clips.first().map_or(0, |c| c.features.frame_len());
    let zero = || (vec![0.0f64; frame_len], vec![0.0f64; frame_len], 0usize);
    let (sum, squares, count) = clips
        .par_iter()
        .map(|clip| {
            let (mut sum, mut squares, _) = zero();
            for frame in clip.features.read_all()?.chunks_exact(frame_len) {
                for (i, v) in frame.iter().enumerate() {
                    sum[i] += *v as f64;
                    squares[i] += (*v as f64).powi(2);
                }
            }
            Ok::<_, String>((sum, squares, clip.frames()))
        })
        .try_reduce(zero, |a, b| {
            let add = |x: Vec<f64>, y: Vec<f64>| x.iter().zip(&y).map(|(p, q)| p + q).collect();
            Ok((add(a.0, b.0), add(a.1, b.1), a.2 + b.2))
        })?;
    let n = count.max(1) as f64;
    let mean: Vec<f32> = sum.iter().map(|s| (s / n) as f32).collect();
    let std = squares
        .iter()
        .zip(&sum)
        .map(|(q, s)| ((q / n - (s / n).powi(2)).max(0.0).sqrt() as f32).max(1e-3))
        .collect();
    Ok(Standardisation { mean, std })
}

/// Applies `(x − mean) / std` in place to whole frames, as the frontend does when the
/// statistics are set.
pub fn standardise(features: &mut [f32], stats: &Standardisation) {
    let len = stats.mean.len();
    for frame in features.chunks_exact_mut(len) {
        for ((v, m), s) in frame.iter_mut().zip(&stats.mean).zip(&stats.std) {
            *v = (*v - m) / s;
        }
    }
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

    #[test]
    fn standardisation_gives_zero_mean_and_unit_deviation() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("clip.features");
        let mut features = vec![1.0, 5.0, 3.0, 5.0, 5.0, 5.0, 7.0, 5.0];
        super::super::cache::write(&path, 4, 2, &features).unwrap();
        let clip = Clip { features: FeatureFile::open(&path, 2).unwrap(), targets: vec![0.0; 4] };
        let stats = standardisation(&[clip]).unwrap();
        assert_eq!(stats.mean, vec![4.0, 5.0]);
        assert!((stats.std[0] - 5f32.sqrt()).abs() < 1e-6 && stats.std[1] == 1e-3);
        standardise(&mut features, &stats);
        let first: Vec<f32> = features.iter().step_by(2).copied().collect();
        assert!((first.iter().sum::<f32>()).abs() < 1e-6);
    }
}
