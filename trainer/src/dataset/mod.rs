//! The corpus: which POP909 songs are for training and which for validation, and rendering them.

pub mod render;
pub mod splits;
