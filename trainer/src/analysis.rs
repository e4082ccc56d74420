//! Whole files through the live engine: the plug-in's detectors fed a file block by block, so
//! that `earshot analyze` reports exactly what the plug-in would.

use crate::audio::Audio;
use earshot_nn::tasks::onsets::{OnsetDetector, OnsetEvent};

/// Block size the file is fed in (any size gives the same result).
const BLOCK: usize = 4096;

/// An onset found in a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Onset {
    /// Seconds from the start of the file.
    pub time: f64,
    /// The activation of its peak (0–1).
    pub strength: f32,
}

/// The onsets `detector` finds in `audio` (the detector is reset first), including those the
/// end of the file completes.
pub fn onsets(detector: &mut OnsetDetector, audio: &Audio) -> Vec<Onset> {
    detector.reset();
    let mut found = Vec::new();
    let mut keep = |event| {
        if let OnsetEvent::Onset { time, strength } = event {
            found.push(Onset { time, strength });
        }
    };
    let length = audio.channels.iter().map(Vec::len).max().unwrap_or(0);
    for start in (0..length).step_by(BLOCK) {
        let end = (start + BLOCK).min(length);
        let block: Vec<&[f32]> = audio.channels.iter().map(|c| &c[start..end]).collect();
        detector.push(&block, end - start, &mut keep);
    }
    // Silence as long as the latency lets the last sounds through the whole chain.
    let tail = vec![0.0f32; detector.latency_samples() + BLOCK];
    detector.push(&[&tail], tail.len(), &mut keep);
    let duration = length as f64 / audio.sample_rate as f64;
    found.retain(|onset| onset.time <= duration);
    found
}
