//! Which note an event becomes: each task's channel, key and note length, and one velocity scale.

use crate::event::{Event, Time};
use crate::tasks::chords::vocabulary::Chord;
use crate::tasks::TaskKind;

/// How a task's events become notes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteMapping {
    /// MIDI channel, 0–15 (shown to users as 1–16).
    pub channel: u8,
    /// MIDI key, 0–127.
    pub key: u8,
    /// MIDI key of an accented event, 0–127: a downbeat (other beats take `key`). Tasks
    /// without accents ignore it.
    pub accent_key: u8,
    /// How long each note lasts, in seconds (less when the next note on its key comes sooner).
    pub length_seconds: f64,
}

impl NoteMapping {
    /// A task's default, if its events become notes. Each task has a channel of its own, so
    /// that the notes of different tasks never collide: onsets on channel 1; chords on channel
    /// 2, their tones in the octave from C3 (key 48), held while the chord holds; beats on
    /// channel 3, C♯2 (37, General MIDI's side stick) and downbeats C2 (36, bass drum); singing
    /// on channel 4, C4 (60) held while it lasts. The key is not played.
    pub fn default_for(kind: TaskKind) -> Option<NoteMapping> {
        let mapping = |channel, key, accent_key, length_seconds| {
            Some(NoteMapping { channel, key, accent_key, length_seconds })
        };
        match kind {
            TaskKind::Onsets => mapping(0, 60, 60, 0.02),
            TaskKind::Chords => mapping(1, 48, 48, 0.0),
            TaskKind::Beats => mapping(2, 37, 36, 0.05),
            TaskKind::Voice => mapping(3, 60, 60, 0.0),
            TaskKind::Key => None,
        }
    }

    /// The keys of a chord's tones in the octave from this mapping's key (rounded down to a
    /// C), lowest first; none for no chord.
    pub fn chord_keys(&self, chord: Chord) -> Option<[u8; 3]> {
        let octave = self.key.min(127) / 12 * 12;
        let mut keys = chord.pitch_classes()?.map(|pc| (octave + pc).min(127));
        keys.sort_unstable();
        Some(keys)
    }
}

/// A note an event becomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Note {
    pub start: Time,
    pub length_seconds: f64,
    pub channel: u8,
    pub key: u8,
    /// 0–1, never below 1/127 (a MIDI note-on of velocity 0 would be a note-off).
    pub velocity: f32,
}

/// The note `event` becomes under `mapping`, if it becomes one (activations do not, a chord
/// becomes several, held: see [`NoteMapping::chord_keys`], and singing one held while it lasts). Its velocity is the event's
/// strength (an onset's activation, a beat's confidence); a downbeat takes the accent key.
pub fn note_for(event: &Event, mapping: &NoteMapping) -> Option<Note> {
    match *event {
        Event::Onset { time, strength } => Some(Note {
            start: time,
            length_seconds: mapping.length_seconds,
            channel: mapping.channel.min(15),
            key: mapping.key.min(127),
            velocity: audible(strength),
        }),
        Event::Beat { time, bar_position, confidence, .. } => Some(Note {
            start: time,
            length_seconds: mapping.length_seconds,
            channel: mapping.channel.min(15),
            key: if bar_position == 1 { mapping.accent_key } else { mapping.key }.min(127),
            velocity: audible(confidence),
        }),
        Event::Activation { .. }
        | Event::Chord { .. }
        | Event::Key { .. }
        | Event::Voice { .. } => None,
    }
}

/// A strength (0–1) as a note's velocity: NaN as full, never below 1/127.
pub fn audible(strength: f32) -> f32 {
    if strength.is_nan() {
        1.0
    } else {
        strength.clamp(1.0 / 127.0, 1.0)
    }
}

