//! One POP909 song folder `NNN/`: `NNN.mid`, `beat_midi.txt` (`time  half-bar flag  downbeat
//! flag`, one beat per line), `chord_midi.txt` (a `.lab`), `key_audio.txt` (timed keys).

use super::key::{self, Key};
use super::segments::{self, Segment};
use super::{parse_lines, parse_time, AnnotationError};
use std::path::{Path, PathBuf};

/// A beat and whether it starts a bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beat {
    pub time: f64,
    pub downbeat: bool,
}

/// A song's annotations and where its MIDI file is.
#[derive(Debug, Clone)]
pub struct Song {
    /// 1–909.
    pub id: u32,
    pub midi: PathBuf,
    pub beats: Vec<Beat>,
    pub chords: Vec<Segment>,
    pub key: Key,
}

/// Reads song `id` from the POP909 folder `root`.
pub fn read_song(root: &Path, id: u32) -> Result<Song, AnnotationError> {
    let dir = root.join(format!("{id:03}"));
    let midi = dir.join(format!("{id:03}.mid"));
    if !midi.is_file() {
        return Err(AnnotationError { path: midi, line: 0, message: "no such MIDI file".into() });
    }
    Ok(Song {
        id,
        midi,
        beats: read_beats(&dir.join("beat_midi.txt"))?,
        chords: segments::read(&dir.join("chord_midi.txt"))?,
        key: key::read(&dir.join("key_audio.txt"))?,
    })
}

/// Reads `beat_midi.txt`.
pub fn read_beats(path: &Path) -> Result<Vec<Beat>, AnnotationError> {
    let mut previous = 0.0;
    parse_lines(path, |line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [time, _, downbeat] = fields.as_slice() else {
            return Err(format!("expected `time flag downbeat`, found {} fields", fields.len()));
        };
        let time = parse_time(time, "time")?;
        if time < previous {
            return Err(format!("beat at {time} comes before the previous one at {previous}"));
        }
        previous = time;
        let downbeat = match downbeat.parse::<f64>() {
            Ok(1.0) => true,
            Ok(0.0) => false,
            _ => return Err(format!("downbeat flag {downbeat:?} is neither 1.0 nor 0.0")),
        };
        Ok(Beat { time, downbeat })
    })
}
