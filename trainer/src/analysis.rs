//! Whole files through the live engine: the plug-in's detectors fed a file block by block, so
//! that `earshot analyze` reports exactly what the plug-in would.

use earshot_io::audio::Audio;
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

/// The network's output for one frame of a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Activation {
    /// Seconds from the start of the file of the audio the frame describes: negative for the
    /// first few frames (the weights' look-ahead), which describe the silence the detector
    /// starts from.
    pub time: f64,
    /// The onset network's output (0–1).
    pub value: f32,
}

/// The onsets `detector` finds in `audio` (the detector is reset first), including those the
/// end of the file completes.
pub fn onsets(detector: &mut OnsetDetector, audio: &Audio) -> Vec<Onset> {
    collect(detector, audio, |event| match event {
        OnsetEvent::Onset { time, strength } => Some(Onset { time, strength }),
        OnsetEvent::Activation { .. } => None,
    })
}

/// The activation of every frame `detector` computes over `audio` (reset first), in order: all
/// that its peak picker sees up to the end of the file.
pub fn activations(detector: &mut OnsetDetector, audio: &Audio) -> Vec<Activation> {
    collect(detector, audio, |event| match event {
        OnsetEvent::Activation { time, value } => Some(Activation { time, value }),
        OnsetEvent::Onset { .. } => None,
    })
}

/// `earshot analyze --format activations`: one frame per line, its time in seconds and the
/// network's output exactly (the shortest decimal that reads back as the same `f32`).
pub fn activation_lines(activations: &[Activation]) -> String {
    activations.iter().map(|a| format!("{:.3} {}\n", a.time, a.value)).collect()
}

/// Feeds `audio` to `detector` from a reset, block by block, then silence as long as the latency
/// lets the last sounds through the whole chain; keeps what `pick` makes of the events up to the
/// end of the file.
fn collect<T>(
    detector: &mut OnsetDetector,
    audio: &Audio,
    pick: impl Fn(OnsetEvent) -> Option<T>,
) -> Vec<T> {
    let length = audio.channels.iter().map(Vec::len).max().unwrap_or(0);
    let duration = length as f64 / audio.sample_rate as f64;
    let mut found = Vec::new();
    let mut keep = |event: OnsetEvent| {
        let time = match event {
            OnsetEvent::Activation { time, .. } | OnsetEvent::Onset { time, .. } => time,
        };
        if time <= duration {
            found.extend(pick(event));
        }
    };
    detector.reset();
    for start in (0..length).step_by(BLOCK) {
        let end = (start + BLOCK).min(length);
        let block: Vec<&[f32]> = audio.channels.iter().map(|c| &c[start..end]).collect();
        detector.push(&block, end - start, &mut keep);
    }
    let tail = vec![0.0f32; detector.latency_samples() + BLOCK];
    detector.push(&[&tail], tail.len(), &mut keep);
    found
}
