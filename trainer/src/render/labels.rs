//! Labels derived from the notes that were rendered: onsets, beats, chords, key and the
//! melody's activity.

use super::arrange::Arrangement;
use super::plan::RenderPlan;
use super::score::Part;
use earshot_io::annotations::events::Event;
use earshot_io::annotations::segments::Segment;

/// The value of an onset whose notes all come from slow-attack instruments.
pub const SLOW_ONSET: &str = "slow";
/// Note starts closer than this merge into one onset (seconds).
pub const ONSET_MERGE: f64 = 0.03;
/// Melody notes closer than this belong to one sung (or played) phrase (seconds).
pub const PHRASE_GAP: f64 = 0.25;

/// Every note start, those within [`ONSET_MERGE`] of the cluster's first merged into it;
/// an onset whose notes all come from slow-attack instruments carries the value [`SLOW_ONSET`].
pub fn onsets(arrangement: &Arrangement, plan: &RenderPlan) -> Vec<Event> {
    let slow = |part: Part| plan.part(part).is_some_and(|m| m.slow_attack());
    let mut starts: Vec<(f64, bool)> =
        arrangement.notes.iter().map(|n| (n.start, slow(n.part))).collect();
    starts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut onsets: Vec<(f64, bool)> = Vec::new();
    for (time, is_slow) in starts {
        match onsets.last_mut() {
            Some((first, all_slow)) if time - *first < ONSET_MERGE => *all_slow &= is_slow,
            _ => onsets.push((time, is_slow)),
        }
    }
    onsets
        .into_iter()
        .map(|(time, slow)| Event { time, value: slow.then(|| SLOW_ONSET.to_string()) })
        .collect()
}

/// The start of every pitched note (drums left out) with its MIDI pitch as the value, in time
/// order: what a note-level (transcription) target or an auxiliary training target needs.
pub fn note_starts(arrangement: &Arrangement) -> Vec<Event> {
    let mut notes: Vec<(f64, u8)> = arrangement
        .notes
        .iter()
        .filter(|n| n.part != Part::Drums)
        .map(|n| (n.start, n.pitch))
        .collect();
    notes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    notes.into_iter().map(|(time, pitch)| Event { time, value: Some(pitch.to_string()) }).collect()
}

/// The melody's phrases: its notes with gaps under [`PHRASE_GAP`] bridged, labelled `voice`
/// when a voice-like patch sings them, else `lead`.
pub fn melody_activity(arrangement: &Arrangement, plan: &RenderPlan) -> Vec<Segment> {
    let label = if plan.melody_is_voice() { "voice" } else { "lead" };
    let mut segments: Vec<Segment> = Vec::new();
    for note in arrangement.notes.iter().filter(|n| n.part == Part::Melody) {
        match segments.last_mut() {
            Some(last) if note.start - last.end < PHRASE_GAP => last.end = last.end.max(note.end),
            _ => segments.push(Segment {
                start: note.start,
                end: note.end,
                label: label.to_string(),
            }),
        }
    }
    segments
}

/// Beats with their position in the bar as the value.
pub fn beats(arrangement: &Arrangement) -> Vec<Event> {
    arrangement
        .beats
        .iter()
        .map(|b| Event { time: b.time, value: Some(b.position.to_string()) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::score::Note;
    use earshot_io::annotations::key::{Key, Mode};

    #[test]
    fn note_starts_leave_out_the_drums_and_sort_by_time_then_pitch() {
        let note = |part, start, pitch| Note { part, start, end: start + 0.5, pitch, velocity: 90 };
        let arrangement = Arrangement {
            notes: vec![
                note(Part::Piano, 1.0, 64),
                note(Part::Drums, 0.5, 36),
                note(Part::Melody, 1.0, 60),
                note(Part::Bass, 0.25, 40),
            ],
            beats: Vec::new(),
            chords: Vec::new(),
            key: Key { tonic: None, mode: Mode::Major, spelling: String::new() },
        };
        let events = note_starts(&arrangement);
        let starts: Vec<(f64, Option<&str>)> =
            events.iter().map(|e| (e.time, e.value.as_deref())).collect();
        assert_eq!(starts, [(0.25, Some("40")), (1.0, Some("60")), (1.0, Some("64"))]);
    }
}
