//! A chord as held MIDI notes: its tones start where the chord does and end where the next
//! chord starts (no chord ends them and starts none), so a recorded part holds each chord as
//! long as it was heard.

use super::live::LiveMidi;
use super::mapping::{audible, NoteMapping};
use crate::event::Time;
use crate::tasks::chords::vocabulary::Chord;

/// The chord tones sounding on the MIDI out, if any.
#[derive(Debug, Clone, Default)]
pub struct HeldChord {
    sounding: Option<(u8, [u8; 3])>,
}

impl HeldChord {
    /// Ends the sounding tones at `time` and holds `chord`'s from then, in the octave and on the
    /// channel of `mapping`, at `velocity` (0–1). A tone the full schedule drops is not held.
    pub fn change(
        &mut self,
        time: Time,
        chord: Chord,
        velocity: f32,
        mapping: &NoteMapping,
        midi: &mut LiveMidi,
    ) {
        self.release(time.sample, midi);
        let Some(keys) = mapping.chord_keys(chord) else { return };
        let channel = mapping.channel.min(15);
        let velocity = audible(velocity);
        let mut held = [false; 3];
        for (key, held) in keys.iter().zip(&mut held) {
            *held = midi.hold(time.sample, channel, *key, velocity);
        }
        if held.iter().all(|h| *h) {
            self.sounding = Some((channel, keys));
        } else {
            // All or none: a partial chord would be a wrong chord.
            keys.iter()
                .zip(held)
                .filter(|(_, h)| *h)
                .for_each(|(k, _)| midi.release(time.sample, channel, *k));
        }
    }

    /// Ends the sounding tones at host sample `at` (since the last reset), if any.
    pub fn release(&mut self, at: u64, midi: &mut LiveMidi) {
        if let Some((channel, keys)) = self.sounding.take() {
            keys.iter().for_each(|key| midi.release(at, channel, *key));
        }
    }
}
