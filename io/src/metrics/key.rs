//! Key estimation: mir_eval's weighted score (1 same key, 0.5 a fifth up, 0.3 relative, 0.2
//! parallel, else 0).

use crate::annotations::key::{Key, Mode};

/// `mir_eval.key.weighted_score(reference, estimated)`.
pub fn weighted_score(reference: &Key, estimated: &Key) -> f64 {
    let (Some(ref_tonic), Some(est_tonic)) = (reference.tonic, estimated.tonic) else {
        // Both unknown ("X") is a match; one unknown is not.
        return if reference.tonic == estimated.tonic { 1.0 } else { 0.0 };
    };
    let (ref_mode, est_mode) = (reference.mode, estimated.mode);
    let interval = (est_tonic as i32 - ref_tonic as i32).rem_euclid(12);
    if ref_tonic == est_tonic && ref_mode == est_mode {
        1.0
    } else if est_mode == ref_mode && interval == 7 {
        0.5
    } else if est_mode != ref_mode
        && ((ref_mode == Mode::Major && interval == 9)
            || (ref_mode == Mode::Minor && interval == 3))
    {
        // The relative minor or major.
        0.3
    } else if est_mode != ref_mode && ref_tonic == est_tonic {
        0.2
    } else {
        0.0
    }
}
