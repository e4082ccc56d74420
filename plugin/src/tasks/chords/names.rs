//! Chords as musicians read them: lead-sheet symbols (`Am`, `F♯m`, `B♭`) spelled in the
//! detected key, Roman numerals, and each chord's harmonic function in the key (tonic,
//! subdominant, dominant, or outside the key's usual chords).

use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::tasks::key::vocabulary::MusicalKey;

const SHARPS: [&str; 12] = ["C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B"];
const FLATS: [&str; 12] = ["C", "D♭", "D", "E♭", "E", "F", "G♭", "G", "A♭", "A", "B♭", "B"];
/// With no key: the spellings most lead sheets use.
const COMMON: [&str; 12] = ["C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B"];

/// Scale degrees by semitones above the tonic, against the major scale and the natural minor.
const MAJOR_DEGREES: [&str; 12] =
    ["I", "♭II", "II", "♭III", "III", "IV", "♯IV", "V", "♭VI", "VI", "♭VII", "VII"];
const MINOR_DEGREES: [&str; 12] =
    ["I", "♭II", "II", "III", "♯III", "IV", "♯IV", "V", "VI", "♯VI", "VII", "♯VII"];

/// What a chord does in a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// At rest: I, iii, vi in major; i, III in minor.
    Tonic,
    /// Moving away: ii, IV, iv in major; iv, IV, VI in minor.
    Subdominant,
    /// Leading home: V and the secondary dominants II and III in major; V, v, VII in minor.
    Dominant,
    /// Any other chord: borrowed or chromatic.
    Other,
}

/// A pitch class as `key` spells it (sharps or flats as its signature has; with no key, the
/// common spelling).
pub fn pitch_name(pitch_class: u8, key: Option<MusicalKey>) -> &'static str {
    let names = match key {
        Some(key) if key.has_flats() => &FLATS,
        Some(_) => &SHARPS,
        None => &COMMON,
    };
    names[pitch_class as usize % 12]
}

/// The lead-sheet symbol: `C`, `Am`, `F♯m`; `N.C.` for no chord.
pub fn symbol(chord: Chord, key: Option<MusicalKey>) -> String {
    match chord {
        Chord::NoChord => "N.C.".into(),
        Chord::Major(root) => pitch_name(root, key).into(),
        Chord::Minor(root) => format!("{}m", pitch_name(root, key)),
    }
}

/// A key as musicians write it: `F♯ minor`, `B♭ major`.
pub fn key_name(key: MusicalKey) -> String {
    format!("{} {}", pitch_name(key.tonic, Some(key)), key.mode_name())
}

/// The chord's Roman numeral in `key` (upper case major, lower case minor); none for no chord.
pub fn numeral(chord: Chord, key: MusicalKey) -> Option<String> {
    let (root, minor) = root_and_quality(chord)?;
    let degrees = if key.minor { &MINOR_DEGREES } else { &MAJOR_DEGREES };
    let degree = degrees[interval(root, key)];
    Some(if minor { degree.to_lowercase() } else { degree.to_owned() })
}

/// The chord's function in `key`; none for no chord.
pub fn function(chord: Chord, key: MusicalKey) -> Option<Function> {
    let (root, minor) = root_and_quality(chord)?;
    let function = match (key.minor, interval(root, key), minor) {
        (false, 0, false) | (false, 4, true) | (false, 9, true) => Function::Tonic,
        (false, 2, true) | (false, 5, _) => Function::Subdominant,
        (false, 7, false) | (false, 2, false) | (false, 4, false) => Function::Dominant,
        (true, 0, true) | (true, 3, false) => Function::Tonic,
        (true, 5, _) | (true, 8, false) => Function::Subdominant,
        (true, 7, _) | (true, 10, false) => Function::Dominant,
        _ => Function::Other,
    };
    Some(function)
}

fn root_and_quality(chord: Chord) -> Option<(u8, bool)> {
    match chord {
        Chord::NoChord => None,
        Chord::Major(root) => Some((root, false)),
        Chord::Minor(root) => Some((root, true)),
    }
}

/// Semitones from the key's tonic up to `root`.
fn interval(root: u8, key: MusicalKey) -> usize {
    (root as i32 - key.tonic as i32).rem_euclid(12) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(tonic: u8, minor: bool) -> MusicalKey {
        MusicalKey { tonic, minor }
    }

    #[test]
    fn chords_are_spelled_as_the_key_writes_them() {
        let e_minor = key(4, true);
        assert_eq!(symbol(Chord::Minor(6), Some(e_minor)), "F♯m");
        assert_eq!(symbol(Chord::Major(10), Some(key(5, false))), "B♭");
        assert_eq!(symbol(Chord::Major(10), Some(key(2, false))), "A♯", "D major writes sharps");
        assert_eq!(symbol(Chord::Minor(3), Some(key(3, true))), "E♭m", "E♭ minor: six flats");
        assert_eq!(symbol(Chord::Minor(9), None), "Am");
        assert_eq!(symbol(Chord::Major(8), None), "A♭");
        assert_eq!(symbol(Chord::NoChord, Some(e_minor)), "N.C.");
        assert_eq!(key_name(key(6, true)), "F♯ minor");
        assert_eq!(key_name(key(10, false)), "B♭ major");
    }

    #[test]
    fn numerals_and_functions_follow_the_key() {
        let c = key(0, false);
        let progression = [Chord::Major(0), Chord::Minor(9), Chord::Major(5), Chord::Major(7)];
        let numerals: Vec<String> =
            progression.iter().map(|&chord| numeral(chord, c).unwrap()).collect();
        assert_eq!(numerals, ["I", "vi", "IV", "V"]);
        let functions: Vec<Function> =
            progression.iter().map(|&chord| function(chord, c).unwrap()).collect();
        use Function::*;
        assert_eq!(functions, [Tonic, Tonic, Subdominant, Dominant]);
        assert_eq!(function(Chord::Major(3), c), Some(Other), "♭III is borrowed");
        assert_eq!(numeral(Chord::Major(10), c).as_deref(), Some("♭VII"));
        let a_minor = key(9, true);
        assert_eq!(numeral(Chord::Major(4), a_minor).as_deref(), Some("V"));
        assert_eq!(function(Chord::Major(4), a_minor), Some(Dominant));
        assert_eq!(function(Chord::Major(0), a_minor), Some(Tonic), "III");
        assert_eq!(function(Chord::Minor(2), a_minor), Some(Subdominant), "iv");
        assert_eq!(function(Chord::NoChord, a_minor), None);
    }
}
