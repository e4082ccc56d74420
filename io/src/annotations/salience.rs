//! Salience files (`SONG.salience.txt`, written by `earshot dataset render --salience`): every
//! labelled onset's time and how far, in dB, it stands above what already sounds.

use super::{events, AnnotationError};
use std::path::Path;

/// Splits `onsets` — the onsets of `reference`, in its order, each timed by `time` — into those
/// at least `min_salience` dB salient and the rest, as the salience file at `path` says. The file
/// must list the same onsets; a mismatch or a value that is not a number is an error naming
/// the line.
pub fn split_by_salience<T>(
    onsets: Vec<T>,
    time: impl Fn(&T) -> f64,
    reference: &Path,
    path: &Path,
    min_salience: f64,
) -> Result<(Vec<T>, Vec<T>), AnnotationError> {
    let rows = events::read(path)?;
    let error =
        |line: usize, message: String| AnnotationError { path: path.to_path_buf(), line, message };
    if rows.len() != onsets.len() {
        let message =
            format!("{} onsets, but {} has {}", rows.len(), reference.display(), onsets.len());
        return Err(error(0, message));
    }
    let mut split = (Vec::new(), Vec::new());
    for (index, (row, onset)) in rows.iter().zip(onsets).enumerate() {
        let expected = time(&onset);
        if (row.time - expected).abs() > 1e-6 {
            return Err(error(
                index + 1,
                format!("time {} is not the reference's {expected}", row.time),
            ));
        }
        let salience: f64 = row
            .value
            .as_deref()
            .and_then(|v| v.parse().ok())
            .filter(|v: &f64| !v.is_nan())
            .ok_or_else(|| error(index + 1, format!("salience {:?} is not a number", row.value)))?;
        if salience >= min_salience { &mut split.0 } else { &mut split.1 }.push(onset);
    }
    Ok(split)
}
