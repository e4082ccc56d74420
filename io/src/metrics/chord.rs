//! Chord recognition, as `mir_eval.chord.evaluate`: the estimate is clipped or padded with `N` to
//! the reference's span, both are cut at every boundary of either, and each piece is compared
//! under a vocabulary, weighted by its duration (weighted chord symbol recall); segmentation
//! quality is the directional Hamming distance between the merged segmentations.

use crate::annotations::harte::{self, ChordError, EncodedChord};
use crate::annotations::segments::Segment;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChordScores {
    pub root: f64,
    pub majmin: f64,
    pub sevenths: f64,
    pub tetrads: f64,
    pub overseg: f64,
    pub underseg: f64,
    pub seg: f64,
}

/// Why two chord annotations cannot be compared.
#[derive(Debug, Clone, PartialEq)]
pub enum ChordEvalError {
    Label(ChordError),
    Empty,
    Overlapping,
}

impl std::fmt::Display for ChordEvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChordEvalError::Label(e) => e.fmt(f),
            ChordEvalError::Empty => write!(f, "the reference holds no chord segments"),
            ChordEvalError::Overlapping => write!(f, "chord segments overlap"),
        }
    }
}

impl std::error::Error for ChordEvalError {}

pub fn evaluate(
    reference: &[Segment],
    estimated: &[Segment],
) -> Result<ChordScores, ChordEvalError> {
    if reference.is_empty() {
        return Err(ChordEvalError::Empty);
    }
    let t_min = reference.iter().flat_map(|s| [s.start, s.end]).fold(f64::INFINITY, f64::min);
    let t_max = reference.iter().flat_map(|s| [s.start, s.end]).fold(f64::NEG_INFINITY, f64::max);
    let estimated = adjust(estimated, t_min, t_max);
    let merged_reference = merge_equal_chords(reference)?;
    let merged_estimate = merge_equal_chords(&estimated)?;
    let pieces = common_pieces(reference, &estimated);
    let encode = |label: &str| harte::encode(label).map_err(ChordEvalError::Label);
    let mut comparisons = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut durations = Vec::new();
    for (start, end, reference_label, estimated_label) in &pieces {
        let (r, e) = (encode(reference_label)?, encode(estimated_label)?);
        comparisons[0].push(root(&r, &e));
        comparisons[1].push(majmin(&r, &e));
        comparisons[2].push(sevenths(&r, &e));
        comparisons[3].push(tetrads(&r, &e));
        durations.push((end - start).abs());
    }
    let score = |c: &[f64]| weighted_accuracy(c, &durations);
    let overseg = 1.0 - directional_hamming_distance(&merged_reference, &merged_estimate)?;
    let underseg = 1.0 - directional_hamming_distance(&merged_estimate, &merged_reference)?;
    Ok(ChordScores {
        root: score(&comparisons[0]),
        majmin: score(&comparisons[1]),
        sevenths: score(&comparisons[2]),
        tetrads: score(&comparisons[3]),
        overseg,
        underseg,
        seg: overseg.min(underseg),
    })
}

/// Comparison values: 1 equal, 0 different, −1 not in the vocabulary (left out of the score).
fn root(r: &EncodedChord, e: &EncodedChord) -> f64 {
    if r.semitones.iter().any(|s| *s < 0) {
        return -1.0;
    }
    f64::from(u8::from(r.root == e.root))
}

fn majmin(r: &EncodedChord, e: &EncodedChord) -> f64 {
    const MAJOR: [i32; 8] = [1, 0, 0, 0, 1, 0, 0, 1];
    const MINOR: [i32; 8] = [1, 0, 0, 1, 0, 0, 0, 1];
    let head = &r.semitones[..8];
    let no_chord = r.root < 0 && r.semitones.iter().all(|s| *s == 0);
    if head != MAJOR && head != MINOR && !no_chord {
        return -1.0;
    }
    f64::from(u8::from(r.root == e.root && r.semitones[..8] == e.semitones[..8]))
}

