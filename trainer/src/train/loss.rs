//! Losses for frame-wise targets. burn's BCE takes only 0/1 targets; onset targets are soft
//! (widened), so the binary cross-entropy is written out here, with a weight on positives to
//! balance the rare onset frames against the many empty ones, and a don't-care target value it
//! leaves out. The categorical cross-entropy is here for the classification tasks (chords, key)
//! that end in a softmax.

use burn::tensor::Tensor;

/// A target value that asks nothing: the binary cross-entropy leaves such values out (an onset
/// too buried in the mix to be heard, neither to be marked nor faulted when marked).
pub const DONT_CARE: f32 = -1.0;

/// Mean of `−(w·y·ln p + (1 − y)·ln(1 − p))` over all values whose target is not
/// [`DONT_CARE`] (0 if none is), `p` clamped into `[1e-7, 1 − 1e-7]`; `predictions` are
/// probabilities (the network ends in a sigmoid).
pub fn weighted_binary_cross_entropy<const D: usize>(
    predictions: Tensor<D>,
    targets: Tensor<D>,
    positive_weight: f32,
) -> Tensor<1> {
    let scored = targets.clone().greater_equal_elem(0.0).float();
    let y = targets.clamp_min(0.0);
    let p = predictions.clamp(1e-7, 1.0 - 1e-7);
    let positive = y.clone() * p.clone().log() * positive_weight;
    let negative = (y.neg() + 1.0) * (p.neg() + 1.0).log();
    let count = scored.clone().sum().clamp_min(1.0);
    ((positive + negative) * scored).sum().neg() / count
}

/// The onset loss of a network with auxiliary outputs: `predictions` and `targets` are
/// `[batch, time, outputs, 1]`, output 0 the onset and the rest auxiliary. The weighted binary
/// cross-entropy of the onset output plus `auxiliary_weight` times that of the others (each a
/// mean over its own values); with one output, just the onset's.
pub fn onset_loss_with_auxiliary(
    predictions: Tensor<4>,
    targets: Tensor<4>,
    positive_weight: f32,
    auxiliary_weight: f32,
) -> Tensor<1> {
    let outputs = predictions.dims()[2];
    let onset = |t: Tensor<4>| t.narrow(2, 0, 1);
    let main = weighted_binary_cross_entropy(
        onset(predictions.clone()),
        onset(targets.clone()),
        positive_weight,
    );
    if outputs == 1 {
        return main;
    }
    let rest = |t: Tensor<4>| t.narrow(2, 1, outputs - 1);
    let auxiliary =
        weighted_binary_cross_entropy(rest(predictions), rest(targets), positive_weight);
    main + auxiliary * auxiliary_weight
}

/// Mean over frames of the categorical cross-entropy `−Σ_c y_c · ln p_c`, for networks that end
/// in a softmax over channels: `predictions` and `targets` are `[batch, time, classes, 1]`, the
/// targets one-hot or soft (any distribution over the classes), `p` clamped to at least 1e-7.
/// A frame whose first target is [`DONT_CARE`] (a chord outside the vocabulary) is left out;
/// 0 if every frame is.
pub fn cross_entropy(predictions: Tensor<4>, targets: Tensor<4>) -> Tensor<1> {
    let scored = targets.clone().narrow(2, 0, 1).greater_equal_elem(0.0).float();
    let log_p = predictions.clamp(1e-7, 1.0).log();
    let per_frame = (targets.clamp_min(0.0) * log_p).sum_dim(2).neg();
    let count = scored.clone().sum().clamp_min(1.0);
    (per_frame * scored).sum() / count
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Device;

    #[test]
    fn matches_the_formula_for_soft_targets() {
        let device = Device::flex();
        let p = Tensor::<1>::from_floats([0.9, 0.2, 0.5], &device);
        let y = Tensor::<1>::from_floats([1.0, 0.0, 0.5], &device);
        let got: f32 = weighted_binary_cross_entropy(p, y, 2.0).into_scalar();
        let expected =
            -(2.0 * 0.9f32.ln() + 0.8f32.ln() + (0.5 * 2.0 * 0.5f32.ln() + 0.5 * 0.5f32.ln()))
                / 3.0;
        assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
    }

    #[test]
    fn dont_care_targets_are_left_out_of_the_mean() {
        let device = Device::flex();
        let p = Tensor::<1>::from_floats([0.9, 0.2, 0.5, 0.01], &device);
        let y = Tensor::<1>::from_floats([1.0, 0.0, DONT_CARE, DONT_CARE], &device);
        let got: f32 = weighted_binary_cross_entropy(p, y, 2.0).into_scalar();
        let expected = -(2.0 * 0.9f32.ln() + 0.8f32.ln()) / 2.0;
        assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
        let none = Tensor::<1>::from_floats([DONT_CARE; 2], &device);
        let p = Tensor::<1>::from_floats([0.3, 0.7], &device);
        assert_eq!(weighted_binary_cross_entropy(p, none, 2.0).into_scalar::<f32>(), 0.0);
    }

    #[test]
    fn the_auxiliary_outputs_add_their_own_mean_with_its_weight() {
        let device = Device::flex();
        // One frame, three outputs: the onset, then two auxiliary ones.
        let p = Tensor::<1>::from_floats([0.9, 0.2, 0.6], &device).reshape([1, 1, 3, 1]);
        let y = Tensor::<1>::from_floats([1.0, 0.0, 1.0], &device).reshape([1, 1, 3, 1]);
        let got: f32 = onset_loss_with_auxiliary(p.clone(), y.clone(), 2.0, 10.0).into_scalar();
        let onset = -2.0 * 0.9f32.ln();
        let auxiliary = -(0.8f32.ln() + 2.0 * 0.6f32.ln()) / 2.0;
        assert!((got - (onset + 10.0 * auxiliary)).abs() < 1e-5, "{got}");
        let alone: f32 = onset_loss_with_auxiliary(p.narrow(2, 0, 1), y.narrow(2, 0, 1), 2.0, 10.0)
            .into_scalar();
        assert!((alone - onset).abs() < 1e-6, "{alone}");
    }

    #[test]
    fn cross_entropy_matches_the_formula_over_the_class_axis() {
        let device = Device::flex();
        // Three frames of three classes: a one-hot target, a soft one, and a don't-care one.
        let p = [0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.2, 0.2, 0.6];
        let p = Tensor::<1>::from_floats(p, &device).reshape([1, 3, 3, 1]);
        let y = [1.0, 0.0, 0.0, 0.0, 0.5, 0.5, DONT_CARE, DONT_CARE, DONT_CARE];
        let y = Tensor::<1>::from_floats(y, &device).reshape([1, 3, 3, 1]);
        let got: f32 = cross_entropy(p, y).into_scalar();
        let expected = -(0.7f32.ln() + 0.5 * 0.3f32.ln() + 0.5 * 0.6f32.ln()) / 2.0;
        assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
    }
}
