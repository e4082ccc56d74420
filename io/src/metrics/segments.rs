//! Vocal-activity segments: frame-wise accuracy, precision, recall and F-measure on a 10 ms
//! grid, active where a segment labelled as singing ([`SUNG`]) covers the frame. Segments of any
//! other label (`nosing`, a render's `lead`) count as silence but extend the span: frames are
//! sampled as `mir_eval.util.intervals_to_samples` does, times `k · 0.01` up to the last end.

use super::f_measure;
use crate::annotations::segments::Segment;
use serde::Serialize;
use std::ops::Range;

/// The frame hop (seconds).
pub const FRAME: f64 = 0.01;

/// The labels that mean someone sings: Earshot's and Jamendo's `sing`, a render's `voice`.
pub const SUNG: [&str; 2] = ["sing", "voice"];

/// Whether a segment's label means someone sings.
pub fn is_sung(segment: &Segment) -> bool {
    SUNG.contains(&segment.label.as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ActivityScores {
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    pub f_measure: f64,
}

/// The time of frame `k`, as mir_eval computes it (a single-precision frame index).
fn frame_time(k: usize) -> f64 {
    (k as f32) as f64 * FRAME
}

/// The first of `frames` frames for which `after(time)` holds, `after` being false then true
/// along the frames (frame times never decrease).
fn first_frame(frames: usize, after: impl Fn(f64) -> bool) -> usize {
    let (mut low, mut high) = (0, frames);
    while low < high {
        let middle = low + (high - low) / 2;
        if after(frame_time(middle)) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    low
}

/// The frames `k < frames` whose time `k·FRAME` lies inside a sung segment (boundaries included, as
/// mir_eval's interpolation does), as sorted, disjoint ranges: a segment costs a binary search,
/// whatever its length, so no frame list is ever built.
fn active_ranges(segments: &[Segment], frames: usize) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = segments
        .iter()
        .filter(|s| is_sung(s))
        .map(|s| first_frame(frames, |t| t >= s.start)..first_frame(frames, |t| t > s.end))
        .filter(|r| !r.is_empty())
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// The number of frames two sorted lists of disjoint ranges share.
fn shared_frames(a: &[Range<usize>], b: &[Range<usize>]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        shared += a[i].end.min(b[j].end).saturating_sub(a[i].start.max(b[j].start));
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    shared
}

/// Scores estimated activity segments against reference ones over the reference's and the
/// estimate's whole span. The cost grows with the number of segments, not with their length.
pub fn evaluate(reference: &[Segment], estimated: &[Segment]) -> ActivityScores {
    let end = reference.iter().chain(estimated).map(|s| s.end).fold(0.0, f64::max);
    let frames = (end / FRAME).floor() as usize;
    let (r, e) = (active_ranges(reference, frames), active_ranges(estimated, frames));
    let total = |ranges: &[Range<usize>]| ranges.iter().map(ExactSizeIterator::len).sum::<usize>();
    let true_positive = shared_frames(&r, &e) as f64;
    let (reference_active, estimated_active) = (total(&r) as f64, total(&e) as f64);
    let agree = frames as f64 - (reference_active + estimated_active - 2.0 * true_positive);
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
