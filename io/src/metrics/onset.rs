//! Onset detection: precision, recall and F-measure within ±50 ms (`mir_eval.onset.f_measure`).

use super::{f_measure, matched_estimates, matched_events};
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
    evaluate_ignoring(reference, &[], estimated, window)
}

/// Scores as [`evaluate`], with `ignored` (sorted) as don't-care onsets: they are not counted
/// as missed, and an estimate that matches none of `reference` but one of them is not counted
/// as a false alarm. Estimates are matched to `reference` first, so an estimate near both
/// counts as a hit. With `ignored` empty this is [`evaluate`].
pub fn evaluate_ignoring(
    reference: &[f64],
    ignored: &[f64],
    estimated: &[f64],
    window: f64,
) -> OnsetScores {
    let hits = matched_estimates(reference, estimated, window);
    let unmatched: Vec<f64> =
        estimated.iter().zip(&hits).filter(|(_, &hit)| !hit).map(|(&t, _)| t).collect();
    let counted = estimated.len() - matched_events(ignored, &unmatched, window);
    if reference.is_empty() || counted == 0 {
        return OnsetScores { f_measure: 0.0, precision: 0.0, recall: 0.0 };
    }
    let matched = hits.iter().filter(|&&hit| hit).count() as f64;
    let precision = matched / counted as f64;
    let recall = matched / reference.len() as f64;
    OnsetScores { f_measure: f_measure(precision, recall), precision, recall }
}
