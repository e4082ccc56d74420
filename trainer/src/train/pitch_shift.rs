//! Pitch-shift augmentation in the feature domain: a constant-Q excerpt moved up or down by whole
//! semitones (its bins shifted, the bins moved in from beyond the range silent), its targets
//! moved with it by the task. Every song is heard in all 12 transpositions during training,
//! not only in the one it was rendered in.

use earshot_dsp::{Filterbank, FrontendConfig};
use std::ops::RangeInclusive;

/// The transpositions drawn, each as likely: all 12, the music moved at most 5 semitones down or
/// 6 up (as the renders' own transposition).
pub const SEMITONES: RangeInclusive<i32> = -5..=6;

/// Moves a clip's targets (frame by frame) to the music `semitones` higher.
pub type TransposeTargets = fn(targets: &mut [f32], semitones: i32);

/// How to move one excerpt.
#[derive(Debug, Clone, Copy)]
pub struct PitchShift {
    /// Feature bins per semitone.
    pub bins_per_semitone: usize,
    pub transpose_targets: TransposeTargets,
}

/// The constant-Q bins per semitone of a frontend that can be pitch-shifted: one stream, a
/// constant-Q filterbank whose octaves hold a whole number of bins per semitone, no difference.
pub fn bins_per_semitone(frontend: &FrontendConfig) -> Result<usize, String> {
    match frontend.streams.as_slice() {
        [stream] if stream.difference.is_none() => match stream.filterbank {
            Filterbank::ConstantQ { bins_per_octave, .. } if bins_per_octave % 12 == 0 => {
                Ok(bins_per_octave / 12)
            }
            _ => Err("pitch_shift needs a constant-Q filterbank with bins per octave a \
                      multiple of 12"
                .into()),
        },
        _ => Err("pitch_shift needs a frontend of one stream without a difference".into()),
    }
}

/// Moves one-hot frame targets of `classes` values each: class `c` of every frame takes the
/// value of class `source(c)` (all-equal frames, such as don't-care ones, stay as they are).
pub fn move_classes(targets: &mut [f32], classes: usize, source: impl Fn(usize) -> usize) {
    let mut moved = vec![0.0; classes];
    for frame in targets.chunks_exact_mut(classes) {
        moved.iter_mut().enumerate().for_each(|(class, value)| *value = frame[source(class)]);
        frame.copy_from_slice(&moved);
    }
}

impl PitchShift {
    /// Moves raw (unstandardised) `frames` of `frame_len` bins `semitones` up; bins moved in
    /// from beyond the range are 0, the compressed value of silence.
    pub fn shift_features(&self, frames: &mut [f32], frame_len: usize, semitones: i32) {
        let bins = semitones.unsigned_abs() as usize * self.bins_per_semitone;
        for frame in frames.chunks_exact_mut(frame_len) {
            let bins = bins.min(frame_len);
            if semitones > 0 {
                frame.copy_within(..frame_len - bins, bins);
                frame[..bins].fill(0.0);
            } else {
                frame.copy_within(bins.., 0);
                frame[frame_len - bins..].fill(0.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn untouched(_: &mut [f32], _: i32) {}

    #[test]
    fn bins_move_by_whole_semitones_with_silence_moved_in() {
        let shift = PitchShift { bins_per_semitone: 2, transpose_targets: untouched };
        let mut frames: Vec<f32> = (1..=12).map(|v| v as f32).collect();
        shift.shift_features(&mut frames, 6, 1);
        assert_eq!(frames, [0., 0., 1., 2., 3., 4., 0., 0., 7., 8., 9., 10.]);
        shift.shift_features(&mut frames, 6, -2);
        assert_eq!(frames, [3., 4., 0., 0., 0., 0., 9., 10., 0., 0., 0., 0.]);
        shift.shift_features(&mut frames, 6, 0);
        assert_eq!(frames, [3., 4., 0., 0., 0., 0., 9., 10., 0., 0., 0., 0.]);
        shift.shift_features(&mut frames, 6, 5);
        assert_eq!(frames, [0.0; 12]);
    }

    #[test]
    fn only_constant_q_frontends_with_semitone_bins_shift() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs");
        let read = |name: &str| {
            crate::train::config::TrainConfig::read(&path.join(name)).unwrap().frontend
        };
        assert_eq!(bins_per_semitone(&read("chords.json")), Ok(1));
        assert!(bins_per_semitone(&read("onsets.json")).is_err());
    }
}
