//! The onset task in the plug-in: its parameters, its audio-thread adapter, and in the editor its
//! lane under the spectrogram, its marks over it and its row of controls.

mod adapter;
pub mod controls;
pub mod lane;
mod lane_view;
mod params;

pub use adapter::OnsetAdapter;
pub use lane_view::OnsetLaneView;
pub use params::OnsetParams;
