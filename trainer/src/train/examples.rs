//! Training examples: a clip's feature frames (from `earshot-dsp`, exactly as the plug-in will
//! compute them, cached on disk) with its targets per frame (made by the task, see
//! [`crate::tasks`]), and the standardisation statistics of a training set.

use super::cache::FeatureFile;
use earshot_dsp::{Frontend, FrontendConfig, Standardisation};
use earshot_io::audio::Audio;
use rayon::prelude::*;

/// A clip's cached features (`frames × frame_len`) and its targets (`frames × outputs`).
#[derive(Debug, Clone)]
pub struct Clip {
    pub features: FeatureFile,
    pub targets: Vec<f32>,
}

impl Clip {
    pub fn frames(&self) -> usize {
        self.features.frames()
    }

    /// Target values per frame.
    pub fn outputs(&self) -> usize {
        self.targets.len() / self.frames().max(1)
    }
}

/// The frontend's frames of a clip, without its standardisation (the statistics come from the
/// training set; see [`standardisation`]).
pub fn features(audio: &Audio, frontend: &FrontendConfig) -> Result<(usize, Vec<f32>), String> {
    let raw = FrontendConfig { standardisation: None, ..frontend.clone() };
    let frames = Frontend::process_signal(&raw, audio.sample_rate as f64, &audio.channels)
        .map_err(|e| e.0)?;
    Ok((frames.len(), frames.concat()))
}

/// Mean and standard deviation of every feature value over all frames of `clips`, read in
/// parallel (a deviation below 1e-3 counts as 1e-3, so silent bands do not blow up).
pub fn standardisation(clips: &[Clip]) -> Result<Standardisation, String> {
    let frame_len = clips.first().map_or(0, |c| c.features.frame_len());
    let zero = || (vec![0.0f64; frame_len], vec![0.0f64; frame_len], 0usize);
    let (sum, squares, count) = clips
        .par_iter()
        .map(|clip| {
            let (mut sum, mut squares, _) = zero();
            for frame in clip.features.read_all()?.chunks_exact(frame_len) {
                for (i, v) in frame.iter().enumerate() {
                    sum[i] += *v as f64;
                    squares[i] += (*v as f64).powi(2);
                }
            }
            Ok::<_, String>((sum, squares, clip.frames()))
        })
        .try_reduce(zero, |a, b| {
            let add = |x: Vec<f64>, y: Vec<f64>| x.iter().zip(&y).map(|(p, q)| p + q).collect();
            Ok((add(a.0, b.0), add(a.1, b.1), a.2 + b.2))
        })?;
    let n = count.max(1) as f64;
    let mean: Vec<f32> = sum.iter().map(|s| (s / n) as f32).collect();
    let std = squares
        .iter()
        .zip(&sum)
        .map(|(q, s)| ((q / n - (s / n).powi(2)).max(0.0).sqrt() as f32).max(1e-3))
        .collect();
    Ok(Standardisation { mean, std })
}

/// Applies `(x − mean) / std` in place to whole frames, as the frontend does when the
/// statistics are set.
pub fn standardise(features: &mut [f32], stats: &Standardisation) {
    let len = stats.mean.len();
    for frame in features.chunks_exact_mut(len) {
        for ((v, m), s) in frame.iter_mut().zip(&stats.mean).zip(&stats.std) {
            *v = (*v - m) / s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardisation_gives_zero_mean_and_unit_deviation() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("clip.features");
        let mut features = vec![1.0, 5.0, 3.0, 5.0, 5.0, 5.0, 7.0, 5.0];
        super::super::cache::write(&path, 4, 2, &features).unwrap();
        let clip = Clip { features: FeatureFile::open(&path, 2).unwrap(), targets: vec![0.0; 4] };
        let stats = standardisation(&[clip]).unwrap();
        assert_eq!(stats.mean, vec![4.0, 5.0]);
        assert!((stats.std[0] - 5f32.sqrt()).abs() < 1e-6 && stats.std[1] == 1e-3);
        standardise(&mut features, &stats);
        let first: Vec<f32> = features.iter().step_by(2).copied().collect();
        assert!((first.iter().sum::<f32>()).abs() < 1e-6);
    }
}
