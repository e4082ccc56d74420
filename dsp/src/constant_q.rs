//! The constant-Q transform as librosa 0.11 computes it when the hop has no factor of two (no
//! early downsampling, e.g. hop 441): per octave, a rectangular-window FFT of the frame's
//! centre, multiplied by the FFTs of Hann-windowed, L1-normalised complex wavelets (sparsified
//! to 99 % of each kernel's mass, librosa's default), then scaled by `1/sqrt(filter length)`.

use realfft::num_complex::{Complex32, Complex64};
use realfft::{RealFftPlanner, RealToComplex};
use rustfft::FftPlanner;
use std::sync::Arc;

/// The Hann window's equivalent noise bandwidth in bins (librosa's `WINDOW_BANDWIDTHS["hann"]`).
const HANN_BANDWIDTH: f64 = 1.50018310546875;
/// The share of each kernel's L1 mass that sparsification may drop (librosa's `sparsity`).
const SPARSITY: f32 = 0.01;

/// The layout of a constant-Q filterbank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantQSpec {
    pub sample_rate: f64,
    pub fmin: f64,
    pub bins: usize,
    pub bins_per_octave: usize,
}

impl ConstantQSpec {
    /// Centre frequencies, `fmin·2^(k/bins_per_octave)`.
    pub fn frequencies(&self) -> Vec<f64> {
        (0..self.bins)
            .map(|k| self.fmin * 2f64.powf(k as f64 / self.bins_per_octave as f64))
            .collect()
    }

    /// The quality factor: `1/alpha` with alpha the relative bandwidth of equal temperament.
    fn q(&self) -> f64 {
        let ratio = 2f64.powf(2.0 / self.bins_per_octave as f64);
        (ratio + 1.0) / (ratio - 1.0)
    }

    /// Filter lengths in samples (fractional), `Q·sr/f`.
    fn lengths(&self) -> Vec<f64> {
        let q = self.q();
        self.frequencies().iter().map(|f| q * self.sample_rate / f).collect()
    }

    /// The highest frequency any filter reaches; must stay below Nyquist.
    pub fn cutoff(&self) -> f64 {
        let top = self.fmin * 2f64.powf((self.bins - 1) as f64 / self.bins_per_octave as f64);
        top * (1.0 + 0.5 * HANN_BANDWIDTH / self.q())
    }

    /// Bins per octave group, from the top: librosa's octave slices.
    fn octaves(&self) -> Vec<std::ops::Range<usize>> {
        let per = self.bins_per_octave.min(self.bins);
        let count = self.bins.div_ceil(self.bins_per_octave);
        (0..count).map(|i| self.bins.saturating_sub(per * (i + 1))..self.bins - per * i).collect()
    }

    /// The FFT size of an octave: the next power of two of its longest filter.
    fn fft_size(lengths: &[f64]) -> usize {
        let longest = lengths.iter().fold(0.0f64, |m, &l| m.max(l));
        2f64.powf(longest.log2().ceil()) as usize
    }

    /// The frame size the transform needs: the lowest octave's FFT size.
    pub fn frame_size(&self) -> usize {
        let lengths = self.lengths();
        self.octaves().last().map_or(0, |r| Self::fft_size(&lengths[r.clone()]))
    }
}

/// One octave's FFT and kernels.
struct Octave {
    fft: Arc<dyn RealToComplex<f32>>,
    input: Vec<f32>,
    spectrum: Vec<Complex32>,
    scratch: Vec<Complex32>,
    /// Per bin: the first FFT bin of its kernel and the kernel's span.
    kernels: Vec<(usize, Vec<Complex32>)>,
    /// The output bins this octave fills.
    bins: std::ops::Range<usize>,
}

/// A constant-Q transform with everything built once.
pub struct ConstantQ {
    octaves: Vec<Octave>,
    /// `1/sqrt(filter length)` per bin.
    scales: Vec<f32>,
}

impl ConstantQ {
    pub fn new(spec: ConstantQSpec) -> Self {
        let lengths = spec.lengths();
        let frequencies = spec.frequencies();
        let mut real_planner = RealFftPlanner::<f32>::new();
        let mut complex_planner = FftPlanner::<f64>::new();
        let octaves = spec
            .octaves()
            .into_iter()
            .map(|bins| {
                let n = ConstantQSpec::fft_size(&lengths[bins.clone()]);
                let kernel_fft = complex_planner.plan_fft_forward(n);
                let kernels = bins
                    .clone()
                    .map(|k| {
                        let mut kernel = wavelet(frequencies[k], lengths[k], spec.sample_rate, n);
                        kernel_fft.process(&mut kernel);
                        sparsify(&kernel[..=n / 2])
                    })
                    .collect();
                let fft = real_planner.plan_fft_forward(n);
                Octave {
                    input: fft.make_input_vec(),
                    spectrum: fft.make_output_vec(),
                    scratch: fft.make_scratch_vec(),
                    fft,
                    kernels,
                    bins,
                }
            })
            .collect();
        Self { octaves, scales: lengths.iter().map(|l| (1.0 / l.sqrt()) as f32).collect() }
    }

