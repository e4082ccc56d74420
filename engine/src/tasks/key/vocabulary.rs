//! The 24 keys the key task tells apart: a major and a minor key on each tonic.

/// Keys in the vocabulary.
pub const KEYS: usize = 24;

/// A major or minor key. Tonics are pitch classes, C = 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MusicalKey {
    pub tonic: u8,
    pub minor: bool,
}

/// Tonic names as key signatures spell them (no key needs more than six accidentals; Gb major
/// and Eb minor are written with six flats).
const MAJOR_TONICS: [&str; 12] = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"];
const MINOR_TONICS: [&str; 12] = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"];

impl MusicalKey {
    /// The key of network output `class` (0–11 major, 12–23 minor, by tonic).
    pub fn from_class(class: usize) -> Option<MusicalKey> {
        (class < KEYS).then_some(MusicalKey { tonic: (class % 12) as u8, minor: class >= 12 })
    }

    /// Its network output.
    pub fn class(self) -> usize {
        self.tonic as usize % 12 + if self.minor { 12 } else { 0 }
    }

    /// Moved by `semitones`.
    pub fn transposed(self, semitones: i32) -> MusicalKey {
        MusicalKey { tonic: (self.tonic as i32 + semitones).rem_euclid(12) as u8, ..self }
    }

    /// Its tonic as its key signature spells it (`F#`, `Eb`).
    pub fn tonic_name(self) -> &'static str {
        let names = if self.minor { &MINOR_TONICS } else { &MAJOR_TONICS };
        names[self.tonic as usize % 12]
    }

    /// `major` or `minor`.
    pub fn mode_name(self) -> &'static str {
        if self.minor {
            "minor"
        } else {
            "major"
        }
    }

    /// Whether its signature has flats (F major, D minor and the keys flatter than them, Gb
    /// major and Eb minor included); C major and A minor count as sharp.
    pub fn has_flats(self) -> bool {
        let relative_major = if self.minor { (self.tonic + 3) % 12 } else { self.tonic % 12 };
        matches!(relative_major, 1 | 3 | 5 | 6 | 8 | 10)
    }
}

impl std::fmt::Display for MusicalKey {
    /// `C major`, `F# minor`: mir_eval's form.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.tonic_name(), self.mode_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_names_and_transpositions_agree() {
        for class in 0..KEYS {
            let key = MusicalKey::from_class(class).unwrap();
            assert_eq!(key.class(), class);
            assert_eq!(key.transposed(12), key);
            assert_eq!(key.transposed(-7).transposed(7), key);
        }
        assert_eq!(MusicalKey::from_class(KEYS), None);
        assert_eq!(MusicalKey::from_class(18).unwrap().to_string(), "F# minor");
        assert_eq!(MusicalKey { tonic: 10, minor: false }.to_string(), "Bb major");
        assert_eq!(MusicalKey { tonic: 11, minor: false }.transposed(3).to_string(), "D major");
    }

    #[test]
    fn signatures_with_flats_are_those_of_the_flat_keys() {
        let flats: Vec<String> = (0..KEYS)
            .filter_map(MusicalKey::from_class)
            .filter(|key| key.has_flats())
            .map(|key| key.to_string())
            .collect();
        assert_eq!(
            flats,
            [
                "Db major", "Eb major", "F major", "Gb major", "Ab major", "Bb major", "C minor",
                "D minor", "Eb minor", "F minor", "G minor", "Bb minor"
            ]
        );
    }
}
