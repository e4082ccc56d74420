//! General-MIDI programs the renderer chooses from, by role, and which of them start slowly.

/// Voice-like patches for the sung melody: choir aahs, voice oohs, synth voice, voice lead.
pub const VOICES: [u8; 4] = [52, 53, 54, 85];
/// Lead instruments for the melody: violin, trumpet, alto and tenor sax, oboe, clarinet, flute,
/// square and sawtooth leads, harmonica.
pub const LEADS: [u8; 10] = [40, 56, 65, 66, 68, 71, 73, 80, 81, 22];
/// Keyboards: acoustic, bright and electric grands, two electric pianos.
pub const PIANOS: [u8; 5] = [0, 1, 2, 4, 5];
/// Accompaniment in a band: pianos, guitars, organ, strings, pads.
pub const ACCOMPANIMENT: [u8; 12] = [0, 2, 4, 24, 25, 26, 27, 16, 48, 49, 88, 89];
/// Secondary melodies in a band: vibraphone, marimba, harp, strings, brass, flute, guitars.
pub const COUNTER_MELODY: [u8; 9] = [11, 12, 46, 48, 61, 73, 24, 26, 0];
/// Bass: acoustic, finger, pick, fretless, two synth basses.
pub const BASSES: [u8; 6] = [32, 33, 34, 35, 38, 39];
/// Drum kits (program numbers in the percussion bank): standard, room, power, electronic, 808.
pub const KITS: [u8; 5] = [0, 8, 16, 24, 25];

/// Whether a melodic program swells in rather than striking: ensembles, choirs and voices,
/// pads, tremolo strings. Their onsets are marked "slow" in the labels.
pub fn slow_attack(program: u8) -> bool {
    matches!(program, 44 | 48..=54 | 85 | 88..=95)
}

/// Whether a program sounds like a singing voice.
pub fn voice_like(program: u8) -> bool {
    VOICES.contains(&program)
}
