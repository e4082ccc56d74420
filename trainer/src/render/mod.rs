//! The rendered training corpus: POP909's MIDI re-arranged and rendered through General-MIDI
//! SoundFonts, with labels derived exactly from the notes that were rendered.

pub mod arrange;
pub mod instruments;
pub mod labels;
pub mod mix;
pub mod plan;
pub mod salience;
pub mod score;
pub mod singer;
pub mod song;
pub mod synth;
pub mod tone;
