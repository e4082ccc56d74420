//! The tempo as a time-invariant estimate: the tracker's belief in each tempo, pooled over a
//! running window and over everything heard (a [`RunningPool`]). The estimate is the peak
//! tempo, refined by the belief of the tempi close to it, so that a tempo between two of the
//! tracker's whole-frame beat intervals is read between them.

use crate::tasks::running_pool::RunningPool;

/// Tempi within this ratio of the peak count towards its estimate and its confidence.
const CLOSE: f64 = 0.03;

/// A tempo estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TempoEstimate {
    /// Beats per minute.
    pub bpm: f32,
    /// The pooled belief in tempi within 3 % of it (0–1).
    pub confidence: f32,
}

/// The tracker's tempo belief pooled over the running window and over everything heard.
#[derive(Debug, Clone)]
pub struct TempoPooling {
    pool: RunningPool,
    /// The tempo of each of the tracker's intervals, in beats per minute.
    bpm: Vec<f64>,
}

impl TempoPooling {
    /// Pools beliefs over tempi of `intervals` frames per beat, frames `frame_seconds` apart,
    /// over an exponential window of `window_seconds`.
    pub fn new(intervals: &[usize], frame_seconds: f64, window_seconds: f32) -> Self {
        let bpm = intervals.iter().map(|i| 60.0 / (*i as f64 * frame_seconds)).collect();
        TempoPooling { pool: RunningPool::new(intervals.len(), frame_seconds, window_seconds), bpm }
    }

    /// Sets the window's time constant.
    pub fn set_window(&mut self, window_seconds: f32) {
        self.pool.set_window(window_seconds);
    }

    /// Forgets every frame.
    pub fn reset(&mut self) {
        self.pool.reset();
    }

    /// Adds one frame's tempo belief (a bad frame is left out).
    pub fn push(&mut self, belief: &[f32]) {
        self.pool.push(belief);
    }

    /// The estimate over the window; none before any frame.
    pub fn windowed(&self) -> Option<TempoEstimate> {
        let (sums, weight) = self.pool.windowed();
        self.estimate(sums, weight)
    }

    /// The estimate over everything heard; none before any frame.
    pub fn overall(&self) -> Option<TempoEstimate> {
        let (sums, weight) = self.pool.overall();
        self.estimate(sums, weight)
    }

    fn estimate(&self, sums: &[f64], weight: f64) -> Option<TempoEstimate> {
        if weight <= 0.0 {
            return None;
        }
        let peak = (0..sums.len()).fold(0, |best, i| if sums[i] > sums[best] { i } else { best });
        let (mut mass, mut weighted) = (0.0, 0.0);
        for (sum, bpm) in sums.iter().zip(&self.bpm) {
            if (bpm / self.bpm[peak] - 1.0).abs() <= CLOSE {
                mass += sum;
                weighted += sum * bpm;
            }
        }
        let bpm = if mass > 0.0 { weighted / mass } else { self.bpm[peak] };
        Some(TempoEstimate { bpm: bpm as f32, confidence: (mass / weight).clamp(0.0, 1.0) as f32 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tempo_between_two_intervals_is_read_between_them() {
        // 100 frames a second; 49 and 50 frames per beat are 122.4 and 120 bpm.
        let intervals: Vec<usize> = (28..=109).collect();
        let mut pooling = TempoPooling::new(&intervals, 0.01, 5.0);
        assert_eq!(pooling.windowed(), None);
        let mut belief = vec![0.0; intervals.len()];
        (belief[49 - 28], belief[50 - 28]) = (0.45, 0.45);
        belief[80 - 28] = 0.1;
        (0..3000).for_each(|_| pooling.push(&belief));
        let estimate = pooling.overall().unwrap();
        assert!((estimate.bpm - 121.2).abs() < 0.05, "{estimate:?}");
        assert!((estimate.confidence - 0.9).abs() < 1e-4, "{estimate:?}");
        // Then 10 s at 67 frames a beat (89.55 bpm): the window turns, the whole keeps 121.
        belief.fill(0.0);
        belief[67 - 28] = 1.0;
        (0..1000).for_each(|_| pooling.push(&belief));
        assert!((pooling.windowed().unwrap().bpm - 89.55).abs() < 0.01);
        assert!((pooling.overall().unwrap().bpm - 121.2).abs() < 0.05, "the longer tempo");
        pooling.reset();
        assert_eq!(pooling.overall(), None);
    }
}
