//! Analysis-rate mono samples in, feature frames out: the centred frames of every stream of a
//! [`FrontendConfig`], standardised if it says so. Several framers can share one
//! [`InputStage`](crate::InputStage), which downmixes and resamples the host audio once.

use crate::config::{ConfigError, FrontendConfig};
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

/// Computes feature frames from analysis-rate samples. Every buffer is sized in
/// [`Framer::new`]; `push` never allocates, locks or panics.
pub struct Framer {
    config: FrontendConfig,
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

impl Framer {
    /// A framer for samples at `config.sample_rate`.
    pub fn new(config: &FrontendConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let streams: Vec<Stream> =
            config.streams.iter().map(|s| Stream::new(s, config.sample_rate)).collect();
        let mut offsets = Vec::with_capacity(streams.len() + 1);
        let mut total = 0;
        for stream in &config.streams {
            offsets.push(total);
            total += stream.output_len();
        }
        offsets.push(total);
        let mut framer = Self {
            config: config.clone(),
            streams,
            offsets,
            ring: Ring { samples: vec![0.0; config.max_frame_size()], head: 0 },
            written: 0,
            next_frame_end: 0,
            next_index: 0,
            frame: vec![0.0; total],
        };
        framer.reset();
        Ok(framer)
    }

    /// The configuration the frames follow.
    pub fn config(&self) -> &FrontendConfig {
        &self.config
    }

    /// Values per frame.
    pub fn frame_len(&self) -> usize {
        self.frame.len()
    }

    /// How far the newest frame's centre lags the newest sample, in analysis-rate samples: half
    /// the largest frame.
    pub fn latency(&self) -> usize {
        self.config.max_frame_size() / 2
    }

    /// Starts over as if no samples had been pushed.
    pub fn reset(&mut self) {
        self.streams.iter_mut().for_each(Stream::reset);
        let half = self.latency();
        self.ring.samples.iter_mut().for_each(|x| *x = 0.0);
        // Frames are centred: the first frame's centre is the first sample, with zeros before it.
        self.ring.head = half % self.ring.samples.len();
        self.written = half as u64;
        self.next_frame_end = 2 * half as u64;
        self.next_index = 0;
    }

    /// Takes analysis-rate samples and calls `on_frame` for every frame they complete.
    pub fn push(&mut self, mut samples: &[f32], on_frame: &mut impl FnMut(Frame<'_>)) {
        let hop = self.config.hop_length as u64;
        let max_half = self.latency();
        let capacity = self.ring.samples.len();
        while !samples.is_empty() {
            let ring = &mut self.ring;
            let until_frame = (self.next_frame_end - self.written) as usize;
            let take = until_frame.min(samples.len()).min(capacity - ring.head);
            ring.samples[ring.head..ring.head + take].copy_from_slice(&samples[..take]);
            ring.head = (ring.head + take) % capacity;
            self.written += take as u64;
            samples = &samples[take..];
            if self.written == self.next_frame_end {
                for (stream, range) in self.streams.iter_mut().zip(self.offsets.windows(2)) {
                    let size = stream.frame_size();
                    let (first, second) = ring.window(size, max_half - size / 2);
                    stream.process(first, second, &mut self.frame[range[0]..range[1]]);
                }
                if let Some(stats) = &self.config.standardisation {
                    for ((x, mean), std) in self.frame.iter_mut().zip(&stats.mean).zip(&stats.std) {
                        *x = (*x - mean) / std;
                    }
                }
                on_frame(Frame {
                    index: self.next_index,
                    time: (self.next_index * hop) as f64 / self.config.sample_rate as f64,
                    values: &self.frame,
                });
                self.next_index += 1;
                self.next_frame_end += hop;
            }
        }
    }
}
