//! The chord task's parts: the chords it tells apart.

pub mod vocabulary;