    /// Computes the magnitudes of all bins for one frame, given as two slices (a ring's wrap)
    /// of the frame size; each octave uses the centred part of the frame it needs.
    pub fn process(&mut self, first: &[f32], second: &[f32], out: &mut [f32]) {
        let frame_size = first.len() + second.len();
        for octave in &mut self.octaves {
            let n = octave.input.len();
            let skip = (frame_size - n) / 2;
            let samples = first.iter().chain(second).skip(skip);
            for (slot, &x) in octave.input.iter_mut().zip(samples) {
                *slot = x;
            }
            let _ = octave.fft.process_with_scratch(
                &mut octave.input,
                &mut octave.spectrum,
                &mut octave.scratch,
            );
            for ((start, kernel), bin) in octave.kernels.iter().zip(octave.bins.clone()) {
                let spectrum = &octave.spectrum[*start..*start + kernel.len()];
                let response: Complex32 = kernel.iter().zip(spectrum).map(|(b, d)| b * d).sum();
                if let (Some(value), Some(scale)) = (out.get_mut(bin), self.scales.get(bin)) {
                    *value = response.norm() * scale;
                }
            }
        }
    }
}

/// librosa's `filters.wavelet` for one frequency, centred in `n` samples and scaled by
/// `length/n` as `__vqt_filter_fft` does; computed in f64, then rounded to complex64 like
/// librosa's basis.
fn wavelet(frequency: f64, length: f64, sample_rate: f64, n: usize) -> Vec<Complex64> {
    let start = (-length / 2.0).floor() as i64;
    let stop = (length / 2.0).floor() as i64;
    let count = (stop - start) as usize;
    let tau = std::f64::consts::TAU;
    let mut samples: Vec<Complex64> = (0..count)
        .map(|i| {
            let angle = (start + i as i64) as f64 * tau * frequency / sample_rate;
            let window = 0.5 - 0.5 * (tau * i as f64 / count as f64).cos();
            Complex64::from_polar(window, angle)
        })
        .collect();
    let l1: f64 = samples.iter().map(|s| s.norm()).sum();
    let left = (n - count) / 2;
    let mut centred = vec![Complex64::new(0.0, 0.0); n];
    for (slot, s) in centred[left..].iter_mut().zip(&mut samples) {
        let basis = *s / l1;
        let rounded = Complex64::new(basis.re as f32 as f64, basis.im as f32 as f64);
        *slot = rounded * (length / n as f64);
    }
    centred
}

/// librosa's `util.sparsify_rows` for one kernel: drop the smallest coefficients that together
/// hold less than [`SPARSITY`] of its L1 mass; returns the first kept bin and the kept span.
fn sparsify(kernel: &[Complex64]) -> (usize, Vec<Complex32>) {
    let kernel: Vec<Complex32> =
        kernel.iter().map(|c| Complex32::new(c.re as f32, c.im as f32)).collect();
    let mut magnitudes: Vec<f32> = kernel.iter().map(|c| c.norm()).collect();
    let norm: f32 = magnitudes.iter().sum();
    magnitudes.sort_by(f32::total_cmp);
    let mut cumulative = 0.0f32;
    let threshold = magnitudes
        .iter()
        .find(|&&m| {
            cumulative += m / norm;
            cumulative >= SPARSITY
        })
        .copied()
        .unwrap_or(0.0);
    let kept = |c: &Complex32| c.norm() >= threshold;
    let first = kernel.iter().position(kept).unwrap_or(0);
    let last = kernel.iter().rposition(kept).map_or(first, |l| l + 1);
    let span = kernel[first..last]
        .iter()
        .map(|c| if kept(c) { *c } else { Complex32::new(0.0, 0.0) })
        .collect();
    (first, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_to_b7_needs_a_32768_frame() {
        let spec =
            ConstantQSpec { sample_rate: 44_100.0, fmin: 32.703, bins: 84, bins_per_octave: 12 };
        assert_eq!(spec.frame_size(), 32_768);
        assert_eq!(spec.octaves().len(), 7);
        assert!(spec.cutoff() < 22_050.0);
    }
}
