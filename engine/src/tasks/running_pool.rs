//! Frame-wise distributions pooled over time (the tutorial's aggregation for a time-invariant
//! task): their mean over an exponential running window, so that a change shows, and over
//! everything since the last reset, which for a file is the whole file. Sized in `new`;
//! nothing is allocated after.

/// Sums of frame distributions: one fading with age, one over all frames.
#[derive(Debug, Clone)]
pub struct RunningPool {
    frame_seconds: f64,
    /// How much of the windowed sum is kept each frame.
    decay: f64,
    windowed: Vec<f64>,
    windowed_weight: f64,
    overall: Vec<f64>,
    overall_weight: f64,
}

impl RunningPool {
    /// Pools distributions over `classes` values, frames `frame_seconds` apart; the window is
    /// exponential, each frame's weight falling by a factor e every `window_seconds`.
    pub fn new(classes: usize, frame_seconds: f64, window_seconds: f32) -> Self {
        let mut pool = RunningPool {
            frame_seconds,
            decay: 0.0,
            windowed: vec![0.0; classes],
            windowed_weight: 0.0,
            overall: vec![0.0; classes],
            overall_weight: 0.0,
        };
        pool.set_window(window_seconds);
        pool
    }

    /// Sets the window's time constant (NaN or below one frame: one frame).
    pub fn set_window(&mut self, window_seconds: f32) {
        let window = (window_seconds as f64).max(self.frame_seconds);
        self.decay = if window.is_nan() { 0.0 } else { (-self.frame_seconds / window).exp() };
    }

    /// Forgets every frame.
    pub fn reset(&mut self) {
        self.windowed.fill(0.0);
        self.overall.fill(0.0);
        (self.windowed_weight, self.overall_weight) = (0.0, 0.0);
    }

    /// Adds one frame's distribution (values clamped to 0–1); a frame with a NaN or infinite
    /// value or a wrong count is left out, and then `false` is returned.
    pub fn push(&mut self, distribution: &[f32]) -> bool {
        if distribution.len() != self.overall.len() || distribution.iter().any(|p| !p.is_finite()) {
            return false;
        }
        for ((windowed, overall), p) in
            self.windowed.iter_mut().zip(&mut self.overall).zip(distribution)
        {
            let p = p.clamp(0.0, 1.0) as f64;
            *windowed = *windowed * self.decay + p;
            *overall += p;
        }
        self.windowed_weight = self.windowed_weight * self.decay + 1.0;
        self.overall_weight += 1.0;
        true
    }

    /// The windowed sums and the weight they are a mean over.
    pub fn windowed(&self) -> (&[f64], f64) {
        (&self.windowed, self.windowed_weight)
    }

    /// The sums over every frame and how many frames there were.
    pub fn overall(&self) -> (&[f64], f64) {
        (&self.overall, self.overall_weight)
    }
}
