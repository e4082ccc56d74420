//! The streaming frontend: host audio in, feature frames out, with one code path for live
//! (blocks of any size) and offline (a whole signal) use.

use crate::config::{ConfigError, FrontendConfig};
use crate::input::InputStage;
use crate::stream::Stream;

/// One analysis frame handed to the caller.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Frame number since the start (or the last reset).
    pub index: u64,
    /// The time of the frame's centre, in seconds since the start.
    pub time: f64,
    /// The concatenated outputs of all streams.
    pub values: &'a [f32],
}

/// The analysis-rate samples of the last `capacity` samples, in a ring.
struct Ring {
    samples: Vec<f32>,
    /// Next write position.
    head: usize,
}

impl Ring {
    /// The `len` samples that end `back` samples before the newest, as two slices in order.
    fn window(&self, len: usize, back: usize) -> (&[f32], &[f32]) {
        let capacity = self.samples.len();
        let start = (self.head + capacity - back - len) % capacity;
        if start + len <= capacity {
            (&self.samples[start..start + len], &[])
        } else {
            (&self.samples[start..], &self.samples[..start + len - capacity])
        }
    }
}

/// Computes feature frames from host audio. Every buffer is sized in [`Frontend::new`]; `push`
/// never allocates, locks or panics.
pub struct Frontend {
    config: FrontendConfig,
    host_rate: u32,
    input: InputStage,
    streams: Vec<Stream>,
    offsets: Vec<usize>,
    ring: Ring,
    /// Samples written to the ring, counting the leading zero padding.
    written: u64,
    /// The `written` count at which the next frame is complete.
    next_frame_end: u64,
    next_index: u64,
    frame: Vec<f32>,
}

impl Frontend {
    /// A frontend for audio arriving at `host_rate` Hz (22 050 to 192 000).
    pub fn new(config: &FrontendConfig, host_rate: f64) -> Result<Self, ConfigError> {
        config.validate()?;
        if !(host_rate.is_finite() && (8_000.0..=384_000.0).contains(&host_rate)) {
            return Err(ConfigError(format!("host sample rate {host_rate} Hz is not supported")));
        }
        let host_rate = host_rate.round() as u32;
        let input = InputStage::new(host_rate, config.sample_rate).map_err(ConfigError)?;
        let streams: Vec<Stream> =
            config.streams.iter().map(|s| Stream::new(s, config.sample_rate)).collect();
        let mut offsets = Vec::with_capacity(streams.len() + 1);
        let mut total = 0;
        for stream in &config.streams {
            offsets.push(total);
            total += stream.output_len();
        }
        offsets.push(total);
        let mut frontend = Self {
            config: config.clone(),
            host_rate,
            input,
            streams,
            offsets,
            ring: Ring { samples: vec![0.0; config.max_frame_size()], head: 0 },
            written: 0,
            next_frame_end: 0,
            next_index: 0,
            frame: vec![0.0; total],
        };
        frontend.reset();
        Ok(frontend)
    }

    /// Values per frame.
    pub fn frame_len(&self) -> usize {
        self.frame.len()
    }

    /// Starts over as if no audio had been pushed (keeps the NaN/Inf count).
    pub fn reset(&mut self) {
        self.input.reset();
        self.streams.iter_mut().for_each(Stream::reset);
        let half = self.config.max_frame_size() / 2;
        self.ring.samples.iter_mut().for_each(|x| *x = 0.0);
        // Frames are centred: the first frame's centre is the first sample, with zeros before it.
        self.ring.head = half % self.ring.samples.len();
        self.written = half as u64;
        self.next_frame_end = 2 * half as u64;
        self.next_index = 0;
    }

    /// How far the newest frame's centre lags the newest input sample, in host samples, at
    /// worst: half the largest frame, the resampler's delay, and its input chunk.
    pub fn latency_samples(&self) -> usize {
        let analysis = (self.config.max_frame_size() / 2 + self.input.delay()) as f64;
        (analysis * self.host_rate as f64 / self.config.sample_rate as f64).ceil() as usize
            + self.input.chunk_wait()
    }

    /// The same latency in seconds.
    pub fn latency_seconds(&self) -> f64 {
        self.latency_samples() as f64 / self.host_rate as f64
    }

    /// NaN or infinite input samples replaced by silence so far.
    pub fn non_finite_samples(&self) -> u64 {
        self.input.non_finite_samples()
    }

    /// Takes a block of host audio (one slice per channel, `frames` long) and calls `on_frame`
    /// for every frame it completes.
    pub fn push<S: AsRef<[f32]>>(
        &mut self,
        channels: &[S],
        frames: usize,
        mut on_frame: impl FnMut(Frame<'_>),
    ) {
        let Self {
            input,
            ring,
            streams,
            offsets,
            written,
            next_frame_end,
            next_index,
            frame,
            config,
            ..
        } = self;
        let hop = config.hop_length as u64;
        let max_half = config.max_frame_size() / 2;
        let capacity = ring.samples.len();
        input.push(channels, frames, &mut |mut samples: &[f32]| {
            while !samples.is_empty() {
                let until_frame = (*next_frame_end - *written) as usize;
                let take = until_frame.min(samples.len()).min(capacity - ring.head);
                ring.samples[ring.head..ring.head + take].copy_from_slice(&samples[..take]);
                ring.head = (ring.head + take) % capacity;
                *written += take as u64;
                samples = &samples[take..];
                if *written == *next_frame_end {
                    for (stream, range) in streams.iter_mut().zip(offsets.windows(2)) {
                        let size = stream.frame_size();
                        let (first, second) = ring.window(size, max_half - size / 2);
                        stream.process(first, second, &mut frame[range[0]..range[1]]);
                    }
                    if let Some(stats) = &config.standardisation {
                        for ((x, mean), std) in frame.iter_mut().zip(&stats.mean).zip(&stats.std) {
                            *x = (*x - mean) / std;
                        }
                    }
                    on_frame(Frame {
                        index: *next_index,
                        time: (*next_index * hop) as f64 / config.sample_rate as f64,
                        values: frame,
                    });
                    *next_index += 1;
                    *next_frame_end += hop;
                }
            }
        });
    }

    /// Offline: the frames of a whole signal, as librosa's `center=True` gives them
    /// (`1 + n/hop` frames for `n` samples at the analysis rate, zeros past the end).
    pub fn process_signal<S: AsRef<[f32]>>(
        config: &FrontendConfig,
        host_rate: f64,
        channels: &[S],
    ) -> Result<Vec<Vec<f32>>, ConfigError> {
        let mut frontend = Self::new(config, host_rate)?;
        let frames = channels.iter().map(|c| c.as_ref().len()).max().unwrap_or(0);
        let analysis_samples =
            (frames as f64 * config.sample_rate as f64 / frontend.host_rate as f64).round() as u64;
        let wanted = (1 + analysis_samples / config.hop_length as u64) as usize;
        let mut out = Vec::with_capacity(wanted);
        frontend.push(channels, frames, |f| out.push(f.values.to_vec()));
        // Zeros after the end complete the last frames (and flush the resampler).
        let silence = vec![0.0f32; 4096];
        while out.len() < wanted {
            frontend.push(&[&silence], silence.len(), |f| out.push(f.values.to_vec()));
        }
        out.truncate(wanted);
        Ok(out)
    }
}
