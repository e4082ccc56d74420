//! The metrics' cost follows the size of the annotations, not the times written in them: a
//! hostile or mistyped file (a segment ending at 10¹² s, a million beats) gets its scores in
//! bounded memory and time.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_io::annotations::segments::Segment;
use earshot_io::metrics::{beat, segments};
use std::sync::mpsc;
use std::time::Duration;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn segment(start: f64, end: f64) -> Segment {
    Segment { start, end, label: "voice".into() }
}

#[test]
fn activity_scores_of_segments_ending_at_a_trillion_seconds_take_no_memory() {
    let reference = [segment(0.0, 10.0), segment(20.0, 1e12)];
    let estimated = [segment(5.0, 30.0)];
    // A frame-by-frame evaluation would hold 10¹⁴ frames (the fixed one holds a few ranges).
    let (scores, allocations) = allocations_in(|| segments::evaluate(&reference, &estimated));
    assert!(allocations.peak < 64 * 1024, "{allocations:?}");
    // 2 000 of 10¹⁴ frames active in the estimate, 1 500 of them in the reference.
    assert!((scores.precision - 1501.0 / 2501.0).abs() < 1e-3, "{scores:?}");
    assert!(scores.recall < 1e-8 && scores.accuracy < 1e-6, "{scores:?}");
}

/// Runs `f` on another thread and fails if it has not finished within `limit` (a bound on the
/// algorithm's growth, hundreds of times what the n log n metrics need, not a speed test).
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || sender.send(f()));
    receiver.recv_timeout(limit).expect("the evaluation did not finish: quadratic or worse")
}

#[test]
fn a_million_beats_are_scored_in_n_log_n() {
    // 10⁶ beats, 0.5 s apart, and estimates 20 ms late: the continuity and Cemgil searches over
    // 10⁶ × 10⁶ pairs would take hours; sorted searches take a second.
    let reference: Vec<f64> = (0..1_000_000).map(|i| 5.0 + 0.5 * i as f64).collect();
    let estimated: Vec<f64> = reference.iter().map(|t| t + 0.02).collect();
    let scores = within(Duration::from_secs(60), move || beat::evaluate(&reference, &estimated));
    assert_eq!(scores.f_measure, 1.0);
    assert_eq!((scores.cml_c, scores.cml_t, scores.aml_c, scores.aml_t), (1.0, 1.0, 1.0, 1.0));
    assert_eq!(scores.p_score, 1.0);
    assert!((scores.cemgil - (-0.02f64.powi(2) / (2.0 * 0.04f64.powi(2))).exp()).abs() < 1e-9);
}
