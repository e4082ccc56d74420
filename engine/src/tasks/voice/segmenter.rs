//! Online vocal segments from a singing probability per frame, by hysteresis: singing starts
//! where the probability first reaches the on-threshold and stays there for [`MIN_ON_FRAMES`]
//! frames; it stops where the probability first falls below the lower off-threshold and stays
//! below for [`MIN_OFF_FRAMES`] frames. Shorter bursts are ignored and shorter dips (a breath, a
//! consonant) bridged. Each change is dated to the frame where it began and reported when it is
//! confirmed, so the decision lags by at most [`MIN_OFF_FRAMES`] frames.

/// Frames the probability must hold above the on-threshold for singing to start (100 ms at 100
/// frames per second): a note of a voice-like instrument rarely fools the network that long.
pub const MIN_ON_FRAMES: u32 = 10;
/// Frames it must stay below the off-threshold for singing to stop (250 ms, the gap the melody
/// labels bridge): breaths and stops between words do not end a phrase.
pub const MIN_OFF_FRAMES: u32 = 25;
/// The off-threshold lies this far below the on-threshold.
pub const HYSTERESIS: f32 = 0.2;

/// A confirmed change: singing starts or stops at `frame` (counted from the start or the last
/// reset), with `confidence` the mean probability over the frames that confirmed it (for a
/// stop, one minus it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub frame: u64,
    pub singing: bool,
    pub confidence: f32,
}

/// The segmenter's state; it never allocates.
#[derive(Debug, Clone)]
pub struct Segmenter {
    on: f32,
    off: f32,
    singing: bool,
    /// The frame the pending change began at, its run of frames and their summed probability.
    run_start: u64,
    run: u32,
    run_sum: f32,
    /// Frames pushed since the start (or the last reset).
    frames: u64,
}

impl Segmenter {
    /// A segmenter starting on `on_threshold` (0.05–0.95, clamped).
    pub fn new(on_threshold: f32) -> Self {
        let mut segmenter = Segmenter {
            on: 0.5,
            off: 0.3,
            singing: false,
            run_start: 0,
            run: 0,
            run_sum: 0.0,
            frames: 0,
        };
        segmenter.set_threshold(on_threshold);
        segmenter
    }

    /// Moves the on-threshold (0.05–0.95; NaN keeps it) and the off-threshold with it.
    pub fn set_threshold(&mut self, on_threshold: f32) {
        if !on_threshold.is_nan() {
            self.on = on_threshold.clamp(0.05, 0.95);
            self.off = (self.on - HYSTERESIS).max(0.02);
        }
    }

    /// Whether singing is going on as of the last confirmed change.
    pub fn singing(&self) -> bool {
        self.singing
    }

    /// Forgets everything: silence, frame 0.
    pub fn reset(&mut self) {
        *self = Segmenter { on: self.on, off: self.off, ..Segmenter::new(0.5) };
    }

    /// Takes the next frame's probability (NaN counts as 0) and returns the change it confirms.
    pub fn push(&mut self, probability: f32) -> Option<Change> {
        let probability = if probability.is_nan() { 0.0 } else { probability.clamp(0.0, 1.0) };
        let frame = self.frames;
        self.frames += 1;
        let toward_change =
            if self.singing { probability < self.off } else { probability >= self.on };
        if !toward_change {
            self.run = 0;
            return None;
        }
        if self.run == 0 {
            self.run_start = frame;
            self.run_sum = 0.0;
        }
        self.run += 1;
        self.run_sum += probability;
        let needed = if self.singing { MIN_OFF_FRAMES } else { MIN_ON_FRAMES };
        if self.run < needed {
            return None;
        }
        self.singing = !self.singing;
        self.run = 0;
        let mean = self.run_sum / needed as f32;
        Some(Change {
            frame: self.run_start,
            singing: self.singing,
            confidence: if self.singing { mean } else { 1.0 - mean },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The changes a segmenter at 0.5 confirms over `probabilities`, with the frame each was
    /// reported at.
    fn changes(probabilities: &[f32]) -> Vec<(u64, bool, u64)> {
        let mut segmenter = Segmenter::new(0.5);
        probabilities
            .iter()
            .enumerate()
            .filter_map(|(i, &p)| segmenter.push(p).map(|c| (c.frame, c.singing, i as u64)))
            .collect()
    }

    fn run(pieces: &[(f32, usize)]) -> Vec<f32> {
        pieces.iter().flat_map(|&(p, n)| std::iter::repeat_n(p, n)).collect()
    }

    #[test]
    fn a_phrase_starts_and_stops_where_it_began_once_confirmed() {
        let probabilities = run(&[(0.1, 20), (0.9, 100), (0.1, 40)]);
        let start = 20 + MIN_ON_FRAMES as u64 - 1;
        let stop = 120 + MIN_OFF_FRAMES as u64 - 1;
        assert_eq!(changes(&probabilities), [(20, true, start), (120, false, stop)]);
    }

    #[test]
    fn short_bursts_are_ignored_and_short_dips_bridged() {
        let burst = MIN_ON_FRAMES as usize - 1;
        let dip = MIN_OFF_FRAMES as usize - 1;
        let probabilities =
            run(&[(0.9, burst), (0.1, 20), (0.9, 50), (0.0, dip), (0.9, 50), (0.1, 30)]);
        let changes = changes(&probabilities);
        let (on, off) = (burst + 20, burst + 20 + 50 + dip + 50);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!((changes[0].0, changes[0].1), (on as u64, true));
        assert_eq!((changes[1].0, changes[1].1), (off as u64, false));
    }

    #[test]
    fn between_the_thresholds_nothing_changes() {
        // 0.4 is below the on-threshold (0.5) but above the off-threshold (0.3).
        assert!(changes(&run(&[(0.4, 200)])).is_empty());
        let changes = changes(&run(&[(0.9, 20), (0.4, 200)]));
        assert_eq!(changes.len(), 1);
        assert!(changes[0].1);
    }

    #[test]
    fn confidence_is_the_confirming_frames_mean_and_nan_is_silence() {
        let mut segmenter = Segmenter::new(0.5);
        let mut found = None;
        for _ in 0..MIN_ON_FRAMES {
            found = found.or(segmenter.push(0.8));
        }
        assert!((found.unwrap().confidence - 0.8).abs() < 1e-6);
        let mut stop = None;
        for _ in 0..MIN_OFF_FRAMES {
            stop = stop.or(segmenter.push(f32::NAN));
        }
        assert_eq!(stop.map(|c| (c.singing, c.confidence)), Some((false, 1.0)));
    }

    #[test]
    fn the_threshold_moves_both_ends_and_reset_forgets_the_audio() {
        let mut segmenter = Segmenter::new(0.9);
        assert!((0..50).all(|_| segmenter.push(0.8).is_none()), "0.8 < 0.9");
        segmenter.set_threshold(0.7);
        assert!((0..50).any(|_| segmenter.push(0.8).is_some()));
        assert!(segmenter.singing());
        segmenter.reset();
        assert!(!segmenter.singing());
        let first = (0..50).find_map(|_| segmenter.push(0.8)).unwrap();
        assert_eq!(first.frame, 0, "frames count from the reset; the threshold is kept");
    }
}
