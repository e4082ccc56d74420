//! Validation of an onset model: the exported weights run by `earshot-nn` over whole clips, peak
//! picking, and mir_eval's onset F-measure against the labels.

use super::cache::FeatureFile;
use super::examples::standardise;
use earshot_dsp::Standardisation;
use earshot_io::metrics::onset;
use earshot_nn::tasks::onsets::{settle_on_silence, MIN_GAP_FRAMES};
use earshot_nn::tasks::peak_picker::PeakPicker;
use earshot_nn::{ModelSpec, Network, OfflineNetwork};
use rayon::prelude::*;

/// Onset times from a whole activation curve, picked exactly as the plug-in picks them (at the
/// default sensitivity, 0.5).
pub fn pick_onsets(activation: &[f32], frame_rate: f64) -> Vec<f64> {
    let mut picker = PeakPicker::new(0.5, MIN_GAP_FRAMES);
    let peaks = activation.iter().chain([&0.0]).filter_map(|v| picker.push(*v));
    peaks.map(|peak| peak.position() / frame_rate).collect()
}

/// A validation clip: its cached features and its reference onset times.
#[derive(Debug, Clone)]
pub struct ValidationClip {
    pub features: FeatureFile,
    pub onsets: Vec<f64>,
}

/// The exported model's activation over whole standardised frames, computed by `earshot-nn`
/// exactly as the plug-in will, from silence (offline for a model with a bidirectional layer).
pub fn engine_activation(spec: &ModelSpec, frames: &[f32]) -> Result<Vec<f32>, String> {
    match Network::new(spec) {
        Ok(mut network) => {
            settle_on_silence(&mut network).map_err(|e| e.to_string())?;
            Ok(network.run(frames))
        }
        Err(_) => Ok(OfflineNetwork::new(spec).map_err(|e| e.to_string())?.run(frames)),
    }
}

/// Mean onset F-measure of the exported model over validation clips, clips in parallel; the
/// model marks onsets `look_ahead` frames late.
pub fn onset_f_measure(
    spec: &ModelSpec,
    clips: &[ValidationClip],
    stats: &Standardisation,
    frame_rate: f64,
    look_ahead: usize,
) -> Result<f64, String> {
    let scores = clips
        .par_iter()
        .map(|clip| {
            let mut features = clip.features.read_all()?;
            standardise(&mut features, stats);
            let activation = engine_activation(spec, &features)?;
            let late = look_ahead as f64 / frame_rate;
            let estimated: Vec<f64> =
                pick_onsets(&activation, frame_rate).into_iter().map(|t| t - late).collect();
            Ok(onset::evaluate(&clip.onsets, &estimated, onset::WINDOW).f_measure)
        })
        .collect::<Result<Vec<f64>, String>>()?;
    Ok(scores.iter().sum::<f64>() / scores.len().max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_are_picked_as_the_plugin_picks_them_up_to_the_last_frame() {
        let curve = [0.0, 0.6, 0.9, 0.7, 0.1, 0.8, 0.2, 0.0, 0.95, 0.3, 0.4, 0.7];
        // Peaks at frames 2, 5, 8 and 11, each moved towards its larger neighbour (the
        // parabola's vertex); the last one's next frame is the silence after the curve.
        let expected = [2.1, 5.0 + 0.05 / 1.3, 8.0 + 0.15 / 1.6, 10.8].map(|f| f / 100.0);
        let picked = pick_onsets(&curve, 100.0);
        assert_eq!(picked.len(), expected.len());
        for (got, want) in picked.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{picked:?}");
        }
    }
}
