//! The voice task in the plug-in: its parameters, its audio-thread adapter, and in the editor
//! the voice lane under the beat lane (the singing probability as a curve over the shaded
//! stretches of singing, with the VOICE indicator lit while someone sings).

mod adapter;
pub mod controls;
pub mod lane_view;
mod params;

pub use adapter::{VoiceAdapter, VoiceMark, VOICE_FEED_CAPACITY};
pub use params::VoiceParams;
