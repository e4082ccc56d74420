//! The key from the network's frame-wise key posteriors pooled over time (a [`RunningPool`]):
//! their mean over a running window, so that a modulation shows, and over everything heard
//! since the last reset, which for a file is the whole file. Nothing is allocated after `new`.

use super::vocabulary::{MusicalKey, KEYS};
use crate::tasks::ranking::two_largest;
use crate::tasks::running_pool::RunningPool;

/// The key a pool points to, with its pooled probability and the runner-up's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyEstimate {
    pub key: MusicalKey,
    pub confidence: f32,
    pub runner_up: MusicalKey,
    pub runner_up_confidence: f32,
}

/// The key posteriors pooled over the running window and over everything heard.
#[derive(Debug, Clone)]
pub struct KeyPooling {
    pool: RunningPool,
}

impl KeyPooling {
    /// Pools frames `frame_seconds` apart; the window is exponential, each frame's weight
    /// falling by a factor e every `window_seconds`.
    pub fn new(frame_seconds: f64, window_seconds: f32) -> Self {
        KeyPooling { pool: RunningPool::new(KEYS, frame_seconds, window_seconds) }
    }

    /// Sets the window's time constant (NaN or below one frame: one frame).
    pub fn set_window(&mut self, window_seconds: f32) {
        self.pool.set_window(window_seconds);
    }

    /// Forgets every frame.
    pub fn reset(&mut self) {
        self.pool.reset();
    }

    /// Adds one frame's posteriors (one per key; NaN, infinite or a wrong count are left out)
    /// and gives the windowed and the overall estimate.
    pub fn push(&mut self, posteriors: &[f32]) -> Option<(KeyEstimate, KeyEstimate)> {
        if !self.pool.push(posteriors) {
            return None;
        }
        let (windowed, windowed_weight) = self.pool.windowed();
        let (overall, overall_weight) = self.pool.overall();
        Some((estimate(windowed, windowed_weight), estimate(overall, overall_weight)))
    }
}

/// The two keys with the largest sums (the lower class on a tie), as means over `weight`.
fn estimate(sums: &[f64], weight: f64) -> KeyEstimate {
    let (best, second) = two_largest(sums);
    let mean = |class: usize| (sums[class] / weight) as f32;
    KeyEstimate {
        key: MusicalKey::from_class(best).expect("a class"),
        confidence: mean(best),
        runner_up: MusicalKey::from_class(second).expect("a class"),
        runner_up_confidence: mean(second),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_hot(key: MusicalKey, confidence: f32) -> [f32; KEYS] {
        let mut posteriors = [(1.0 - confidence) / (KEYS - 1) as f32; KEYS];
        posteriors[key.class()] = confidence;
        posteriors
    }

    #[test]
    fn a_modulation_shows_in_the_window_while_the_whole_keeps_the_longer_key() {
        let (c, d) = (MusicalKey { tonic: 0, minor: false }, MusicalKey { tonic: 2, minor: false });
        // 10 frames a second, a 5 s window: 60 s in C, then 20 s in D.
        let mut pooling = KeyPooling::new(0.1, 5.0);
        let mut last = None;
        for frame in 0..800 {
            let key = if frame < 600 { c } else { d };
            last = pooling.push(&one_hot(key, 0.6));
            let (windowed, _) = last.unwrap();
            if frame == 599 {
                assert_eq!(windowed.key, c);
                assert!((windowed.confidence - 0.6).abs() < 1e-4, "{windowed:?}");
            }
        }
        let (windowed, overall) = last.unwrap();
        assert_eq!((windowed.key, overall.key, overall.runner_up), (d, c, d));
        assert!((overall.confidence - (0.6 * 0.75 + 0.4 / 23.0 * 0.25)).abs() < 1e-4);
        // D's weight in the window after 20 s of a 5 s window: 1 − e⁻⁴.
        let d_weight = 1.0 - (-4.0f32).exp();
        let expected = 0.6 * d_weight + 0.4 / 23.0 * (1.0 - d_weight);
        assert!((windowed.confidence - expected).abs() < 1e-3, "{windowed:?}");
        assert_eq!(windowed.runner_up, c);
    }

    #[test]
    fn the_window_turns_within_about_its_length_and_bad_frames_are_left_out() {
        let (a, e) = (MusicalKey { tonic: 9, minor: true }, MusicalKey { tonic: 4, minor: true });
        let mut pooling = KeyPooling::new(0.05, 10.0);
        (0..2000).for_each(|_| _ = pooling.push(&one_hot(a, 0.9)));
        assert_eq!(pooling.push(&[f32::NAN; KEYS]), None);
        assert_eq!(pooling.push(&[0.5; 3]), None);
        // Equal weights after ln 2 window lengths (6.9 s); a few frames more to turn.
        let turned = (1..).find(|_| pooling.push(&one_hot(e, 0.9)).unwrap().0.key == e).unwrap();
        assert!((138..=141).contains(&turned), "{turned} frames");
        pooling.reset();
        let (windowed, overall) = pooling.push(&one_hot(e, 0.3)).unwrap();
        assert_eq!((windowed.key, overall.key), (e, e));
        assert!((overall.confidence - 0.3).abs() < 1e-6);
    }
}
