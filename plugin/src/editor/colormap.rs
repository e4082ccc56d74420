//! A perceptually uniform colour map for spectrograms: matplotlib's "inferno", sampled at nine
//! points and interpolated linearly (close to the original at display precision).

use egui::Color32;

const INFERNO: [[u8; 3]; 9] = [
    [0, 0, 4],
    [31, 12, 72],
    [85, 15, 109],
    [136, 34, 106],
    [186, 54, 85],
    [227, 89, 51],
    [249, 140, 10],
    [249, 201, 50],
    [252, 255, 164],
];

/// The colour of a value in 0..=1 (clamped; NaN is the darkest colour).
pub fn inferno(value: f32) -> Color32 {
    let value = if value.is_nan() { 0.0 } else { value.clamp(0.0, 1.0) };
    let position = value * (INFERNO.len() - 1) as f32;
    let index = (position as usize).min(INFERNO.len() - 2);
    let fraction = position - index as f32;
    let [a, b] = [INFERNO[index], INFERNO[index + 1]];
    let mix = |i: usize| (a[i] as f32 + (b[i] as f32 - a[i] as f32) * fraction).round() as u8;
    Color32::from_rgb(mix(0), mix(1), mix(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_brightness_order() {
        assert_eq!(inferno(0.0), Color32::from_rgb(0, 0, 4));
        assert_eq!(inferno(1.0), Color32::from_rgb(252, 255, 164));
        assert_eq!(inferno(f32::NAN), inferno(-3.0));
        let luma =
            |c: Color32| 0.2126 * c.r() as f32 + 0.7152 * c.g() as f32 + 0.0722 * c.b() as f32;
        let steps: Vec<f32> = (0..=20).map(|i| luma(inferno(i as f32 / 20.0))).collect();
        assert!(
            steps.windows(2).all(|w| w[1] > w[0]),
            "brightness must rise monotonically: {steps:?}"
        );
    }
}
