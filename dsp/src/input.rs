//! From host audio to clean mono samples at the analysis rate: downmix, NaN/Inf and denormal
//! replacement, and sample-rate conversion, set up once: rubato's synchronous FFT resampler for
//! rates with a small ratio to the analysis rate, its asynchronous sinc resampler for the rest,
//! so every whole-hertz rate from 8 to 384 kHz is analysed.

use rubato::audioadapter_buffers::direct::SequentialSlice;
use rubato::{
    Async, Fft, FixedAsync, FixedSync, Resampler, SincInterpolationParameters, WindowFunction,
};

/// Host samples gathered before each resampler call: small enough to add little latency,
/// large enough to keep the FFTs efficient.
const RESAMPLER_CHUNK: usize = 512;
/// The longest FFT-resampler delay accepted, in analysis-rate samples (about 93 ms). Rates with
/// no small ratio to the analysis rate (44 101 Hz, say) would need FFTs as long as the rate and
/// half a second of delay; they go through the sinc resampler instead.
const MAX_RESAMPLER_DELAY: usize = 4096;
/// The sinc resampler's filter length (rubato's recommended starting point): a delay of half
/// of it, 128 samples.
const SINC_LENGTH: usize = 256;
/// The host rates accepted (Hz).
const HOST_RATES: std::ops::RangeInclusive<u32> = 8_000..=384_000;
/// Magnitudes below this are set to zero so no denormal reaches the filters.
const DENORMAL_FLOOR: f32 = 1e-30;

/// Downmixes and converts host audio; calls back with runs of analysis-rate samples.
pub struct InputStage {
    converter: Option<Converter>,
    non_finite: u64,
    /// Analysis-rate samples handed on since the last reset.
    produced: u64,
    host_rate: u32,
    analysis_rate: u32,
}

struct Converter {
    resampler: Box<dyn Resampler<f32>>,
    input: Vec<f32>,
    filled: usize,
    output: Vec<f32>,
    /// Leading output samples still to drop so output time zero is input time zero.
    delay_left: usize,
    delay: usize,
}

impl InputStage {
    /// A stage from `host_rate` (8 to 384 kHz, rounded to whole hertz) to `analysis_rate` Hz.
    pub fn new(host_rate: f64, analysis_rate: u32) -> Result<Self, String> {
        let (low, high) = (*HOST_RATES.start() as f64, *HOST_RATES.end() as f64);
        if !(host_rate.is_finite() && (low..=high).contains(&host_rate)) {
            return Err(format!(
                "sample rate {host_rate} Hz is outside the supported {low}..={high} Hz"
            ));
        }
        let host_rate = host_rate.round() as u32;
        let converter = if host_rate == analysis_rate {
            None
        } else {
            let resampler = resampler(host_rate, analysis_rate)?;
            let delay = resampler.output_delay();
            Some(Converter {
                input: vec![0.0; resampler.input_frames_max()],
                output: vec![0.0; resampler.output_frames_max()],
                filled: 0,
                delay_left: delay,
                delay,
                resampler,
            })
        };
        Ok(Self { converter, non_finite: 0, produced: 0, host_rate, analysis_rate })
    }

    /// The host rate, in whole hertz.
    pub fn host_rate(&self) -> u32 {
        self.host_rate
    }

    /// The rate of the samples it hands on.
    pub fn analysis_rate(&self) -> u32 {
        self.analysis_rate
    }

    /// The worst delay, in host samples, from a host sample to the moment an analysis that
    /// needs `analysis_samples` more samples after it (at the analysis rate) can run: those
    /// samples, the resampler's delay, and its input chunk.
    pub fn latency_samples(&self, analysis_samples: usize) -> usize {
        let analysis = (analysis_samples + self.delay()) as f64;
        (analysis * self.host_rate as f64 / self.analysis_rate as f64).ceil() as usize
            + self.chunk_wait()
    }

    /// Analysis-rate samples by which the conversion delays its output (0 without conversion).
    pub fn delay(&self) -> usize {
        self.converter.as_ref().map_or(0, |c| c.delay)
    }

    /// Host samples that may wait in the input chunk before they are converted.
    pub fn chunk_wait(&self) -> usize {
        self.converter.as_ref().map_or(0, |c| c.input.len().saturating_sub(1))
    }

