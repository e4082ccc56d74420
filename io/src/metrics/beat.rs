//! Beat tracking, as `mir_eval.beat.evaluate`: beats before 5 s are dropped from both lists, then
//! F-measure (±70 ms), Cemgil's accuracy (σ = 40 ms, and its best over metrical variations),
//! P-score (20 % of the median beat interval), and the continuity measures CMLc, CMLt, AMLc,
//! AMLt (17.5 % phase and period tolerance).

use super::{f_measure, matched_events};
use serde::Serialize;

/// Beats before this time (seconds) are ignored, as mir_eval does.
pub const TRIM_BEFORE: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BeatScores {
    pub f_measure: f64,
    pub cemgil: f64,
    pub cemgil_best_metric_level: f64,
    pub p_score: f64,
    pub cml_c: f64,
    pub cml_t: f64,
    pub aml_c: f64,
    pub aml_t: f64,
}

/// Scores sorted estimated beat times against sorted reference times.
pub fn evaluate(reference: &[f64], estimated: &[f64]) -> BeatScores {
    let trim =
        |beats: &[f64]| beats.iter().copied().filter(|t| *t >= TRIM_BEFORE).collect::<Vec<_>>();
    let (reference, estimated) = (trim(reference), trim(estimated));
    let (cemgil, cemgil_best_metric_level) = cemgil(&reference, &estimated, 0.04);
    let (cml_c, cml_t, aml_c, aml_t) = continuity(&reference, &estimated, 0.175, 0.175);
    BeatScores {
        f_measure: beat_f_measure(&reference, &estimated, 0.07),
        cemgil,
        cemgil_best_metric_level,
        p_score: p_score(&reference, &estimated, 0.2),
        cml_c,
        cml_t,
        aml_c,
        aml_t,
    }
}

fn beat_f_measure(reference: &[f64], estimated: &[f64], window: f64) -> f64 {
    if reference.is_empty() || estimated.is_empty() {
        return 0.0;
    }
    let matched = matched_events(reference, estimated, window) as f64;
    f_measure(matched / estimated.len() as f64, matched / reference.len() as f64)
}

/// The reference and its metrical variations: as annotated, off-beat, double tempo, and half
/// tempo on odd and on even beats (`_get_reference_beat_variations`).
fn variations(reference: &[f64]) -> [Vec<f64>; 5] {
    let n = reference.len();
    let double: Vec<f64> = (0..2 * n - 1)
        .map(|i| {
            if i % 2 == 0 {
                reference[i / 2]
            } else {
                (reference[i / 2] + reference[i / 2 + 1]) / 2.0
            }
        })
        .collect();
    [
        reference.to_vec(),
        double.iter().skip(1).step_by(2).copied().collect(),
        double,
        reference.iter().step_by(2).copied().collect(),
        reference.iter().skip(1).step_by(2).copied().collect(),
    ]
}

fn cemgil(reference: &[f64], estimated: &[f64], sigma: f64) -> (f64, f64) {
    if reference.is_empty() || estimated.is_empty() {
        return (0.0, 0.0);
    }
    let accuracies = variations(reference).map(|variant| {
        let total: f64 = variant
            .iter()
            .map(|beat| {
                let nearest = nearest_distance(estimated, *beat);
                (-(nearest * nearest) / (2.0 * sigma * sigma)).exp()
            })
            .sum();
        total / (0.5 * (estimated.len() + variant.len()) as f64)
    });
    (accuracies[0], accuracies.iter().copied().fold(f64::NEG_INFINITY, f64::max))
}

/// The distance from `time` to the nearest of the sorted, non-empty `beats`.
fn nearest_distance(beats: &[f64], time: f64) -> f64 {
    let after = beats.partition_point(|b| *b < time);
    let below = after.checked_sub(1).map_or(f64::INFINITY, |i| (time - beats[i]).abs());
    let above = beats.get(after).map_or(f64::INFINITY, |b| (time - b).abs());
    below.min(above)
}

/// numpy's `argmin` of `|time − beats[i]|` over sorted, non-empty `beats`: the first index of
/// the smallest distance. Rounded differences never grow towards `time` from either side, so
/// the minima are the run before the insertion point and the run from it.
fn nearest_index(beats: &[f64], time: f64) -> usize {
    let after = beats.partition_point(|b| *b < time);
    let distance = |i: usize| (time - beats[i]).abs();
    match after.checked_sub(1) {
        Some(below) if after == beats.len() || distance(below) <= distance(after) => {
            let smallest = distance(below);
            beats[..below].partition_point(|b| (time - b).abs() > smallest)
        }
        _ => after,
    }
}

