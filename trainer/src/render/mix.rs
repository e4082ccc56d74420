//! The mix after synthesis: shelving EQ, gain changes over time, additive noise, and a final
//! peak normalisation.

use super::plan::RenderPlan;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// The peak the finished mix is scaled to (about −1 dBFS).
const PEAK: f32 = 0.89;

/// A biquad filter (direct form I) with RBJ's shelving coefficients.
struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
}

impl Biquad {
    /// A low (`high == false`) or high shelf at `frequency` with `gain_db`, slope 1.
    fn shelf(high: bool, frequency: f64, gain_db: f64, rate: f64) -> Biquad {
        let a = 10f64.powf(gain_db / 40.0);
        let w = 2.0 * std::f64::consts::PI * frequency / rate;
        let (cos, alpha) = (w.cos(), w.sin() / 2.0 * 2f64.sqrt());
        let root = 2.0 * a.sqrt() * alpha;
        let sign = if high { -1.0 } else { 1.0 };
        let b0 = a * ((a + 1.0) - sign * (a - 1.0) * cos + root);
        let b1 = sign * 2.0 * a * ((a - 1.0) - sign * (a + 1.0) * cos);
        let b2 = a * ((a + 1.0) - sign * (a - 1.0) * cos - root);
        let a0 = (a + 1.0) + sign * (a - 1.0) * cos + root;
        let a1 = -sign * 2.0 * ((a - 1.0) + sign * (a + 1.0) * cos);
        let a2 = (a + 1.0) + sign * (a - 1.0) * cos - root;
        Biquad { b: [b0 / a0, b1 / a0, b2 / a0], a: [a1 / a0, a2 / a0] }
    }

    fn apply(&self, signal: &mut [f32]) {
        let (mut x1, mut x2, mut y1, mut y2) = (0.0, 0.0, 0.0, 0.0);
        for sample in signal {
            let x = *sample as f64;
            let y =
                self.b[0] * x + self.b[1] * x1 + self.b[2] * x2 - self.a[0] * y1 - self.a[1] * y2;
            (x2, x1, y2, y1) = (x1, x, y1, y);
            *sample = y as f32;
        }
    }
}

/// The plan's gain (dB) at time `t`, linear between its points.
fn level_db(points: &[(f64, f32)], t: f64) -> f32 {
    match points.iter().position(|(time, _)| *time > t) {
        None => points.last().map_or(0.0, |p| p.1),
        Some(0) => points[0].1,
        Some(i) => {
            let ((t0, g0), (t1, g1)) = (points[i - 1], points[i]);
            g0 + (g1 - g0) * ((t - t0) / (t1 - t0)) as f32
        }
    }
}

/// Applies EQ, level changes and noise, then normalises the peak.
pub fn finish(channels: &mut [Vec<f32>; 2], plan: &RenderPlan, rate: u32) {
    let rate_f = rate as f64;
    for channel in channels.iter_mut() {
        Biquad::shelf(false, 200.0, plan.low_shelf_db as f64, rate_f).apply(channel);
        Biquad::shelf(true, 4000.0, plan.high_shelf_db as f64, rate_f).apply(channel);
        for (i, sample) in channel.iter_mut().enumerate() {
            *sample *= 10f32.powf(level_db(&plan.level_changes, i as f64 / rate_f) / 20.0);
        }
    }
    if let Some(noise) = plan.noise {
        let power: f64 = channels.iter().flatten().map(|s| (*s as f64).powi(2)).sum::<f64>()
            / (2 * channels[0].len()).max(1) as f64;
        let noise_rms = (power / 10f64.powf(noise.snr_db as f64 / 10.0)).sqrt() as f32;
        let mut rng = SmallRng::seed_from_u64(plan.seed ^ 0x0015e);
        for channel in channels.iter_mut() {
            let mut generated: Vec<f32> =
                (0..channel.len()).map(|_| rng.random_range(-1.0f32..1.0)).collect();
            if noise.pink {
                pink(&mut generated);
            }
            let rms = (generated.iter().map(|s| s * s).sum::<f32>()
                / generated.len().max(1) as f32)
                .sqrt();
            let scale = if rms > 0.0 { noise_rms / rms } else { 0.0 };
            channel.iter_mut().zip(&generated).for_each(|(s, n)| *s += n * scale);
        }
    }
    let peak = channels.iter().flatten().fold(0.0f32, |m, s| m.max(s.abs()));
    if peak > 0.0 {
        let gain = PEAK / peak;
        channels.iter_mut().flatten().for_each(|s| *s *= gain);
    }
}

/// Filters white noise to pink (Paul Kellet's economy filter, ±0.05 dB above 9 Hz).
fn pink(signal: &mut [f32]) {
    let (mut b0, mut b1, mut b2) = (0.0f32, 0.0f32, 0.0f32);
    for sample in signal {
        let white = *sample;
        b0 = 0.99765 * b0 + white * 0.0990460;
        b1 = 0.96300 * b1 + white * 0.2965164;
        b2 = 0.57000 * b2 + white * 1.0526913;
        *sample = b0 + b1 + b2 + white * 0.1848;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelves_have_their_gain_far_from_the_corner_and_unity_at_the_other_end() {
        let gain_at = |filter: &Biquad, frequency: f64| {
            let mut tone: Vec<f32> = (0..44_100)
                .map(|i| {
                    (i as f64 * frequency * 2.0 * std::f64::consts::PI / 44_100.0).sin() as f32
                })
                .collect();
            filter.apply(&mut tone);
            let rms = (tone[22_050..].iter().map(|s| s * s).sum::<f32>() / 22_050.0).sqrt();
            20.0 * (rms * 2f32.sqrt()).log10()
        };
        let low = Biquad::shelf(false, 200.0, 6.0, 44_100.0);
        assert!((gain_at(&low, 30.0) - 6.0).abs() < 0.3);
        assert!(gain_at(&low, 8000.0).abs() < 0.1);
        let high = Biquad::shelf(true, 4000.0, -6.0, 44_100.0);
        assert!((gain_at(&high, 16_000.0) + 6.0).abs() < 0.5);
        assert!(gain_at(&high, 100.0).abs() < 0.1);
    }

    #[test]
    fn level_changes_interpolate_between_points() {
        let points = [(0.0, 0.0), (10.0, -6.0), (20.0, 0.0)];
        assert_eq!(level_db(&points, 5.0), -3.0);
        assert_eq!(level_db(&points, 25.0), 0.0);
        assert_eq!(level_db(&points, 10.0), -6.0);
    }
}