    /// NaN or infinite input samples replaced by silence so far.
    pub fn non_finite_samples(&self) -> u64 {
        self.non_finite
    }

    /// Analysis-rate samples handed on since the last reset.
    pub fn produced(&self) -> u64 {
        self.produced
    }

    /// Clears the resampler's state, as at the start of a stream.
    pub fn reset(&mut self) {
        self.produced = 0;
        if let Some(c) = &mut self.converter {
            c.resampler.reset();
            c.filled = 0;
            c.delay_left = c.delay;
        }
    }

    /// Takes `frames` frames of host audio (one slice per channel) and passes the resulting
    /// analysis-rate samples to `sink`, in order, possibly in several runs.
    pub fn push<S: AsRef<[f32]>>(
        &mut self,
        channels: &[S],
        frames: usize,
        sink: &mut impl FnMut(&[f32]),
    ) {
        let produced = &mut self.produced;
        let mut sink = |samples: &[f32]| {
            *produced += samples.len() as u64;
            sink(samples);
        };
        let scale = 1.0 / channels.len().max(1) as f32;
        let mut start = 0;
        while start < frames {
            let mut mono = [0.0f32; 256];
            let run = (frames - start).min(mono.len());
            for channel in channels {
                let samples = channel.as_ref();
                for (slot, &x) in
                    mono[..run].iter_mut().zip(samples.get(start..start + run).unwrap_or(&[]))
                {
                    if x.is_finite() {
                        *slot += x;
                    } else {
                        self.non_finite += 1;
                    }
                }
            }
            for x in &mut mono[..run] {
                *x *= scale;
                if x.abs() < DENORMAL_FLOOR {
                    *x = 0.0;
                }
            }
            match &mut self.converter {
                None => sink(&mono[..run]),
                Some(converter) => converter.push(&mono[..run], &mut sink),
            }
            start += run;
        }
    }
}

/// The synchronous FFT resampler when its delay is short, else the asynchronous sinc one.
fn resampler(host_rate: u32, analysis_rate: u32) -> Result<Box<dyn Resampler<f32>>, String> {
    let fft = Fft::<f32>::new(
        host_rate as usize,
        analysis_rate as usize,
        RESAMPLER_CHUNK,
        1,
        FixedSync::Input,
    );
    match fft {
        Ok(fft) if fft.output_delay() <= MAX_RESAMPLER_DELAY => Ok(Box::new(fft)),
        _ => {
            let parameters =
                SincInterpolationParameters::new(SINC_LENGTH, WindowFunction::BlackmanHarris2);
            let ratio = analysis_rate as f64 / host_rate as f64;
            let sinc = Async::<f32>::new_sinc(
                ratio,
                1.0,
                &parameters,
                RESAMPLER_CHUNK,
                1,
                FixedAsync::Input,
            )
            .map_err(|e| format!("cannot resample {host_rate} Hz to {analysis_rate} Hz: {e}"))?;
            Ok(Box::new(sinc))
        }
    }
}

impl Converter {
    fn push(&mut self, mut samples: &[f32], sink: &mut impl FnMut(&[f32])) {
        while !samples.is_empty() {
            let needed = self.resampler.input_frames_next();
            let take = (needed - self.filled).min(samples.len());
            self.input[self.filled..self.filled + take].copy_from_slice(&samples[..take]);
            self.filled += take;
            samples = &samples[take..];
            if self.filled == needed {
                self.filled = 0;
                let produced = self.convert(needed);
                let skip = self.delay_left.min(produced);
                self.delay_left -= skip;
                if produced > skip {
                    sink(&self.output[skip..produced]);
                }
            }
        }
    }

    /// Resamples one full input chunk into `output`; returns the number of samples made.
    fn convert(&mut self, frames: usize) -> usize {
        let out_frames = self.resampler.output_frames_next();
        let (Ok(input), Ok(mut output)) = (
            SequentialSlice::new(&self.input[..frames], 1, frames),
            SequentialSlice::new_mut(&mut self.output[..out_frames], 1, out_frames),
        ) else {
            return 0;
        };
        match self.resampler.process_into_buffer(&input, &mut output, None) {
            Ok((_, written)) => written,
            Err(_) => 0,
        }
    }
}
