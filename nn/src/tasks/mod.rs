//! The analysis tasks: each ties the frontend its weights name to the network and the task's
//! decoder, for live use on the audio thread and for files alike.

pub mod onsets;
pub mod peak_picker;