fn sevenths(r: &EncodedChord, e: &EncodedChord) -> f64 {
    const VOCABULARY: [[i32; 12]; 6] = [
        [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0],
        [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0],
        [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1],
        [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
        [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
        [0; 12],
    ];
    if !VOCABULARY.contains(&r.semitones) {
        return -1.0;
    }
    f64::from(u8::from(r.root == e.root && r.semitones == e.semitones))
}

fn tetrads(r: &EncodedChord, e: &EncodedChord) -> f64 {
    if r.semitones.iter().any(|s| *s < 0) {
        return -1.0;
    }
    f64::from(u8::from(r.root == e.root && r.semitones == e.semitones))
}

/// `mir_eval.chord.weighted_accuracy`.
fn weighted_accuracy(comparisons: &[f64], weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    if total == 0.0 {
        return 0.0;
    }
    let valid: Vec<(f64, f64)> = comparisons
        .iter()
        .zip(weights)
        .filter(|(c, _)| **c >= 0.0)
        .map(|(c, w)| (*c, *w))
        .collect();
    if valid.is_empty() {
        return 0.0;
    }
    let valid_total: f64 = valid.iter().map(|(_, w)| w).sum();
    valid.iter().map(|(c, w)| c * (w / valid_total)).sum()
}

/// `mir_eval.util.adjust_intervals(…, t_min, t_max, "N", "N")`.
fn adjust(segments: &[Segment], t_min: f64, t_max: f64) -> Vec<Segment> {
    let no_chord = |start, end| Segment { start, end, label: "N".into() };
    if segments.is_empty() {
        return vec![no_chord(t_min, t_max)];
    }
    let first = segments.iter().position(|s| s.end >= t_min).unwrap_or(0);
    let mut adjusted: Vec<Segment> = segments[first..]
        .iter()
        .map(|s| Segment {
            start: s.start.max(t_min),
            end: s.end.max(t_min),
            label: s.label.clone(),
        })
        .collect();
    let lowest = adjusted.iter().flat_map(|s| [s.start, s.end]).fold(f64::INFINITY, f64::min);
    if lowest > t_min {
        adjusted.insert(0, no_chord(t_min, lowest));
    }
    if let Some(last) = adjusted.iter().position(|s| s.start > t_max) {
        adjusted.truncate(last);
    }
    for s in &mut adjusted {
        s.start = s.start.min(t_max);
        s.end = s.end.min(t_max);
    }
    let highest = adjusted.iter().flat_map(|s| [s.start, s.end]).fold(f64::NEG_INFINITY, f64::max);
    if highest < t_max {
        adjusted.push(no_chord(highest, t_max));
    }
    adjusted
}

/// `mir_eval.util.merge_labeled_intervals`: the pieces between all boundaries of both, with the
/// label each side has at the piece's start.
fn common_pieces<'a>(x: &'a [Segment], y: &'a [Segment]) -> Vec<(f64, f64, &'a str, &'a str)> {
    let mut boundaries: Vec<f64> = x.iter().chain(y).flat_map(|s| [s.start, s.end]).collect();
    boundaries.sort_by(f64::total_cmp);
    boundaries.dedup();
    let label_at = |segments: &'a [Segment], t: f64| {
        segments
            .iter()
            .rev()
            .find(|s| t >= s.start)
            .map_or(segments[0].label.as_str(), |s| s.label.as_str())
    };
    boundaries.windows(2).map(|w| (w[0], w[1], label_at(x, w[0]), label_at(y, w[0]))).collect()
}

/// `mir_eval.chord.merge_chord_intervals`: neighbours whose (reduced) encodings are equal merge.
fn merge_equal_chords(segments: &[Segment]) -> Result<Vec<(f64, f64)>, ChordEvalError> {
    let mut merged: Vec<(f64, f64)> = Vec::new();
    let mut previous: Option<EncodedChord> = None;
    for segment in segments {
        let encoded = harte::encode_reduced(&segment.label).map_err(ChordEvalError::Label)?;
        match merged.last_mut() {
            Some(last) if previous == Some(encoded) => last.1 = segment.end,
            _ => merged.push((segment.start, segment.end)),
        }
        previous = Some(encoded);
    }
    Ok(merged)
}

/// `mir_eval.chord.directional_hamming_distance`.
fn directional_hamming_distance(
    reference: &[(f64, f64)],
    estimated: &[(f64, f64)],
) -> Result<f64, ChordEvalError> {
    if reference.windows(2).any(|w| w[0].1 > w[1].0) {
        return Err(ChordEvalError::Overlapping);
    }
    let mut times: Vec<f64> = estimated.iter().flat_map(|(s, e)| [*s, *e]).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let mut distance = 0.0;
    for (start, end) in reference {
        let mut cuts = vec![*start];
        cuts.extend(times.iter().filter(|t| **t >= *start && **t < *end));
        cuts.push(*end);
        let longest = cuts.windows(2).map(|w| w[1] - w[0]).fold(f64::NEG_INFINITY, f64::max);
        distance += (end - start) - longest;
    }
    Ok(distance / (reference[reference.len() - 1].1 - reference[0].0))
}