/// Notes of a whole file as the plug-in would send them (the rule of
/// [`NoteSchedule::add`](super::NoteSchedule::add)): in time order; a note on a key still
/// sounding on its channel ends the earlier note where it starts; notes starting together on
/// one key are one, at the louder velocity.
pub fn trim_overlaps(mut notes: Vec<Note>) -> Vec<Note> {
    notes.sort_by_key(|note| note.start.sample);
    let mut kept: Vec<Note> = Vec::with_capacity(notes.len());
    let mut last_on_key: std::collections::HashMap<(u8, u8), usize> = Default::default();
    for note in notes {
        let key = (note.channel, note.key);
        if let Some(&index) = last_on_key.get(&key) {
            let previous = &mut kept[index];
            if previous.start.sample == note.start.sample {
                previous.velocity = previous.velocity.max(note.velocity);
                continue;
            }
            let gap = note.start.seconds - previous.start.seconds;
            previous.length_seconds = previous.length_seconds.min(gap);
        }
        last_on_key.insert(key, kept.len());
        kept.push(note);
    }
    kept
}

/// A 0–1 velocity as MIDI's 1–127, as hosts convert the plug-in's.
pub fn velocity_7bit(velocity: f32) -> u8 {
    (velocity * 127.0).round().clamp(1.0, 127.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_onset_becomes_its_task_note_and_an_activation_none() {
        let time = Time { sample: 441, seconds: 0.01 };
        let mapping = NoteMapping::default_for(TaskKind::Onsets).expect("onsets are notes");
        let note = note_for(&Event::Onset { time, strength: 0.5 }, &mapping).unwrap();
        assert_eq!((note.start, note.channel, note.key), (time, 0, 60));
        assert_eq!((note.length_seconds, velocity_7bit(note.velocity)), (0.02, 64));
        let faint = note_for(&Event::Onset { time, strength: 0.0 }, &mapping).unwrap();
        assert_eq!(velocity_7bit(faint.velocity), 1);
        let activation = Event::Activation { task: TaskKind::Onsets, time, value: 0.9 };
        assert_eq!(note_for(&activation, &mapping), None);
    }

    /// A file's notes trimmed at once match, message for message, the plug-in's schedule fed
    /// the same notes one by one.
    #[test]
    fn trimming_a_file_s_notes_agrees_with_the_live_schedule() {
        let rate = 1000.0;
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut notes = Vec::new();
        let mut sample = 0;
        for _ in 0..300 {
            sample += next(30);
            let start = Time { sample, seconds: sample as f64 / rate };
            let (channel, key) = (next(2) as u8, 60 + next(2) as u8);
            let velocity = (1 + next(127)) as f32 / 127.0;
            notes.push(Note { start, length_seconds: 0.02, channel, key, velocity });
        }
        let mut schedule = super::super::NoteSchedule::new(2 * notes.len());
        for note in &notes {
            let length = (note.length_seconds * rate).round() as u64;
            schedule.add(note.start.sample, length, note.channel, note.key, note.velocity);
        }
        let mut live = Vec::new();
        schedule.take_due(0, u64::MAX, |_, m| live.push(*m));
        let mut offline = Vec::new();
        for note in trim_overlaps(notes) {
            let end = note.start.sample + (note.length_seconds * rate).round() as u64;
            let on = (note.start.sample, note.channel, note.key, Some(note.velocity));
            offline.push(on);
            offline.push((end, note.channel, note.key, None));
        }
        offline.sort_by_key(|m| (m.0, m.3.is_some()));
        let live: Vec<_> =
            live.iter().map(|m| (m.position, m.channel, m.key, m.velocity)).collect();
        let mut live_sorted = live.clone();
        live_sorted.sort_by_key(|m| (m.0, m.3.is_some()));
        assert_eq!(live, live_sorted, "the schedule's order");
        assert_eq!(offline.len(), live.len());
        let set = |v: &[(u64, u8, u8, Option<f32>)]| {
            let mut v = v.to_vec();
            v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            v
        };
        assert_eq!(set(&offline), set(&live));
    }
}
