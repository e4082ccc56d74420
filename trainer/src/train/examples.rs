//! Training examples: a clip's feature frames (from `earshot-dsp`, exactly as the plug-in will
//! compute them) with a target per frame, and the standardisation statistics of a training set.

use crate::audio::Audio;
use earshot_dsp::{Frontend, FrontendConfig, Standardisation};

/// A clip's features (`frames × frame_len`, row-major) and targets (`frames × outputs`).
#[derive(Debug, Clone)]
pub struct Example {
    pub frames: usize,
    pub features: Vec<f32>,
    pub targets: Vec<f32>,
}

/// The frontend's frames of a clip, without its standardisation (the statistics come from the
/// training set; see [`standardisation`]).
pub fn features(audio: &Audio, frontend: &FrontendConfig) -> Result<(usize, Vec<f32>), String> {
    let raw = FrontendConfig { standardisation: None, ..frontend.clone() };
    let frames = Frontend::process_signal(&raw, audio.sample_rate as f64, &audio.channels)
        .map_err(|e| e.0)?;
    Ok((frames.len(), frames.concat()))
}

/// Onset targets: 1 at the frame nearest each onset and `neighbour` at the frames either side
/// (a widened target, as onset networks are trained), frames at `frame_rate` per second.
pub fn onset_targets(onsets: &[f64], frames: usize, frame_rate: f64, neighbour: f32) -> Vec<f32> {
    let mut targets = vec![0.0f32; frames];
    for onset in onsets {
        let centre = (onset * frame_rate).round() as i64;
        for (offset, value) in [(-1i64, neighbour), (0, 1.0), (1, neighbour)] {
            if let Some(slot) =
                usize::try_from(centre + offset).ok().and_then(|i| targets.get_mut(i))
            {
                *slot = slot.max(value);
            }
        }
    }
    targets
}

/// Mean and standard deviation of every feature value over all frames of `examples` (a
/// deviation below 1e-3 counts as 1e-3, so silent bands do not blow up).
pub fn standardisation(examples: &[Example], frame_len: usize) -> Standardisation {
    let mut sum = vec![0.0f64; frame_len];
    let mut squares = vec![0.0f64; frame_len];
    let mut count = 0usize;
    for example in examples {
        for frame in example.features.chunks_exact(frame_len) {
            for (i, v) in frame.iter().enumerate() {
                sum[i] += *v as f64;
                squares[i] += (*v as f64).powi(2);
            }
            count += 1;
        }
    }
    let n = count.max(1) as f64;
    let mean: Vec<f32> = sum.iter().map(|s| (s / n) as f32).collect();
    let std = squares
        .iter()
        .zip(&sum)
        .map(|(q, s)| ((q / n - (s / n).powi(2)).max(0.0).sqrt() as f32).max(1e-3))
        .collect();
    Standardisation { mean, std }
}

/// Applies `(x − mean) / std` in place, as the frontend does when the statistics are set.
pub fn standardise(example: &mut Example, stats: &Standardisation) {
    let len = stats.mean.len();
    for frame in example.features.chunks_exact_mut(len) {
        for ((v, m), s) in frame.iter_mut().zip(&stats.mean).zip(&stats.std) {
            *v = (*v - m) / s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onset_targets_peak_at_the_nearest_frame_with_softer_neighbours() {
        let targets = onset_targets(&[0.104, 0.0], 20, 100.0, 0.5);
        assert_eq!(&targets[..3], &[1.0, 0.5, 0.0]);
        assert_eq!(&targets[9..12], &[0.5, 1.0, 0.5]);
    }

    #[test]
    fn standardisation_gives_zero_mean_and_unit_deviation() {
        let mut example = Example {
            frames: 4,
            features: vec![1.0, 5.0, 3.0, 5.0, 5.0, 5.0, 7.0, 5.0],
            targets: vec![0.0; 4],
        };
        let stats = standardisation(std::slice::from_ref(&example), 2);
        assert_eq!(stats.mean, vec![4.0, 5.0]);
        assert!((stats.std[0] - 5f32.sqrt()).abs() < 1e-6 && stats.std[1] == 1e-3);
        standardise(&mut example, &stats);
        let first: Vec<f32> = example.features.iter().step_by(2).copied().collect();
        assert!((first.iter().sum::<f32>()).abs() < 1e-6);
    }
}
