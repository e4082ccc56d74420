//! Validation of an onset model: its activation over whole clips, peak picking, and mir_eval's
//! onset F-measure against the labels.

use super::examples::Example;
use crate::metrics::onset;
use crate::model::network::TrainableNetwork;
use burn::tensor::{Device, Tensor};

/// Onset times from an activation curve: frames at or above `threshold` that are the largest
/// within ±2 frames, at least `min_gap` frames after the previous onset.
pub fn pick_onsets(
    activation: &[f32],
    frame_rate: f64,
    threshold: f32,
    min_gap: usize,
) -> Vec<f64> {
    let mut onsets = Vec::new();
    let mut last: Option<usize> = None;
    for (i, value) in activation.iter().enumerate() {
        let window = &activation[i.saturating_sub(2)..(i + 3).min(activation.len())];
        let is_peak = *value >= threshold && window.iter().all(|v| v <= value);
        if is_peak && last.is_none_or(|l| i - l >= min_gap) {
            onsets.push(i as f64 / frame_rate);
            last = Some(i);
        }
    }
    onsets
}

/// The model's activation over a whole clip.
pub fn activation(network: &TrainableNetwork, example: &Example, device: &Device) -> Vec<f32> {
    let (channels, bins) = (network.architecture.channels, network.architecture.bins);
    let input = Tensor::<1>::from_floats(example.features.as_slice(), device).reshape([
        1,
        example.frames,
        channels,
        bins,
    ]);
    network.forward(input).into_data().convert::<f32>().try_into_vec().expect("float output")
}

/// Mean onset F-measure over validation clips, with their reference onset times.
pub fn onset_f_measure(
    network: &TrainableNetwork,
    clips: &[(Example, Vec<f64>)],
    frame_rate: f64,
    device: &Device,
) -> f64 {
    let scores: Vec<f64> = clips
        .iter()
        .map(|(example, reference)| {
            let estimated = pick_onsets(&activation(network, example, device), frame_rate, 0.5, 3);
            onset::evaluate(reference, &estimated, onset::WINDOW).f_measure
        })
        .collect();
    scores.iter().sum::<f64>() / scores.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_above_threshold_with_a_minimum_gap() {
        let curve = [0.0, 0.6, 0.9, 0.7, 0.1, 0.8, 0.2, 0.0, 0.95, 0.3, 0.4];
        assert_eq!(pick_onsets(&curve, 100.0, 0.5, 3), vec![0.02, 0.05, 0.08]);
        assert_eq!(pick_onsets(&curve, 100.0, 0.5, 4), vec![0.02, 0.08]);
    }
}
