//! The one handle every editor window gets: what the audio thread shares with the editor.

use crate::meter::MeterReadings;
use crate::params::EarshotParams;
use crate::spectrogram::SpectrogramReceiver;
use crate::tasks::TaskFeeds;
use std::sync::{Arc, Mutex};

/// The parameters, the meter's atomics, and the queues the editor polls (the spectrogram's and
/// each task's). The audio thread only writes atomics and pushes to lock-free queues; only the
/// editor's thread locks the receivers.
pub struct Shared {
    pub params: Arc<EarshotParams>,
    pub readings: MeterReadings,
    pub spectrogram: Mutex<SpectrogramReceiver>,
    pub tasks: TaskFeeds,
}
