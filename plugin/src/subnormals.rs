//! Subnormal samples flushed to zero on the way out. They lie below 1.2 × 10⁻³⁸ (about −758 dBFS),
//! far under anything audible, yet they can slow the host's or the next plug-in's arithmetic by
//! orders of magnitude, and CLAP validators refuse them in a plug-in's output.

/// Replaces every subnormal sample with a zero of the same sign; every other value, NaN and
/// infinities included, is left exactly as it is.
pub fn flush(channels: &mut [&mut [f32]]) {
    for sample in channels.iter_mut().flat_map(|channel| channel.iter_mut()) {
        if sample.is_subnormal() {
            *sample = 0.0f32.copysign(*sample);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_subnormals_become_zero_keeping_their_sign() {
        let smallest_normal = f32::MIN_POSITIVE;
        let mut left = [1e-42, -1e-42, smallest_normal, -smallest_normal, 0.5, f32::NAN];
        let mut right = [f32::INFINITY, f32::from_bits(1), 0.0, -0.0, -1.0, 1e-45];
        flush(&mut [&mut left, &mut right]);
        let bits = |values: &[f32]| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        let want_left = [0.0, -0.0, smallest_normal, -smallest_normal, 0.5, f32::NAN];
        let want_right = [f32::INFINITY, 0.0, 0.0, -0.0, -1.0, 0.0];
        assert_eq!(bits(&left), bits(&want_left));
        assert_eq!(bits(&right), bits(&want_right));
    }
}
