//! Online peak picking of an onset activation, causal: a frame is an onset when its activation
//! reaches the threshold, is the largest of the last few frames, is not exceeded by the frame
//! after it (so the decision waits one frame), and comes at least a minimum interval after the
//! previous onset. Its time is refined between frames by the vertex of the parabola through the
//! peak and the frames beside it.

/// Frames before a candidate it must be at least as large as.
pub const PAST_WINDOW: usize = 2;

/// The peak picker's state; it never allocates.
#[derive(Debug, Clone)]
pub struct PeakPicker {
    threshold: f32,
    min_gap: u64,
    /// The last `PAST_WINDOW + 2` activations, newest last.
    recent: [f32; PAST_WINDOW + 2],
    /// Frames pushed since the start (or the last reset).
    frames: u64,
    last_onset: Option<u64>,
}

/// A picked peak: the frame it is at, where between the frames beside it the activation peaks
/// (in frames, −½…½), and its activation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peak {
    pub frame: u64,
    pub offset: f32,
    pub activation: f32,
}

impl Peak {
    /// The peak's position in frames, between frames.
    pub fn position(&self) -> f64 {
        self.frame as f64 + self.offset as f64
    }
}

/// The vertex of the parabola through (−1, `before`), (0, `peak`) and (1, `after`), in frames
/// (0 unless the three bend downwards; within ±½ when `peak` is the largest).
fn vertex_offset(before: f32, peak: f32, after: f32) -> f32 {
    let curvature = before - 2.0 * peak + after;
    if curvature < 0.0 {
        (0.5 * (before - after) / curvature).clamp(-0.5, 0.5)
    } else {
        0.0
    }
}

/// The activation threshold at a sensitivity (0–1, clamped; NaN counts as 0.5):
/// `0.9 − 0.8 · sensitivity`.
pub fn threshold_for(sensitivity: f32) -> f32 {
    0.9 - 0.8 * super::SENSITIVITY.sanitise(sensitivity)
}

impl PeakPicker {
    /// A picker at `sensitivity` (see [`PeakPicker::set_sensitivity`]) keeping onsets at least
    /// `min_gap` frames apart.
    pub fn new(sensitivity: f32, min_gap: u64) -> Self {
        let mut picker = PeakPicker {
            threshold: 0.5,
            min_gap: min_gap.max(1),
            recent: [0.0; PAST_WINDOW + 2],
            frames: 0,
            last_onset: None,
        };
        picker.set_sensitivity(sensitivity);
        picker
    }

    /// Sensitivity 0–1 (clamped; NaN counts as 0.5): the activation threshold is
    /// `0.9 − 0.8 · sensitivity`, so 0.5 picks peaks of at least 0.5 and 1 peaks of at least 0.1.
    pub fn set_sensitivity(&mut self, sensitivity: f32) {
        self.threshold = threshold_for(sensitivity);
    }

    /// The activation threshold in use.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Forgets everything, as at the start.
    pub fn reset(&mut self) {
        self.recent = [0.0; PAST_WINDOW + 2];
        self.frames = 0;
        self.last_onset = None;
    }

    /// Takes the next frame's activation (non-finite counts as 0); returns the previous frame
    /// if it is an onset.
    pub fn push(&mut self, activation: f32) -> Option<Peak> {
        let value = if activation.is_finite() { activation } else { 0.0 };
        self.recent.rotate_left(1);
        self.recent[PAST_WINDOW + 1] = value;
        self.frames += 1;
        let candidate = self.recent[PAST_WINDOW];
        let frame = self.frames.checked_sub(2)?;
        let is_peak = candidate >= self.threshold
            && candidate >= value
            && self.recent[..PAST_WINDOW].iter().all(|&v| v < candidate);
        let far_enough = self.last_onset.is_none_or(|last| frame - last >= self.min_gap);
        if is_peak && far_enough {
            self.last_onset = Some(frame);
            let offset = vertex_offset(self.recent[PAST_WINDOW - 1], candidate, value);
            Some(Peak { frame, offset, activation: candidate })
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picked(curve: &[f32], sensitivity: f32, min_gap: u64) -> Vec<u64> {
        let mut picker = PeakPicker::new(sensitivity, min_gap);
        curve.iter().filter_map(|v| picker.push(*v)).map(|p| p.frame).collect()
    }

    #[test]
    fn peaks_above_threshold_one_frame_late_with_a_minimum_gap() {
        let curve = [0.0, 0.6, 0.9, 0.7, 0.1, 0.8, 0.2, 0.0, 0.95, 0.3, 0.4, 0.0];
        assert_eq!(picked(&curve, 0.5, 3), vec![2, 5, 8]);
        assert_eq!(picked(&curve, 0.5, 4), vec![2, 8]);
        assert_eq!(picked(&curve, 0.0, 1), vec![2, 8]);
        // More sensitive (threshold 0.26): 0.4 and 0.3 become onsets, 0.2 does not.
        let quiet = [0.0, 0.4, 0.0, 0.0, 0.3, 0.0, 0.0, 0.2, 0.0];
        assert_eq!(picked(&quiet, 0.8, 2), vec![1, 4]);
        assert_eq!(picked(&quiet, 0.5, 2), Vec::<u64>::new());
    }

    #[test]
    fn a_peak_lies_between_frames_towards_its_larger_neighbour() {
        let peaks = |curve: &[f32]| {
            let mut picker = PeakPicker::new(0.5, 1);
            curve.iter().filter_map(|v| picker.push(*v)).collect::<Vec<_>>()
        };
        let offset = |curve: &[f32]| peaks(curve)[0].offset;
        assert_eq!(offset(&[0.0, 0.5, 0.9, 0.5, 0.0]), 0.0);
        // The parabola through (−1, 0.6), (0, 0.9), (1, 0.3) peaks at −1/6.
        assert!((offset(&[0.0, 0.6, 0.9, 0.3, 0.0]) + 1.0 / 6.0).abs() < 1e-6);
        assert!((offset(&[0.0, 0.3, 0.9, 0.6, 0.0]) - 1.0 / 6.0).abs() < 1e-6);
        // A plateau peaks halfway between its two frames.
        assert_eq!(offset(&[0.0, 0.2, 0.8, 0.8, 0.0]), 0.5);
        let peak = peaks(&[0.0, 0.3, 0.9, 0.6, 0.0])[0];
        assert!((peak.position() - (2.0 + 1.0 / 6.0)).abs() < 1e-6);
    }

    #[test]
    fn a_plateau_gives_one_onset_and_nan_is_silence() {
        assert_eq!(picked(&[0.0, 0.8, 0.8, 0.8, 0.0], 0.5, 1), vec![1]);
        assert_eq!(picked(&[0.0, f32::NAN, 0.9, f32::INFINITY, 0.0], 0.5, 1), vec![2]);
        let mut picker = PeakPicker::new(f32::NAN, 1);
        assert!((picker.threshold() - 0.5).abs() < 1e-6);
        picker.set_sensitivity(7.0);
        assert!((picker.threshold() - 0.1).abs() < 1e-6);
    }
}
