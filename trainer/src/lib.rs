//! `earshot-trainer`: the rendered training corpus (POP909 through SoundFonts, with exact
//! labels), the networks' training and their export, and the `earshot-train` command.

pub mod cli;
pub mod dataset;
pub mod model;
pub mod render;
pub mod tasks;
pub mod train;