fn p_score(reference: &[f64], estimated: &[f64], threshold: f64) -> f64 {
    if reference.len() <= 1 || estimated.len() <= 1 {
        return 0.0;
    }
    const RATE: f64 = 100.0;
    let offset = reference.iter().chain(estimated).copied().fold(f64::INFINITY, f64::min);
    // Each beat marks the 10 ms cell `ceil((t − offset)·100)` of a 0/1 train.
    let cells = |beats: &[f64]| {
        let mut cells: Vec<i64> =
            beats.iter().map(|t| ((t - offset) * RATE).ceil() as i64).collect();
        cells.sort_unstable();
        cells.dedup();
        cells
    };
    let (reference_cells, estimated_cells) = (cells(reference), cells(estimated));
    let intervals: Vec<f64> = reference_cells.windows(2).map(|w| (w[1] - w[0]) as f64).collect();
    if intervals.is_empty() {
        return 0.0;
    }
    let window = round_half_even(threshold * median(intervals)) as i64;
    // The cross-correlation of the two trains summed over lags −window..=window: the number of
    // (reference, estimate) cell pairs at most `window` cells apart.
    let pairs: usize = estimated_cells
        .iter()
        .map(|e| {
            let first = reference_cells.partition_point(|r| *r < e - window);
            let end = reference_cells.partition_point(|r| *r <= e + window);
            end - first
        })
        .sum();
    pairs as f64 / reference.len().max(estimated.len()) as f64
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// numpy's `round`: halves go to the even neighbour.
fn round_half_even(x: f64) -> f64 {
    let rounded = x.round();
    if (x - x.trunc()).abs() == 0.5 && rounded % 2.0 != 0.0 {
        rounded - x.signum()
    } else {
        rounded
    }
}

/// `(CMLc, CMLt, AMLc, AMLt)`, following `mir_eval.beat.continuity` step by step.
fn continuity(
    reference: &[f64],
    estimated: &[f64],
    phase_threshold: f64,
    period_threshold: f64,
) -> (f64, f64, f64, f64) {
    if reference.len() <= 1 || estimated.len() <= 1 {
        return (0.0, 0.0, 0.0, 0.0);
    }
    let mut continuous = Vec::with_capacity(5);
    let mut total = Vec::with_capacity(5);
    for variant in variations(reference) {
        let annotations = variant.len().max(estimated.len());
        let mut used = vec![false; annotations];
        let mut successes = vec![false; annotations];
        for m in 0..estimated.len() {
            let nearest = nearest_index(&variant, estimated[m]);
            if used[nearest] {
                continue;
            }
            let min_difference = (estimated[m] - variant[nearest]).abs();
            let (phase, period) = if m == 0 || nearest == 0 {
                // Python's `variant[nearest - 1]` wraps to the last beat when nearest is 0.
                let previous = (nearest + variant.len() - 1) % variant.len();
                let reference_interval = if nearest + 1 < variant.len() {
                    variant[nearest + 1] - variant[nearest]
                } else {
                    variant[nearest] - variant[previous]
                };
                let estimated_interval = if m + 1 < estimated.len() {
                    estimated[m + 1] - estimated[m]
                } else {
                    estimated[m] - estimated[m - 1]
                };
                if reference_interval == 0.0 {
                    (
                        if min_difference == 0.0 { 1.0 } else { f64::INFINITY },
                        if estimated_interval == 0.0 { 0.0 } else { f64::INFINITY },
                    )
                } else {
                    (
                        (min_difference / reference_interval).abs(),
                        (1.0 - estimated_interval / reference_interval).abs(),
                    )
                }
            } else {
                let reference_interval = variant[nearest] - variant[nearest - 1];
                let estimated_interval = estimated[m] - estimated[m - 1];
                (
                    (min_difference / reference_interval).abs(),
                    (1.0 - estimated_interval / reference_interval).abs(),
                )
            };
            if phase < phase_threshold && period < period_threshold {
                used[nearest] = true;
                successes[m] = true;
            }
        }
        // The longest run of successes, with failures assumed before and after.
        let mut longest = 0;
        let mut run = 0;
        for success in &successes {
            run = if *success { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let count = successes.len() as f64;
        continuous.push(longest as f64 / count);
        total.push(successes.iter().filter(|s| **s).count() as f64 / count);
    }
    let best = |values: &[f64]| values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (continuous[0], total[0], best(&continuous), best(&total))
}
