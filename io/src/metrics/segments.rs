//! Activity segments (vocal activity, any on/off tag): frame-wise accuracy, precision, recall
//! and F-measure on a 10 ms grid, active where any segment covers the frame (frames sampled as
//! `mir_eval.util.intervals_to_samples` does: times `k · 0.01` up to the last segment end).

use super::f_measure;
use crate::annotations::segments::Segment;
use serde::Serialize;

/// The frame hop (seconds).
pub const FRAME: f64 = 0.01;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ActivityScores {
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    pub f_measure: f64,
}

/// Whether each frame time `k·FRAME`, `k < floor(end / FRAME)`, lies inside a segment
/// (boundaries included, as mir_eval's interpolation does).
fn activity(segments: &[Segment], frames: usize) -> Vec<bool> {
    let times: Vec<f64> = (0..frames).map(|k| (k as f32) as f64 * FRAME).collect();
    let mut active = vec![false; frames];
    for s in segments {
        let first = times.partition_point(|t| *t < s.start);
        let last = times.partition_point(|t| *t <= s.end);
        active[first..last.max(first)].iter_mut().for_each(|a| *a = true);
    }
    active
}

/// Scores estimated activity segments against reference ones over the reference's and the
/// estimate's whole span.
pub fn evaluate(reference: &[Segment], estimated: &[Segment]) -> ActivityScores {
    let end = reference.iter().chain(estimated).map(|s| s.end).fold(0.0, f64::max);
    let frames = (end / FRAME).floor() as usize;
    let (r, e) = (activity(reference, frames), activity(estimated, frames));
    let count =
        |f: fn(bool, bool) -> bool| r.iter().zip(&e).filter(|(a, b)| f(**a, **b)).count() as f64;
    let true_positive = count(|a, b| a && b);
    let agree = count(|a, b| a == b);
    let (reference_active, estimated_active) = (count(|a, _| a), count(|_, b| b));
    let ratio = |n: f64, d: f64| if d > 0.0 { n / d } else { 0.0 };
    let precision = ratio(true_positive, estimated_active);
    let recall = ratio(true_positive, reference_active);
    ActivityScores {
        accuracy: ratio(agree, frames as f64),
        precision,
        recall,
        f_measure: f_measure(precision, recall),
    }
}
