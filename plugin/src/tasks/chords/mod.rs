//! The chord task in the plug-in: its parameters, its audio-thread adapter, and in the editor
//! the chord card (the current chord in large type with the key) and the chord lane under the
//! spectrogram.

mod adapter;
pub mod card;
pub mod lane_view;
pub mod names;
mod params;

pub use adapter::{ChordAdapter, ChordMark, CHORD_FEED_CAPACITY};
pub use params::ChordParams;
