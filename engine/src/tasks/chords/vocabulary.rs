//! The chords the chord task tells apart: no chord, and the major and minor triad on each of the
//! twelve roots. This is mir_eval's `majmin` vocabulary: a chord counts as its triad (G7 as G,
//! Am7 as Am), and other chords (diminished, suspended, …) are outside it.

/// How many classes the chord network outputs: no chord, 12 major, 12 minor.
pub const CLASSES: usize = 25;

/// A chord of the vocabulary. Roots are pitch classes, C = 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chord {
    NoChord,
    Major(u8),
    Minor(u8),
}

/// Harte labels by class, roots spelled as lead sheets most often spell them.
const HARTE: [&str; CLASSES] = [
    "N", "C:maj", "C#:maj", "D:maj", "Eb:maj", "E:maj", "F:maj", "F#:maj", "G:maj", "Ab:maj",
    "A:maj", "Bb:maj", "B:maj", "C:min", "C#:min", "D:min", "Eb:min", "E:min", "F:min", "F#:min",
    "G:min", "G#:min", "A:min", "Bb:min", "B:min",
];

impl Chord {
    /// The chord of network output `class` (0 no chord, 1–12 major, 13–24 minor, by root).
    pub fn from_class(class: usize) -> Option<Chord> {
        match class {
            0 => Some(Chord::NoChord),
            1..=12 => Some(Chord::Major(class as u8 - 1)),
            13..=24 => Some(Chord::Minor(class as u8 - 13)),
            _ => None,
        }
    }

    /// Its network output.
    pub fn class(self) -> usize {
        match self {
            Chord::NoChord => 0,
            Chord::Major(root) => 1 + root as usize % 12,
            Chord::Minor(root) => 13 + root as usize % 12,
        }
    }

    /// Its Harte label (`C:maj`, `F#:min`, `N`), as chord files hold it.
    pub fn harte(self) -> &'static str {
        HARTE[self.class()]
    }

    /// The chord `semitones` higher (lower when negative); no chord stays no chord.
    pub fn transposed(self, semitones: i32) -> Chord {
        let shift = |root: u8| (root as i32 + semitones).rem_euclid(12) as u8;
        match self {
            Chord::NoChord => Chord::NoChord,
            Chord::Major(root) => Chord::Major(shift(root)),
            Chord::Minor(root) => Chord::Minor(shift(root)),
        }
    }

    /// The pitch classes of its root, third and fifth; none for no chord.
    pub fn pitch_classes(self) -> Option<[u8; 3]> {
        let triad = |root: u8, third: u8| [root, (root + third) % 12, (root + 7) % 12];
        match self {
            Chord::NoChord => None,
            Chord::Major(root) => Some(triad(root, 4)),
            Chord::Minor(root) => Some(triad(root, 3)),
        }
    }

    /// The chord of a chord encoded as mir_eval encodes it (root pitch class, −1 for none;
    /// semitones present relative to the root), by mir_eval's `majmin` rule: no root and no
    /// semitones is no chord; semitones 0–7 those of a major or minor triad make that triad
    /// (sevenths and extensions lie above 7); anything else, `X` included, is outside.
    pub fn of_encoding(root: i32, semitones: &[i32; 12]) -> Option<Chord> {
        const MAJOR: [i32; 8] = [1, 0, 0, 0, 1, 0, 0, 1];
        const MINOR: [i32; 8] = [1, 0, 0, 1, 0, 0, 0, 1];
        let low = &semitones[..8];
        match root {
            -1 if semitones.iter().all(|s| *s == 0) => Some(Chord::NoChord),
            0..=11 if low == MAJOR => Some(Chord::Major(root as u8)),
            0..=11 if low == MINOR => Some(Chord::Minor(root as u8)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_labels_and_transpositions_agree() {
        for class in 0..CLASSES {
            let chord = Chord::from_class(class).unwrap();
            assert_eq!(chord.class(), class);
            assert_eq!(chord.transposed(12), chord);
            assert_eq!(chord.transposed(5).transposed(-5), chord);
        }
        assert_eq!(Chord::from_class(CLASSES), None);
        assert_eq!(Chord::Major(9).harte(), "A:maj");
        assert_eq!(Chord::Minor(6).transposed(-7).harte(), "B:min");
        assert_eq!(Chord::Minor(9).pitch_classes(), Some([9, 0, 4]));
        assert_eq!(Chord::NoChord.pitch_classes(), None);
    }

    #[test]
    fn encodings_map_by_the_majmin_rule() {
        let seventh = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0];
        assert_eq!(Chord::of_encoding(7, &seventh), Some(Chord::Major(7)));
        let minor_seventh = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0];
        assert_eq!(Chord::of_encoding(2, &minor_seventh), Some(Chord::Minor(2)));
        let diminished = [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0];
        assert_eq!(Chord::of_encoding(11, &diminished), None);
        assert_eq!(Chord::of_encoding(-1, &[0; 12]), Some(Chord::NoChord));
        assert_eq!(Chord::of_encoding(-1, &[-1; 12]), None);
    }
}
