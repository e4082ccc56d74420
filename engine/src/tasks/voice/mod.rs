//! Singing-voice detection: a network's singing probability per frame, segmented online.

pub mod segmenter;
