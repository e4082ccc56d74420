//! One windowed FFT of a frame, with the plan and buffers made once.

use crate::config::Spectrum;
use realfft::num_complex::Complex32;
use realfft::{RealFftPlanner, RealToComplex};
use std::sync::Arc;

/// The periodic Hann window of `size` samples (`scipy.signal.get_window("hann", size)`, which
/// librosa uses): `0.5 − 0.5·cos(2πn/size)`.
pub fn hann(size: usize) -> Vec<f32> {
    (0..size)
        .map(|n| (0.5 - 0.5 * (std::f64::consts::TAU * n as f64 / size as f64).cos()) as f32)
        .collect()
}

/// Computes the magnitude or power spectrum of one frame. No allocation after construction.
pub struct Stft {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    input: Vec<f32>,
    output: Vec<Complex32>,
    scratch: Vec<Complex32>,
    spectrum: Spectrum,
}

impl Stft {
    pub fn new(frame_size: usize, spectrum: Spectrum) -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(frame_size);
        Self {
            window: hann(frame_size),
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            spectrum,
        }
    }

    /// The number of bins, `frame_size/2 + 1`.
    pub fn bins(&self) -> usize {
        self.output.len()
    }

    /// Windows `first` followed by `second` (a frame split across a ring buffer's wrap; their
    /// lengths add up to the frame size) and writes the spectrum into `out` (`bins()` long).
    pub fn process(&mut self, first: &[f32], second: &[f32], out: &mut [f32]) {
        // Two plain loops (not one over a chained iterator) so that each vectorises.
        let split = first.len().min(self.input.len());
        let (input_first, input_second) = self.input.split_at_mut(split);
        let (window_first, window_second) = self.window.split_at(input_first.len());
        window(input_first, first, window_first);
        window(input_second, second, window_second);
        // The buffers come from the plan itself, so their lengths always match.
        let _ = self.fft.process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch);
        let bins = out.iter_mut().zip(&self.output);
        match self.spectrum {
            Spectrum::Power => bins.for_each(|(value, bin)| *value = bin.norm_sqr()),
            Spectrum::Magnitude => bins.for_each(|(value, bin)| *value = bin.norm_sqr().sqrt()),
        }
    }
}

/// `out[i] = samples[i] · window[i]`.
fn window(out: &mut [f32], samples: &[f32], window: &[f32]) {
    for ((slot, sample), w) in out.iter_mut().zip(samples).zip(window) {
        *slot = sample * w;
    }
}
