//! Keys: `C major`, `Eb minor` (mir_eval's form), `C:maj`, `Gb:min` (POP909's), or `X` for
//! unknown. A key file holds one key, or `start end key` segments (POP909's `key_audio.txt`),
//! in which case the key that lasts longest is the file's key.

use super::harte::{natural, PITCH_NAMES};
use super::{parse_lines, parse_time, write_text, AnnotationError};
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Major,
    Minor,
    /// Neither (mir_eval's `other`).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// Pitch class of the tonic (C = 0); `None` for an unknown key (`X`).
    pub tonic: Option<u8>,
    pub mode: Mode,
    /// The tonic as written (`Gb`, `F#`); empty for `X`.
    pub spelling: String,
}

impl Key {
    /// Parses `C major`, `c# minor`, `Bb:maj`, `A:min`, `E other`, or `X`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("x") {
            return Ok(Key { tonic: None, mode: Mode::Other, spelling: String::new() });
        }
        let (tonic, mode) =
            text.split_once(':')
                .or_else(|| text.split_once(char::is_whitespace))
                .ok_or_else(|| format!("key {text:?} is not `TONIC MODE`, `TONIC:MODE` or `X`"))?;
        let mode = match mode.trim().to_ascii_lowercase().as_str() {
            "major" | "maj" => Mode::Major,
            "minor" | "min" => Mode::Minor,
            "other" => Mode::Other,
            other => return Err(format!("mode {other:?} is not major, minor or other")),
        };
        let pitch =
            tonic_pitch(tonic).ok_or_else(|| format!("tonic {tonic:?} is not a pitch name"))?;
        let mut spelling = tonic.to_ascii_lowercase();
        spelling[..1].make_ascii_uppercase();
        Ok(Key { tonic: Some(pitch), mode, spelling })
    }

    /// Moved by `semitones`, respelled with flats.
    pub fn transposed(&self, semitones: i32) -> Key {
        match self.tonic {
            None => self.clone(),
            Some(t) => {
                let pitch = (t as i32 + semitones).rem_euclid(12) as u8;
                Key {
                    tonic: Some(pitch),
                    mode: self.mode,
                    spelling: PITCH_NAMES[pitch as usize].into(),
                }
            }
        }
    }
}

/// C, c#, Db, Bbb …: a letter and a run of sharps or flats.
fn tonic_pitch(name: &str) -> Option<u8> {
    let mut chars = name.chars();
    let natural = natural(chars.next()?.to_ascii_uppercase())?;
    let rest = chars.as_str();
    let offset = if rest.chars().all(|c| c == '#') {
        rest.len() as i32
    } else if rest.chars().all(|c| c == 'b') {
        -(rest.len() as i32)
    } else {
        return None;
    };
    Some((natural + offset).rem_euclid(12) as u8)
}

impl fmt::Display for Key {
    /// mir_eval's form: `Eb major`, `X`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = match self.mode {
            Mode::Major => "major",
            Mode::Minor => "minor",
            Mode::Other => "other",
        };
        match self.tonic {
            None => write!(f, "X"),
            Some(_) => write!(f, "{} {mode}", self.spelling),
        }
    }
}

/// Reads a key file (one key, or timed key segments: the longest-lasting key wins).
pub fn read(path: &Path) -> Result<Key, AnnotationError> {
    let entries = parse_lines(path, |line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [start, end, key @ ..] if fields.len() >= 3 && start.parse::<f64>().is_ok() => {
                let (start, end) = (parse_time(start, "start")?, parse_time(end, "end")?);
                if end < start {
                    return Err(format!("ends at {end}, before its start {start}"));
                }
                Ok((Key::parse(&key.join(" "))?, end - start))
            }
            _ => Ok((Key::parse(line)?, 0.0)),
        }
    })?;
    let mut totals: Vec<(Key, f64)> = Vec::new();
    for (key, duration) in entries {
        match totals.iter_mut().find(|(k, _)| *k == key) {
            Some((_, total)) => *total += duration,
            None => totals.push((key, duration)),
        }
    }
    totals
        .into_iter()
        .reduce(|best, next| if next.1 > best.1 { next } else { best })
        .map(|(key, _)| key)
        .ok_or_else(|| AnnotationError {
            path: path.to_path_buf(),
            line: 0,
            message: "no key in the file".into(),
        })
}

/// Writes a key file in mir_eval's form.
pub fn write(path: &Path, key: &Key) -> Result<(), AnnotationError> {
    write_text(path, &format!("{key}\n"))
}
