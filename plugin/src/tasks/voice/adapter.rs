//! The voice task on the audio thread: its parameters applied to the engine before each block,
//! the singing probability and each start and stop of singing sent to the editor and, while
//! the MIDI out is on, a note held while someone sings and the probability as a control change
//! (sent when its 7-bit value changes).

use crate::feed::FeedProducer;
use crate::params::EarshotParams;
use crate::spectrogram::column_at;
use crate::tasks::TaskAdapter;
use earshot_engine::midi::mapping::audible;
use earshot_engine::midi::{value_7bit, LiveMidi};
use earshot_engine::tasks::voice::SENSITIVITY_SETTING;
use earshot_engine::{Engine, Event, TaskKind};

/// What the voice lane draws, at spectrogram column `index`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VoiceMark {
    /// The singing probability of a frame.
    Probability { index: u64, value: f32 },
    /// Singing starts (`singing`) or stops here.
    Change { index: u64, singing: bool, confidence: f32 },
}

/// Marks the feed holds if the editor falls behind (ten seconds of frames).
pub const VOICE_FEED_CAPACITY: usize = 1024;

/// The audio-thread side of the voice task.
pub struct VoiceAdapter {
    feed: FeedProducer<VoiceMark>,
    /// The note held while someone sings, as (channel, key), when one sounds.
    held: Option<(u8, u8)>,
    /// The control change last queued, as (channel, controller, 7-bit value).
    last_control: Option<(u8, u8, u8)>,
}

impl VoiceAdapter {
    pub fn new(feed: FeedProducer<VoiceMark>) -> Self {
        VoiceAdapter { feed, held: None, last_control: None }
    }

    /// Ends the held note at host sample `at`, if one sounds.
    fn release(&mut self, at: u64, midi: &mut LiveMidi) {
        if let Some((channel, key)) = self.held.take() {
            midi.release(at, channel, key);
        }
    }
}

impl TaskAdapter for VoiceAdapter {
    fn kind(&self) -> TaskKind {
        TaskKind::Voice
    }

    fn apply(&mut self, params: &EarshotParams, engine: &mut Engine, midi: &mut LiveMidi) {
        let voice = &params.voice;
        engine.set_enabled(TaskKind::Voice, voice.enabled.value());
        engine.set_index(TaskKind::Voice, SENSITIVITY_SETTING, voice.sensitivity.value());
        let mapping = voice.mapping();
        let wanted = (voice.enabled.value() && voice.note_out.value())
            .then_some((mapping.channel, mapping.key));
        if self.held.is_some() && self.held != wanted {
            // Switched off, or moved to another key or channel: the note ends now; the next
            // start of singing starts the new one.
            self.release(engine.position(), midi);
        }
    }

    fn on_event(&mut self, params: &EarshotParams, event: &Event, midi: &mut LiveMidi) {
        let voice = &params.voice;
        match *event {
            Event::Activation { time, value, .. } => {
                self.feed.send(VoiceMark::Probability { index: column_at(time.seconds), value });
                if voice.cc_out.value() {
                    let mapping = voice.mapping();
                    let control = (mapping.channel, voice.controller(), value_7bit(value));
                    // A full schedule drops the change; the next one that differs goes out.
                    if self.last_control != Some(control)
                        && midi.control(time.sample, control.0, control.1, value)
                    {
                        self.last_control = Some(control);
                    }
                }
            }
            Event::Voice { time, singing, confidence } => {
                let index = column_at(time.seconds);
                self.feed.send(VoiceMark::Change { index, singing, confidence });
                if !singing {
                    self.release(time.sample, midi);
                } else if voice.note_out.value() && self.held.is_none() {
                    let mapping = voice.mapping();
                    if midi.hold(time.sample, mapping.channel, mapping.key, audible(confidence)) {
                        self.held = Some((mapping.channel, mapping.key));
                    }
                }
            }
            Event::Onset { .. } | Event::Chord { .. } | Event::Key { .. } | Event::Beat { .. } => {}
        }
    }

    fn reset(&mut self, midi: &mut LiveMidi) {
        // A note held ends where the analysis restarts, and the next probability goes out
        // whatever the last was.
        self.release(0, midi);
        self.last_control = None;
    }
}
