//! The onset task's parameters: whether it runs, its sensitivity, and the note it sends.

use crate::params::{midi_channel, midi_channel_param, midi_key_param, percent_param};
use earshot_engine::midi::NoteMapping;
use earshot_engine::tasks::onsets::SENSITIVITY;
use earshot_engine::TaskKind;
use nice_plug::prelude::*;

#[derive(Params)]
pub struct OnsetParams {
    /// Whether the onset detector runs (its lane, marks and MIDI notes).
    #[id = "onsets"]
    pub enabled: BoolParam,
    /// How readily an onset is reported, 0–1 (the activation threshold is 0.9 − 0.8 × this).
    #[id = "onset_sensitivity"]
    pub sensitivity: FloatParam,
    /// The MIDI note sent for each onset.
    #[id = "onset_note"]
    pub midi_note: IntParam,
    /// The MIDI channel, 1–16.
    #[id = "onset_channel"]
    pub midi_channel: IntParam,
}

impl OnsetParams {
    /// How the onsets become notes now.
    pub fn mapping(&self) -> NoteMapping {
        NoteMapping {
            channel: midi_channel(&self.midi_channel),
            key: self.midi_note.value().clamp(0, 127) as u8,
            ..NoteMapping::default_for(TaskKind::Onsets).expect("onsets are notes")
        }
    }
}

impl Default for OnsetParams {
    fn default() -> Self {
        let notes = NoteMapping::default_for(TaskKind::Onsets).expect("onsets are notes");
        Self {
            enabled: BoolParam::new("Onsets", true),
            sensitivity: percent_param("Onset sensitivity", &SENSITIVITY),
            midi_note: midi_key_param("Onset MIDI note", notes.key),
            midi_channel: midi_channel_param("Onset MIDI channel", notes.channel),
        }
    }
}
