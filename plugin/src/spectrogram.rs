//! The live spectrogram feed: a log-mel frontend on the audio thread whose columns reach the
//! editor through a lock-free single-producer queue. While no editor is open it computes
//! nothing.

use earshot_dsp::{Compression, Filterbank, Frontend, FrontendConfig, MelNorm, MelScale};
use earshot_dsp::{Spectrum, StreamConfig};
use rtrb::{Consumer, Producer, RingBuffer};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Mel bands of the display.
pub const BANDS: usize = 96;
/// The frequency range shown.
pub const FMIN_HZ: f32 = 30.0;
pub const FMAX_HZ: f32 = 16_000.0;
/// The display's analysis rate and hop (100 columns per second).
const SAMPLE_RATE: u32 = 44_100;
const HOP: usize = 441;
/// Columns per second.
pub const COLUMNS_PER_SECOND: f32 = SAMPLE_RATE as f32 / HOP as f32;

/// The column (since the plug-in's last reset) that shows the moment `seconds`: the time axis
/// the spectrogram and every task's lane share.
pub fn column_at(seconds: f64) -> u64 {
    (seconds * COLUMNS_PER_SECOND as f64).round().max(0.0) as u64
}
/// Band levels shown as the darkest and the brightest colour: a full-scale sine reads just
/// under the ceiling in its band (see the test below); the range spans 100 dB.
pub const FLOOR_DB: f32 = -60.0;
pub const CEILING_DB: f32 = 40.0;
/// Columns the queue holds if the editor falls behind (then new columns are dropped).
const QUEUE_COLUMNS: usize = 256;

/// One spectrogram column: its number (columns since the plug-in's last reset, on the same
/// clock as the onset lane) and its band powers in dB, lowest band first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub index: u64,
    pub bands: [f32; BANDS],
}

/// The features the display shows: 2048-point frames every 10 ms, 96 Slaney mel bands from
/// 30 Hz to 16 kHz, power in dB.
pub fn display_config() -> FrontendConfig {
    FrontendConfig {
        sample_rate: SAMPLE_RATE,
        hop_length: HOP,
        streams: vec![StreamConfig {
            frame_size: 2048,
            spectrum: Spectrum::Power,
            filterbank: Filterbank::Mel {
                bands: BANDS,
                fmin: FMIN_HZ,
                fmax: FMAX_HZ,
                scale: MelScale::Slaney,
                norm: MelNorm::Slaney,
            },
            compression: Compression::Decibels { amin: 1e-12 },
            difference: None,
        }],
        standardisation: None,
    }
}

/// The audio-thread side.
pub struct SpectrogramFeed {
    frontend: Option<Frontend>,
    producer: Producer<Column>,
    editor_open: Arc<AtomicBool>,
    was_open: bool,
    /// The number of the first column since the frontend's last reset.
    first_index: u64,
}

/// The editor side: the queue's consumer and the flag that says an editor is watching.
pub struct SpectrogramReceiver {
    pub columns: Consumer<Column>,
    pub editor_open: Arc<AtomicBool>,
}

/// A connected feed and receiver.
pub fn channel() -> (SpectrogramFeed, SpectrogramReceiver) {
    let (producer, consumer) = RingBuffer::new(QUEUE_COLUMNS);
    let editor_open = Arc::new(AtomicBool::new(false));
    let feed = SpectrogramFeed {
        frontend: None,
        producer,
        editor_open: editor_open.clone(),
        was_open: false,
        first_index: 0,
    };
    (feed, SpectrogramReceiver { columns: consumer, editor_open })
}

impl SpectrogramFeed {
    /// Builds the frontend for the host's sample rate (allocates: call from `activate`).
    /// Returns `false` if the rate is unsupported, in which case the feed stays silent.
    pub fn activate(&mut self, sample_rate: f32) -> bool {
        self.frontend = Frontend::new(&display_config(), sample_rate as f64).ok();
        self.was_open = false;
        self.frontend.is_some()
    }

    /// Analyses one block, which starts `seconds` after the plug-in's last reset, and queues
    /// the finished columns, if an editor is open.
    pub fn process(&mut self, channels: &[&mut [f32]], frames: usize, seconds: f64) {
        let open = self.editor_open.load(Ordering::Relaxed);
        let Some(frontend) = self.frontend.as_mut().filter(|_| open) else {
            self.was_open = false;
            return;
        };
        if !self.was_open {
            frontend.reset();
            self.was_open = true;
            self.first_index = column_at(seconds);
        }
        let (producer, first_index) = (&mut self.producer, self.first_index);
        frontend.push(channels, frames, |frame| {
            let mut column = Column { index: first_index + frame.index, bands: [0.0; BANDS] };
            column.bands.copy_from_slice(&frame.values[..BANDS]);
            // A full queue means the editor is behind: dropping the column is what it wants.
            let _ = producer.push(column);
        });
    }
}

/// Why the spectrogram cannot run at `sample_rate` (its frontend's rate rules, as for the
/// onsets), or `None` when it can. Not for the audio thread.
pub fn unsupported_rate(sample_rate: f32) -> Option<String> {
    Frontend::new(&display_config(), sample_rate as f64).err().map(|e| e.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_with_editor(rate: f32) -> (SpectrogramFeed, SpectrogramReceiver) {
        let (mut feed, receiver) = channel();
        assert!(feed.activate(rate));
        receiver.editor_open.store(true, Ordering::Relaxed);
        (feed, receiver)
    }

    #[test]
    fn a_full_scale_sine_peaks_just_under_the_ceiling() {
        let (mut feed, mut receiver) = feed_with_editor(48_000.0);
        let mut sine: Vec<f32> = (0..48_000)
            .map(|i| (std::f32::consts::TAU * 1000.0 * i as f32 / 48_000.0).sin())
            .collect();
        feed.process(&[sine.as_mut_slice()], 48_000, 0.0);
        let mut loudest = f32::NEG_INFINITY;
        while let Ok(column) = receiver.columns.pop() {
            loudest = column.bands.iter().fold(loudest, |m, &x| m.max(x));
        }
        assert!((CEILING_DB - 8.0..CEILING_DB).contains(&loudest), "full scale reads {loudest} dB");
    }

    /// nice-plug's allocation guard is this test binary's global allocator (debug builds with
    /// `assert_process_allocs`): an allocation inside `assert_no_alloc` aborts the test.
    #[test]
    fn processing_never_allocates() {
        for rate in [44_100.0, 48_000.0, 96_000.0] {
            let (mut feed, mut receiver) = feed_with_editor(rate);
            let mut block = vec![0.25f32; 4096];
            nice_assert_no_alloc::assert_no_alloc(|| {
                for size in [1, 64, 441, 4096] {
                    for _ in 0..20 {
                        feed.process(&[&mut block[..size]], size, 0.0);
                    }
                }
            });
            assert!(receiver.columns.pop().is_ok(), "{rate} Hz: no column was made");
        }
    }

    #[test]
    fn nothing_is_computed_without_an_editor() {
        let (mut feed, mut receiver) = channel();
        assert!(feed.activate(44_100.0));
        let mut audio = vec![0.5f32; 44_100];
        feed.process(&[audio.as_mut_slice()], 44_100, 0.0);
        assert!(receiver.columns.pop().is_err());
        receiver.editor_open.store(true, Ordering::Relaxed);
        feed.process(&[audio.as_mut_slice()], 44_100, 1.0);
        assert!(receiver.columns.slots() > 50, "columns arrive once an editor watches");
        // Numbered on the plug-in's clock: the editor opened one second in.
        assert_eq!(receiver.columns.pop().unwrap().index, 100);
    }
}
