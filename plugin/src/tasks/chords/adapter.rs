//! The chord task on the audio thread: its parameters applied to the engine before each block,
//! each chord change sent to the editor and, while MIDI chords are on, its tones held on the
//! MIDI out until the next change.

use crate::feed::FeedProducer;
use crate::params::EarshotParams;
use crate::spectrogram::column_at;
use crate::tasks::TaskAdapter;
use earshot_engine::midi::{HeldChord, LiveMidi, NoteMapping};
use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::tasks::chords::STEADINESS_SETTING;
use earshot_engine::{Engine, Event, TaskKind};

/// A chord change at a column of the spectrogram's time axis, with the decoder's beliefs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChordMark {
    pub index: u64,
    pub chord: Chord,
    pub confidence: f32,
    pub runner_up: Chord,
    pub runner_up_confidence: f32,
}

/// Changes the feed holds if the editor falls behind.
pub const CHORD_FEED_CAPACITY: usize = 256;

/// The audio-thread side of the chord task.
pub struct ChordAdapter {
    feed: FeedProducer<ChordMark>,
    held: HeldChord,
    /// The mapping the held tones were started with.
    mapping: Option<NoteMapping>,
}

impl ChordAdapter {
    pub fn new(feed: FeedProducer<ChordMark>) -> Self {
        ChordAdapter { feed, held: HeldChord::default(), mapping: None }
    }

    /// The mapping chord notes take now, if they go out at all.
    fn wanted_mapping(params: &EarshotParams) -> Option<NoteMapping> {
        let chords = &params.chords;
        (chords.enabled.value() && chords.midi_out.value()).then(|| chords.mapping())
    }
}

impl TaskAdapter for ChordAdapter {
    fn kind(&self) -> TaskKind {
        TaskKind::Chords
    }

    fn apply(&mut self, params: &EarshotParams, engine: &mut Engine, midi: &mut LiveMidi) {
        engine.set_enabled(TaskKind::Chords, params.chords.enabled.value());
        engine.set_index(TaskKind::Chords, STEADINESS_SETTING, params.chords.steadiness.value());
        let wanted = Self::wanted_mapping(params);
        if wanted != self.mapping {
            // Switched off, or moved to another octave or channel: the held tones end now; the
            // next change starts the new ones.
            self.held.release(engine.position(), midi);
            self.mapping = wanted;
        }
    }

    fn on_event(&mut self, _params: &EarshotParams, event: &Event, midi: &mut LiveMidi) {
        let Event::Chord { time, chord, confidence, runner_up, runner_up_confidence } = *event
        else {
            return;
        };
        let index = column_at(time.seconds);
        self.feed.send(ChordMark { index, chord, confidence, runner_up, runner_up_confidence });
        if let Some(mapping) = &self.mapping {
            self.held.change(time, chord, confidence, mapping, midi);
        }
    }

    fn reset(&mut self, midi: &mut LiveMidi) {
        // Tones held end where the analysis restarts.
        self.held.release(0, midi);
    }
}
