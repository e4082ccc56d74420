//! A MIDI file as timed notes: the tempo map applied, note-ons paired with their note-offs, each
//! note tagged with the part (POP909's MELODY, BRIDGE, PIANO tracks) it belongs to.

use earshot_io::midi_file::{self, NoteTrack, TimedNote};
use midly::{MetaMessage, MidiMessage, Smf, Timing, TrackEventKind};
use serde::{Deserialize, Serialize};

/// Which part of the arrangement a note belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Part {
    /// The sung melody (POP909's MELODY track).
    Melody,
    /// The secondary melody and fills (BRIDGE).
    Bridge,
    /// The accompaniment (PIANO, and any other track).
    Piano,
    /// A bass line generated from the chords.
    Bass,
    /// Drums generated from the beats (GM percussion, channel 10).
    Drums,
}

impl Part {
    /// From a POP909 track name.
    fn from_track_name(name: &str) -> Part {
        match name.trim().to_ascii_uppercase().as_str() {
            "MELODY" => Part::Melody,
            "BRIDGE" => Part::Bridge,
            _ => Part::Piano,
        }
    }

    /// The name written into track names and labels.
    pub fn name(self) -> &'static str {
        match self {
            Part::Melody => "MELODY",
            Part::Bridge => "BRIDGE",
            Part::Piano => "PIANO",
            Part::Bass => "BASS",
            Part::Drums => "DRUMS",
        }
    }
}

/// One note, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Note {
    pub part: Part,
    pub start: f64,
    pub end: f64,
    pub pitch: u8,
    pub velocity: u8,
}

/// All notes of a piece, sorted by start time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    pub notes: Vec<Note>,
}

/// Tick → seconds under a tempo map.
struct TempoMap {
    /// (tick, seconds at that tick, seconds per tick from there on), by tick.
    segments: Vec<(u64, f64, f64)>,
}

impl TempoMap {
    fn new(timing: Timing, mut tempos: Vec<(u64, u32)>) -> Result<Self, String> {
        let ticks_per_beat = match timing {
            Timing::Metrical(t) if t.as_int() > 0 => t.as_int() as f64,
            Timing::Metrical(_) => return Err("MIDI header gives 0 ticks per beat".into()),
            Timing::Timecode(fps, subframes) if subframes > 0 => {
                let per_tick = 1.0 / (fps.as_f32() as f64 * subframes as f64);
                return Ok(TempoMap { segments: vec![(0, 0.0, per_tick)] });
            }
            Timing::Timecode(..) => return Err("MIDI header gives 0 subframes".into()),
        };
        tempos.sort_by_key(|(tick, _)| *tick);
        let per_tick = |micros: u32| micros as f64 / 1e6 / ticks_per_beat;
        let mut segments = vec![(0u64, 0.0, per_tick(500_000))];
        for (tick, micros) in tempos {
            let (last_tick, last_seconds, last_rate) = *segments.last().expect("never empty");
            let seconds = last_seconds + (tick - last_tick) as f64 * last_rate;
            if tick == last_tick {
                segments.pop();
            }
            segments.push((tick, seconds, per_tick(micros.max(1))));
        }
        Ok(TempoMap { segments })
    }

    fn seconds(&self, tick: u64) -> f64 {
        let index = self.segments.partition_point(|(t, _, _)| *t <= tick).saturating_sub(1);
        let (start, seconds, rate) = self.segments[index];
        seconds + (tick - start) as f64 * rate
    }
}

/// Parses a standard MIDI file.
pub fn parse_midi(bytes: &[u8]) -> Result<Score, String> {
    let smf = Smf::parse(bytes).map_err(|e| format!("not a readable MIDI file: {e}"))?;
    let mut tempos = Vec::new();
    for track in &smf.tracks {
        let mut tick = 0u64;
        for event in track {
            tick += event.delta.as_int() as u64;
            if let TrackEventKind::Meta(MetaMessage::Tempo(micros)) = event.kind {
                tempos.push((tick, micros.as_int()));
            }
        }
    }
    let map = TempoMap::new(smf.header.timing, tempos)?;
    let mut notes = Vec::new();
    for track in &smf.tracks {
        let mut part = Part::Piano;
        let mut tick = 0u64;
        // Sounding notes per (channel, key), oldest first: (start tick, velocity).
        let mut open: Vec<((u8, u8), u64, u8)> = Vec::new();
        let mut track_notes: Vec<(u64, u64, u8, u8)> = Vec::new();
        for event in track {
            tick += event.delta.as_int() as u64;
            match event.kind {
                TrackEventKind::Meta(MetaMessage::TrackName(name)) => {
                    part = Part::from_track_name(&String::from_utf8_lossy(name));
                }
                TrackEventKind::Midi { channel, message } => {
                    let channel = channel.as_int();
                    match message {
                        MidiMessage::NoteOn { key, vel } if vel.as_int() > 0 => {
                            open.push(((channel, key.as_int()), tick, vel.as_int()));
                        }
                        MidiMessage::NoteOn { key, .. } | MidiMessage::NoteOff { key, .. } => {
                            if let Some(i) =
                                open.iter().position(|(k, _, _)| *k == (channel, key.as_int()))
                            {
                                let ((_, key), start, velocity) = open.remove(i);
                                track_notes.push((start, tick, key, velocity));
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        // Notes never switched off end with their track.
        track_notes.extend(
            open.into_iter().map(|((_, key), start, velocity)| (start, tick, key, velocity)),
        );
        notes.extend(track_notes.into_iter().map(|(start, end, pitch, velocity)| Note {
            part,
            start: map.seconds(start),
            end: map.seconds(end),
            pitch,
            velocity,
        }));
    }
    notes.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.pitch.cmp(&b.pitch)));
    Ok(Score { notes })
}

/// Writes a type-1 MIDI file at 120 beats per minute, one named track per part present, on the
/// part's channel (drums on 10).
pub fn write_midi(score: &Score) -> Vec<u8> {
    let parts = [Part::Melody, Part::Bridge, Part::Piano, Part::Bass, Part::Drums];
    let tracks: Vec<NoteTrack> = parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let channel = if *part == Part::Drums { 9 } else { index as u8 };
            let notes = score.notes.iter().filter(|n| n.part == *part);
            NoteTrack {
                name: part.name(),
                notes: notes
                    .map(|n| TimedNote {
                        start: n.start,
                        end: n.end,
                        channel,
                        key: n.pitch,
                        velocity: n.velocity,
                    })
                    .collect(),
            }
        })
        .collect();
    midi_file::write_midi(&tracks)
}
