//! The beat task's parameters: whether it runs, the tempo's window, and its MIDI out (whether,
//! the beat's and the downbeat's keys, the channel).

use crate::params::{midi_channel, midi_channel_param, midi_key_param};
use earshot_engine::midi::NoteMapping;
use earshot_engine::tasks::beats::WINDOW;
use earshot_engine::TaskKind;
use nice_plug::prelude::*;

#[derive(Params)]
pub struct BeatParams {
    /// Whether the beat tracker runs (its card, lane and MIDI beats).
    #[id = "beats"]
    pub enabled: BoolParam,
    /// Seconds the shown tempo is pooled over.
    #[id = "tempo_window"]
    pub tempo_window: FloatParam,
    /// Whether beats go out as MIDI notes.
    #[id = "beat_midi"]
    pub midi_out: BoolParam,
    /// The MIDI key of a beat that is not a downbeat.
    #[id = "beat_note"]
    pub beat_note: IntParam,
    /// The MIDI key of a downbeat.
    #[id = "downbeat_note"]
    pub downbeat_note: IntParam,
    /// The MIDI channel, 1–16.
    #[id = "beat_channel"]
    pub midi_channel: IntParam,
}

impl BeatParams {
    /// How the beats become notes now.
    pub fn mapping(&self) -> NoteMapping {
        NoteMapping {
            channel: midi_channel(&self.midi_channel),
            key: self.beat_note.value().clamp(0, 127) as u8,
            accent_key: self.downbeat_note.value().clamp(0, 127) as u8,
            ..NoteMapping::default_for(TaskKind::Beats).expect("beats are notes")
        }
    }
}

impl Default for BeatParams {
    fn default() -> Self {
        let notes = NoteMapping::default_for(TaskKind::Beats).expect("beats are notes");
        Self {
            enabled: BoolParam::new("Beats", true),
            tempo_window: FloatParam::new(
                "Tempo window",
                WINDOW.default,
                FloatRange::Skewed {
                    min: WINDOW.min,
                    max: WINDOW.max,
                    factor: FloatRange::skew_factor(-1.5),
                },
            )
            .with_step_size(0.5)
            .with_unit(" s"),
            midi_out: BoolParam::new("MIDI beats", true),
            beat_note: midi_key_param("Beat MIDI note", notes.key),
            downbeat_note: midi_key_param("Downbeat MIDI note", notes.accent_key),
            midi_channel: midi_channel_param("Beat MIDI channel", notes.channel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_engine_mapping() {
        let params = BeatParams::default();
        assert_eq!(Some(params.mapping()), NoteMapping::default_for(TaskKind::Beats));
        assert_eq!(params.tempo_window.value(), WINDOW.default);
    }
}
