//! The beat task on the audio thread: its parameters applied to the engine before each block,
//! each beat sent to the editor and, while MIDI beats are on, played as a note (the downbeat
//! on its own key).

use crate::feed::FeedProducer;
use crate::params::EarshotParams;
use crate::spectrogram::column_at;
use crate::tasks::TaskAdapter;
use earshot_engine::midi::{note_for, LiveMidi};
use earshot_engine::tasks::beats::tempo::TempoEstimate;
use earshot_engine::tasks::beats::WINDOW_SETTING;
use earshot_engine::{Engine, Event, TaskKind};

/// A beat at a column of the spectrogram's time axis, with its place in the bar and the tempo
/// as of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BeatMark {
    pub index: u64,
    /// 1 for the downbeat.
    pub bar_position: u8,
    pub beats_per_bar: u8,
    pub confidence: f32,
    /// Over the running window.
    pub tempo: TempoEstimate,
}

/// Beats the feed holds if the editor falls behind (a minute at 200 bpm).
pub const BEAT_FEED_CAPACITY: usize = 256;

/// The audio-thread side of the beat task.
pub struct BeatAdapter {
    feed: FeedProducer<BeatMark>,
}

impl BeatAdapter {
    pub fn new(feed: FeedProducer<BeatMark>) -> Self {
        BeatAdapter { feed }
    }
}

impl TaskAdapter for BeatAdapter {
    fn kind(&self) -> TaskKind {
        TaskKind::Beats
    }

    fn apply(&mut self, params: &EarshotParams, engine: &mut Engine, _midi: &mut LiveMidi) {
        engine.set_enabled(TaskKind::Beats, params.beats.enabled.value());
        engine.set_index(TaskKind::Beats, WINDOW_SETTING, params.beats.tempo_window.value());
    }

    fn on_event(&mut self, params: &EarshotParams, event: &Event, midi: &mut LiveMidi) {
        let Event::Beat { time, bar_position, beats_per_bar, confidence, windowed, .. } = *event
        else {
            return;
        };
        let index = column_at(time.seconds);
        self.feed.send(BeatMark {
            index,
            bar_position,
            beats_per_bar,
            confidence,
            tempo: windowed,
        });
        if params.beats.midi_out.value() {
            if let Some(note) = note_for(event, &params.beats.mapping()) {
                // A full schedule means absurd settings; the note is dropped, not queued.
                midi.add(&note);
            }
        }
    }
}
