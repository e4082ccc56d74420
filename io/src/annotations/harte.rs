//! Chord labels in Harte et al.'s syntax (`C:maj`, `Bb:min7/b7`, `A:(1,b3,5)`, `D:sus4(b7)`,
//! `N`, `X`), parsed and encoded exactly as `mir_eval.chord.encode` does, so that evaluations
//! match mir_eval's.

use std::fmt;

/// A chord as mir_eval encodes it: the root's pitch class (−1 for `N` and `X`), the semitones
/// present relative to the root (all 0 for `N`, all −1 for `X`), and the bass relative to the
/// root (−1 for `N` and `X`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncodedChord {
    pub root: i32,
    pub semitones: [i32; 12],
    pub bass: i32,
}

impl EncodedChord {
    pub const NO_CHORD: EncodedChord = EncodedChord { root: -1, semitones: [0; 12], bass: -1 };
    pub const UNKNOWN: EncodedChord = EncodedChord { root: -1, semitones: [-1; 12], bass: -1 };
}

/// Why a chord label is not valid Harte syntax (or uses a quality mir_eval cannot encode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChordError {
    pub label: String,
    pub message: String,
}

impl fmt::Display for ChordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid chord label {:?}: {}", self.label, self.message)
    }
}

impl std::error::Error for ChordError {}

