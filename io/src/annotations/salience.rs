//! Salience files (`SONG.salience.txt`, written by `earshot-train dataset render --salience`): every
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
    let rows = events::read_numbered(path)?;
    let error =
        |line: usize, message: String| AnnotationError { path: path.to_path_buf(), line, message };
    if rows.len() != onsets.len() {
        let message =
            format!("{} onsets, but {} has {}", rows.len(), reference.display(), onsets.len());
        return Err(error(0, message));
    }
    let mut split = (Vec::new(), Vec::new());
    for ((line, row), onset) in rows.iter().zip(onsets) {
        let (line, expected) = (*line, time(&onset));
        if (row.time - expected).abs() > 1e-6 {
            return Err(error(
                line,
                format!("time {} is not the reference's {expected}", row.time),
            ));
        }
        let salience: f64 = match row.value.as_deref() {
            None => return Err(error(line, "no salience (expected `time dB`)".into())),
            Some(text) => text
                .parse()
                .ok()
                .filter(|v: &f64| !v.is_nan())
                .ok_or_else(|| error(line, format!("salience {text:?} is not a number")))?,
        };
        if salience >= min_salience { &mut split.0 } else { &mut split.1 }.push(onset);
    }
    Ok(split)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_salience_that_is_not_a_number_is_quoted_as_written() {
        let folder = tempfile::tempdir().unwrap();
        let (reference, path) = (folder.path().join("a.txt"), folder.path().join("a.salience.txt"));
        let onsets = vec![1.0, 2.0];
        for (text, message) in [
            ("1.0 12.5\n2.0 x\n", "a.salience.txt:2: salience \"x\" is not a number"),
            ("1.0 12.5\n2.0\n", "a.salience.txt:2: no salience (expected `time dB`)"),
            // Lines are the file's, comments and blank lines counted.
            ("# time dB\n\n1.0 12.5\n2.0 x\n", "a.salience.txt:4: salience \"x\" is not a number"),
        ] {
            std::fs::write(&path, text).unwrap();
            let error = split_by_salience(onsets.clone(), |t| *t, &reference, &path, 5.0)
                .unwrap_err()
                .to_string();
            assert!(error.ends_with(message), "{error}");
        }
        std::fs::write(&path, "1.0 12.5\n2.0 -3\n").unwrap();
        let (kept, ignored) = split_by_salience(onsets, |t| *t, &reference, &path, 5.0).unwrap();
        assert_eq!((kept, ignored), (vec![1.0], vec![2.0]));
    }
}
