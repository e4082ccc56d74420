//! The chord task's parameters: whether it runs, its steadiness, and its MIDI chord out
//! (whether, in which octave, on which channel).

use crate::params::{midi_channel, midi_channel_param, percent_param};
use earshot_engine::midi::NoteMapping;
use earshot_engine::tasks::chords::STEADINESS;
use earshot_engine::TaskKind;
use nice_plug::prelude::*;
use std::sync::Arc;

/// The octave numbers the chord notes may take (C-1 is MIDI key 0).
const OCTAVES: (i32, i32) = (-1, 8);

#[derive(Params)]
pub struct ChordParams {
    /// Whether the chord recogniser runs (its display, lane and MIDI chords).
    #[id = "chords"]
    pub enabled: BoolParam,
    /// How long a chord holds through frames that doubt it, 0–1.
    #[id = "chord_steadiness"]
    pub steadiness: FloatParam,
    /// Whether the chord's tones go out as MIDI notes, held while it holds.
    #[id = "chord_midi"]
    pub midi_out: BoolParam,
    /// The octave of the chord notes, its C named as in C3 (MIDI key 48).
    #[id = "chord_octave"]
    pub midi_octave: IntParam,
    /// The MIDI channel, 1–16.
    #[id = "chord_channel"]
    pub midi_channel: IntParam,
}

impl ChordParams {
    /// How the chords become notes now.
    pub fn mapping(&self) -> NoteMapping {
        NoteMapping {
            channel: midi_channel(&self.midi_channel),
            key: octave_key(self.midi_octave.value()),
            ..NoteMapping::default_for(TaskKind::Chords).expect("chords are notes")
        }
    }
}

/// The MIDI key of octave `octave`'s C (C3 is 48).
fn octave_key(octave: i32) -> u8 {
    ((octave.clamp(OCTAVES.0, OCTAVES.1) + 1) * 12) as u8
}

impl Default for ChordParams {
    fn default() -> Self {
        let notes = NoteMapping::default_for(TaskKind::Chords).expect("chords are notes");
        Self {
            enabled: BoolParam::new("Chords", true),
            steadiness: percent_param("Chord steadiness", &STEADINESS),
            midi_out: BoolParam::new("MIDI chords", true),
            midi_octave: IntParam::new(
                "Chord MIDI octave",
                notes.key as i32 / 12 - 1,
                IntRange::Linear { min: OCTAVES.0, max: OCTAVES.1 },
            )
            .with_value_to_string(Arc::new(|octave| format!("C{octave}")))
            .with_string_to_value(Arc::new(|text| {
                text.trim().trim_start_matches(['C', 'c']).parse().ok()
            })),
            midi_channel: midi_channel_param("Chord MIDI channel", notes.channel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_engine_mapping_and_octaves_name_their_c() {
        let params = ChordParams::default();
        let mapping = params.mapping();
        assert_eq!(Some(mapping), NoteMapping::default_for(TaskKind::Chords));
        assert_eq!(params.midi_octave.to_string(), "C3");
        assert_eq!(
            (octave_key(-1), octave_key(4), octave_key(8), octave_key(20)),
            (0, 60, 108, 108)
        );
        let octave = &params.midi_octave;
        assert_eq!(octave.preview_plain(octave.string_to_normalized_value("C5").unwrap()), 5);
    }
}
