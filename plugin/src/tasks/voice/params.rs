//! The voice task's parameters: whether it runs, its sensitivity, and its MIDI out (a note held
//! while someone sings, the singing probability as a control change, their channel).

use crate::params::{midi_channel, midi_channel_param, midi_key_param, percent_param};
use earshot_engine::midi::NoteMapping;
use earshot_engine::tasks::voice::SENSITIVITY;
use earshot_engine::TaskKind;
use nice_plug::prelude::*;

/// The controller the singing probability goes out on by default: CC 20, which General MIDI
/// leaves undefined, so that nothing answers it until the user maps it.
pub const DEFAULT_CONTROLLER: u8 = 20;

#[derive(Params)]
pub struct VoiceParams {
    /// Whether the singing detector runs (its lane, indicator and MIDI out).
    #[id = "voice"]
    pub enabled: BoolParam,
    /// How readily singing is reported, 0–1 (it starts at a probability of 0.9 − 0.8 × this).
    #[id = "voice_sensitivity"]
    pub sensitivity: FloatParam,
    /// Whether a note is held while someone sings.
    #[id = "voice_midi"]
    pub note_out: BoolParam,
    /// The MIDI key of that note.
    #[id = "voice_note"]
    pub note: IntParam,
    /// Whether the singing probability goes out as a control change.
    #[id = "voice_cc_out"]
    pub cc_out: BoolParam,
    /// The controller number, 0–127.
    #[id = "voice_cc"]
    pub controller: IntParam,
    /// The MIDI channel of both, 1–16.
    #[id = "voice_channel"]
    pub midi_channel: IntParam,
}

impl VoiceParams {
    /// How singing becomes a note now.
    pub fn mapping(&self) -> NoteMapping {
        NoteMapping {
            channel: midi_channel(&self.midi_channel),
            key: self.note.value().clamp(0, 127) as u8,
            ..NoteMapping::default_for(TaskKind::Voice).expect("singing is a note")
        }
    }

    /// The controller the probability goes out on, 0–127.
    pub fn controller(&self) -> u8 {
        self.controller.value().clamp(0, 127) as u8
    }
}

impl Default for VoiceParams {
    fn default() -> Self {
        let notes = NoteMapping::default_for(TaskKind::Voice).expect("singing is a note");
        Self {
            enabled: BoolParam::new("Voice", true),
            sensitivity: percent_param("Voice sensitivity", &SENSITIVITY),
            note_out: BoolParam::new("MIDI voice note", true),
            note: midi_key_param("Voice MIDI note", notes.key),
            cc_out: BoolParam::new("MIDI voice CC", true),
            controller: IntParam::new(
                "Voice MIDI CC",
                DEFAULT_CONTROLLER as i32,
                IntRange::Linear { min: 0, max: 127 },
            ),
            midi_channel: midi_channel_param("Voice MIDI channel", notes.channel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_engine_mapping() {
        let params = VoiceParams::default();
        assert_eq!(Some(params.mapping()), NoteMapping::default_for(TaskKind::Voice));
        assert_eq!(params.controller(), DEFAULT_CONTROLLER);
        assert_eq!(params.sensitivity.value(), SENSITIVITY.default);
    }
}
