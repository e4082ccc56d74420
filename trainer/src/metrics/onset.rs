//! Onset detection: precision, recall and F-measure within ±50 ms (`mir_eval.onset.f_measure`).

use super::{f_measure, matched_events};
use serde::Serialize;

/// The default tolerance window (seconds).
pub const WINDOW: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OnsetScores {
    pub f_measure: f64,
    pub precision: f64,
    pub recall: f64,
}

/// Scores sorted estimated onset times against sorted reference times.
pub fn evaluate(reference: &[f64], estimated: &[f64], window: f64) -> OnsetScores {
    if reference.is_empty() || estimated.is_empty() {
        return OnsetScores { f_measure: 0.0, precision: 0.0, recall: 0.0 };
    }
    let matched = matched_events(reference, estimated, window) as f64;
    let precision = matched / estimated.len() as f64;
    let recall = matched / reference.len() as f64;
    OnsetScores { f_measure: f_measure(precision, recall), precision, recall }
}
