//! Validation of an onset model as users get it: the exported weights in Earshot's engine — the
//! one the plug-in and the `earshot` command run — over whole validation renders, scored with
//! mir_eval's onset F-measure against their labels.

use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_io::audio;
use earshot_io::metrics::onset;
use rayon::prelude::*;
use std::path::PathBuf;

/// A validation render: its audio and its reference onset times.
#[derive(Debug, Clone)]
pub struct ValidationClip {
    pub audio: PathBuf,
    pub onsets: Vec<f64>,
}

/// The onset times the engine finds with `weights` in a clip's audio.
pub fn engine_onsets(weights: &[u8], clip: &ValidationClip) -> Result<Vec<f64>, String> {
    let signal = audio::read(&clip.audio).map_err(|e| e.to_string())?;
    let mut engine = Engine::new(signal.sample_rate as f64, &[(TaskKind::Onsets, Some(weights))])
        .map_err(|e| format!("validation: {e}"))?;
    let mut onsets = Vec::new();
    offline::run(&mut engine, &signal.channels, |event| {
        if let Event::Onset { time, .. } = event {
            onsets.push(time.seconds);
        }
    });
    Ok(onsets)
}

/// Mean onset F-measure of `weights` over validation clips, clips in parallel.
pub fn onset_f_measure(weights: &[u8], clips: &[ValidationClip]) -> Result<f64, String> {
    let scores = clips
        .par_iter()
        .map(|clip| {
            let estimated = engine_onsets(weights, clip)?;
            Ok(onset::evaluate(&clip.onsets, &estimated, onset::WINDOW).f_measure)
        })
        .collect::<Result<Vec<f64>, String>>()?;
    Ok(scores.iter().sum::<f64>() / scores.len().max(1) as f64)
}