/// Quality shorthands and their semitones (mir_eval's `QUALITIES`: the extended chords keep only
/// their seventh-chord core unless extensions are listed explicitly).
const QUALITIES: [(&str, [i32; 12]); 24] = [
    ("maj", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]),
    ("min", [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]),
    ("aug", [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]),
    ("dim", [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]),
    ("sus4", [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]),
    ("sus2", [1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
    ("7", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]),
    ("maj7", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]),
    ("min7", [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]),
    ("minmaj7", [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
    ("maj6", [1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0]),
    ("min6", [1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0]),
    ("dim7", [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]),
    ("hdim7", [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]),
    ("maj9", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]),
    ("min9", [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]),
    ("9", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]),
    ("min11", [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]),
    ("11", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]),
    ("maj13", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]),
    ("min13", [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]),
    ("13", [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0]),
    ("1", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("5", [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
];

/// Shorthands the syntax allows but mir_eval cannot encode.
const UNENCODABLE: [&str; 2] = ["aug7", "maj11"];

/// Semitones of the natural scale degrees 1–13.
const DEGREES: [i32; 13] = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21];

/// Semitones of the natural pitch names C D E F G A B (upper case).
pub(crate) fn natural(letter: char) -> Option<i32> {
    Some(match letter {
        'C' => 0,
        'D' => 2,
        'E' => 4,
        'F' => 5,
        'G' => 7,
        'A' => 9,
        'B' => 11,
        _ => return None,
    })
}

/// The semitone offset of a run of only `b`s or only `#`s at the start of `text`, and the rest.
fn accidentals(text: &str) -> (i32, &str) {
    let flats = text.len() - text.trim_start_matches('b').len();
    if flats > 0 {
        return (-(flats as i32), &text[flats..]);
    }
    let sharps = text.len() - text.trim_start_matches('#').len();
    (sharps as i32, &text[sharps..])
}

/// A scale degree (`b3`, `#11`, `7`) in semitones, not wrapped to an octave.
fn degree(text: &str) -> Result<i32, String> {
    let (offset, number) = accidentals(text);
    let natural = match number.parse::<usize>() {
        Ok(n @ 1..=13) if !number.starts_with('0') && !number.starts_with('+') => DEGREES[n - 1],
        _ => return Err(format!("scale degree {text:?} is not 1–13 with optional b/# prefix")),
    };
    Ok(natural + offset)
}

/// mir_eval's `EXTENDED_QUALITY_REDUX`: an extended quality as a simpler one plus degrees.
const EXTENDED: [(&str, &str, &[&str]); 13] = [
    ("minmaj7", "min", &["7"]),
    ("maj9", "maj7", &["9"]),
    ("min9", "min7", &["9"]),
    ("9", "7", &["9"]),
    ("b9", "7", &["b9"]),
    ("#9", "7", &["#9"]),
    ("11", "7", &["9", "11"]),
    ("#11", "7", &["9", "#11"]),
    ("13", "7", &["9", "11", "13"]),
    ("b13", "7", &["9", "11", "b13"]),
    ("min11", "min7", &["9", "11"]),
    ("maj13", "maj7", &["9", "11", "13"]),
    ("min13", "min7", &["9", "11", "13"]),
];

/// Parses a label and encodes it as `mir_eval.chord.encode(label)` does.
pub fn encode(label: &str) -> Result<EncodedChord, ChordError> {
    encode_with(label, false)
}

/// As `mir_eval.chord.encode(label, reduce_extended_chords=True)`: extended qualities become
/// their core plus explicit degrees, and degrees past an octave wrap into it.
pub fn encode_reduced(label: &str) -> Result<EncodedChord, ChordError> {
    encode_with(label, true)
}

fn encode_with(label: &str, reduce_extended: bool) -> Result<EncodedChord, ChordError> {
    let fail = |message: String| ChordError { label: label.to_string(), message };
    match label {
        "N" => return Ok(EncodedChord::NO_CHORD),
        "X" => return Ok(EncodedChord::UNKNOWN),
        "" => return Err(fail("empty label".into())),
        _ => {}
    }
    let (body, bass) = match label.split_once('/') {
        Some((body, bass)) => (body, Some(bass)),
        None => (label, None),
    };
    let mut letters = body.chars();
    let root_letter = letters.next().unwrap_or(' ');
    let root_natural = natural(root_letter)
        .ok_or_else(|| fail(format!("root must start with A–G, not {root_letter:?}")))?;
    let (offset, rest) = accidentals(letters.as_str());
    let root = (root_natural + offset).rem_euclid(12);
    let (quality, degrees) = match rest {
        "" => ("maj", None),
        _ => {
            let after = rest
                .strip_prefix(':')
                .ok_or_else(|| fail(format!("expected ':' after the root, found {rest:?}")))?;
            match after.split_once('(') {
                Some((quality, list)) => {
                    let list = list
                        .strip_suffix(')')
                        .ok_or_else(|| fail("unclosed '(' in the interval list".into()))?;
                    (quality, Some(list))
                }
                None => (after, None),
            }
        }
    };
    if rest.starts_with(':') && quality.is_empty() && degrees.is_none() {
        return Err(fail("':' must be followed by a quality or an interval list".into()));
    }
    if UNENCODABLE.contains(&quality) {
        return Err(fail(format!(
            "quality {quality:?} is valid syntax but mir_eval cannot encode it"
        )));
    }
    let (quality, extra): (&str, &[&str]) = match EXTENDED.iter().find(|(q, _, _)| *q == quality) {
        Some((_, core, degrees)) if reduce_extended => (core, degrees),
        _ => (quality, &[]),
    };
    let base = match quality {
        "" => [0; 12],
        name => QUALITIES
            .iter()
            .find(|(q, _)| *q == name)
            .map(|(_, semitones)| *semitones)
            .ok_or_else(|| fail(format!("unknown quality {name:?}")))?,
    };
    let mut semitones = base;
    semitones[0] = 1;
    // The listed degrees and the reduction's, each counted once (mir_eval builds a set).
    let listed = degrees.map(|list| list.split(',').collect::<Vec<_>>()).unwrap_or_default();
    let mut seen: Vec<&str> = Vec::new();
    for item in listed.iter().chain(extra) {
        if item.is_empty() {
            return Err(fail("empty item in the interval list".into()));
        }
        if seen.contains(item) {
            continue;
        }
        seen.push(item);
        let (sign, text) = match item.strip_prefix('*') {
            Some(text) => (-1, text),
            None => (1, *item),
        };
        let semitone = degree(text).map_err(fail)?;
        if semitone < 12 || reduce_extended {
            semitones[semitone.rem_euclid(12) as usize] += sign;
        }
    }
    let mut present = semitones.map(|s| i32::from(s > 0));
    let bass = match bass {
        Some(text) => degree(text).map_err(|m| fail(format!("bass: {m}")))?.rem_euclid(12),
        None => 0,
    };
    present[bass as usize] = 1;
    Ok(EncodedChord { root, semitones: present, bass })
}

/// Pitch-class names used when writing transposed chords and keys.
pub const PITCH_NAMES: [&str; 12] =
    ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"];

/// The label moved by `semitones` (the root respelled, quality, intervals and bass kept, as
/// those are relative to the root). `N` and `X` are unchanged.
pub fn transpose(label: &str, semitones: i32) -> Result<String, ChordError> {
    let encoded = encode(label)?;
    if encoded.root < 0 {
        return Ok(label.to_string());
    }
    let after_root = accidentals(&label[1..]).1;
    let new_root = PITCH_NAMES[(encoded.root + semitones).rem_euclid(12) as usize];
    Ok(format!("{new_root}{after_root}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(chord: &str) -> Vec<usize> {
        let encoded = encode(chord).unwrap();
        (0..12).filter(|i| encoded.semitones[*i] == 1).collect()
    }

    #[test]
    fn shorthands_intervals_omissions_and_bass_encode_as_mir_eval_does() {
        assert_eq!(encode("C").unwrap(), encode("C:maj").unwrap());
        assert_eq!(bits("C:min7"), vec![0, 3, 7, 10]);
        assert_eq!(bits("A:(1,b3,5)"), vec![0, 3, 7]);
        assert_eq!(bits("C:maj(*3)"), vec![0, 7]);
        assert_eq!(bits("C:maj(9)"), vec![0, 4, 7], "degrees past an octave are dropped");
        assert_eq!(bits("C:9"), vec![0, 4, 7, 10], "extended qualities keep their seventh core");
        let slash = encode("F#:maj7/5").unwrap();
        assert_eq!((slash.root, slash.bass), (6, 7));
        let flat_bass = encode("Bb:min/b3").unwrap();
        assert_eq!((flat_bass.root, flat_bass.bass), (10, 3));
        assert_eq!(encode("Cb:maj").unwrap().root, 11);
        assert_eq!(bits("D:sus4(b7)"), vec![0, 5, 7, 10]);
        assert_eq!(bits("C:maj/b7"), vec![0, 4, 7, 10], "the bass is added to the chord");
        assert_eq!(encode("N").unwrap(), EncodedChord::NO_CHORD);
        assert_eq!(encode("X").unwrap(), EncodedChord::UNKNOWN);
    }

    #[test]
    fn malformed_labels_say_what_is_wrong() {
        let message = |label| encode(label).unwrap_err().message;
        assert!(message("H:maj").contains("A–G"));
        assert!(message("C:foo").contains("unknown quality"));
        assert!(message("C:maj(3").contains("unclosed"));
        assert!(message("Cmaj").contains("expected ':'"));
        assert!(message("C:maj(14)").contains("scale degree"));
        assert!(message("C:maj/x").starts_with("bass"));
        assert!(message("C:aug7").contains("cannot encode"));
        assert!(message("C:").contains("quality or an interval list"));
        assert!(message("").contains("empty"));
    }

    #[test]
    fn transposition_moves_the_root_and_keeps_the_rest() {
        assert_eq!(transpose("C:maj7/5", 3).unwrap(), "Eb:maj7/5");
        assert_eq!(transpose("F#:min", -1).unwrap(), "F:min");
        assert_eq!(transpose("Bbb:7", 2).unwrap(), "B:7");
        assert_eq!(transpose("N", 5).unwrap(), "N");
    }
}
