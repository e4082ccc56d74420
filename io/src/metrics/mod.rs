//! Evaluation metrics, computed exactly as mir_eval 0.8 defines them (golden tests against
//! mir_eval's own outputs hold them to 1e-6).

pub mod beat;
pub mod chord;
pub mod key;
pub mod onset;
pub mod segments;

/// The F-measure of a precision and a recall (`mir_eval.util.f_measure`, β = 1): 0 when both
/// are 0.
pub fn f_measure(precision: f64, recall: f64) -> f64 {
    if precision == 0.0 && recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// The size of a maximum one-to-one matching between reference and estimated event times, an
/// estimate matching a reference within `window` seconds (`mir_eval.util.match_events`). Both
/// lists sorted.
pub fn matched_events(reference: &[f64], estimated: &[f64], window: f64) -> usize {
    matched_estimates(reference, estimated, window).into_iter().filter(|&m| m).count()
}

/// Which estimates a maximum one-to-one matching pairs with a reference (see
/// [`matched_events`]). Each estimate's window covers a contiguous, forward-moving run of
/// references, so matching every estimate in order to the earliest free reference it reaches is
/// maximal.
pub fn matched_estimates(reference: &[f64], estimated: &[f64], window: f64) -> Vec<bool> {
    let mut next_free = 0;
    estimated
        .iter()
        .map(|&time| {
            // mir_eval's hit test: reference ≥ time − window and reference ≤ time + window.
            while next_free < reference.len() && reference[next_free] < time - window {
                next_free += 1;
            }
            let hit = next_free < reference.len() && reference[next_free] <= time + window;
            next_free += usize::from(hit);
            hit
        })
        .collect()
}
