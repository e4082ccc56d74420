//! The chord task's parts: the chords it tells apart, and the online decoder that reads them
//! from the network's frame posteriors.

pub mod decoder;
pub mod vocabulary;
