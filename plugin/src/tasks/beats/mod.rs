//! The beat task in the plug-in: its parameters, its audio-thread adapter, and in the editor
//! the beat card (the tempo in large type, the host's tempo beside it, a light that pulses on
//! the beat and the place in the bar) and the beat lane under the chord lane.

mod adapter;
pub mod card;
pub mod lane_view;
mod params;

pub use adapter::{BeatAdapter, BeatMark, BEAT_FEED_CAPACITY};
pub use params::BeatParams;
