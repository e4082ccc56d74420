//! `earshot-io`: what Earshot reads and writes besides its weights — audio files of every common
//! format, annotation files (event lists, `.lab` segments, keys, JAMS, POP909's files), MIDI files,
//! results written without ever leaving a half file — and the evaluation metrics, computed
//! exactly as mir_eval defines them. Shared by the `earshot` CLI, the trainer and the Python
//! package.

pub mod annotations;
pub mod audio;
pub mod metrics;
pub mod midi_file;
pub mod output;
