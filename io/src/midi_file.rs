//! Standard MIDI files from timed notes: one named track per part, note-offs before note-ons at
//! one tick so that a repeated note never cuts the next one.

use midly::{
    Format, Header, MetaMessage, MidiMessage, Smf, Timing, Track, TrackEvent, TrackEventKind,
};

/// Ticks per beat of the files written; at their 120 beats per minute, 1920 ticks per second,
/// so times are kept to about 0.5 ms.
const TICKS_PER_BEAT: u16 = 960;
const TICKS_PER_SECOND: f64 = 2.0 * TICKS_PER_BEAT as f64;

/// A note: its start and end in seconds, MIDI channel (0–15), key and velocity (1–127).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimedNote {
    pub start: f64,
    pub end: f64,
    pub channel: u8,
    pub key: u8,
    pub velocity: u8,
}

/// A named track of notes.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteTrack<'a> {
    pub name: &'a str,
    pub notes: Vec<TimedNote>,
}

/// A type-1 MIDI file at 120 beats per minute with one track per entry of `tracks` (empty ones
/// left out).
pub fn write_midi(tracks: &[NoteTrack<'_>]) -> Vec<u8> {
    let mut smf_tracks: Vec<Track> = Vec::new();
    for entry in tracks.iter().filter(|t| !t.notes.is_empty()) {
        let tick = |t: f64| (t.max(0.0) * TICKS_PER_SECOND).round() as u64;
        let mut timed: Vec<(u64, u8, MidiMessage)> = Vec::new();
        for note in &entry.notes {
            let (key, channel) = (note.key.min(127), note.channel.min(15));
            let on =
                MidiMessage::NoteOn { key: key.into(), vel: note.velocity.clamp(1, 127).into() };
            timed.push((tick(note.start), channel, on));
            let off = MidiMessage::NoteOff { key: key.into(), vel: 0.into() };
            timed.push((tick(note.end).max(tick(note.start)), channel, off));
        }
        timed.sort_by_key(|(tick, _, message)| {
            (*tick, matches!(message, MidiMessage::NoteOn { .. }))
        });
        let mut track = vec![TrackEvent {
            delta: 0.into(),
            kind: TrackEventKind::Meta(MetaMessage::TrackName(entry.name.as_bytes())),
        }];
        if smf_tracks.is_empty() {
            track.push(TrackEvent {
                delta: 0.into(),
                kind: TrackEventKind::Meta(MetaMessage::Tempo(500_000.into())),
            });
        }
        let mut last = 0;
        for (tick, channel, message) in timed {
            track.push(TrackEvent {
                delta: ((tick - last) as u32).into(),
                kind: TrackEventKind::Midi { channel: channel.into(), message },
            });
            last = tick;
        }
        track.push(TrackEvent {
            delta: 0.into(),
            kind: TrackEventKind::Meta(MetaMessage::EndOfTrack),
        });
        smf_tracks.push(track);
    }
    let header = Header::new(Format::Parallel, Timing::Metrical(TICKS_PER_BEAT.into()));
    let smf = Smf { header, tracks: smf_tracks };
    let mut bytes = Vec::new();
    smf.write_std(&mut bytes).expect("writing to memory cannot fail");
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_come_back_in_order_with_offs_first_at_one_tick() {
        let note = |start, end, key| TimedNote { start, end, channel: 2, key, velocity: 100 };
        let bytes = write_midi(&[
            NoteTrack { name: "empty", notes: vec![] },
            NoteTrack { name: "onsets", notes: vec![note(0.5, 1.0, 60), note(0.0, 0.5, 60)] },
        ]);
        let smf = Smf::parse(&bytes).unwrap();
        assert_eq!(smf.tracks.len(), 1, "the empty track is left out");
        let mut tick = 0;
        let events: Vec<(u32, bool)> = smf.tracks[0]
            .iter()
            .filter_map(|e| {
                tick += e.delta.as_int();
                match e.kind {
                    TrackEventKind::Midi { channel, message } => {
                        assert_eq!(channel.as_int(), 2);
                        Some((tick, matches!(message, MidiMessage::NoteOn { .. })))
                    }
                    _ => None,
                }
            })
            .collect();
        assert_eq!(events, [(0, true), (960, false), (960, true), (1920, false)]);
    }
}
