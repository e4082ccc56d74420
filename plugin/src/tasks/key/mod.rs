//! The key task in the plug-in: its parameters and its audio-thread adapter; the key is shown
//! in the chord card (see [`super::chords::card`]).

mod adapter;
mod params;

pub use adapter::{KeyAdapter, KeyReading, KEY_FEED_CAPACITY};
pub use params::KeyParams;
