//! Annotation files: event lists (onsets, beats), labelled segments (`.lab`: chords, vocal
//! activity), keys, POP909's files, per-onset salience and JAMS. Every reader reports a malformed
//! line with its file and line number.

pub mod events;
pub mod harte;
pub mod jams;
pub mod key;
pub mod pop909;
pub mod salience;
pub mod segments;

/// The endings of the label files the trainer's renders put beside `STEM.wav` (`STEM.onsets.txt`,
/// …), which `earshot eval` reads as references.
pub mod suffix {
    pub const ONSETS: &str = ".onsets.txt";
    pub const SALIENCE: &str = ".salience.txt";
    pub const BEATS: &str = ".beats.txt";
    pub const CHORDS: &str = ".chords.lab";
    pub const KEY: &str = ".key.txt";
    pub const MELODY: &str = ".melody.lab";
    pub const NOTES: &str = ".notes.txt";
}

use std::fmt;
use std::path::{Path, PathBuf};

/// What is wrong with an annotation file, and where.
#[derive(Debug)]
pub struct AnnotationError {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is not on one line (unreadable file, bad JSON structure).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for AnnotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        }
    }
}

impl std::error::Error for AnnotationError {}

/// Reads a text file and hands each line that holds something other than whitespace or a
/// `#` comment to `parse` with its 1-based number, collecting the results.
pub(crate) fn parse_lines<T>(
    path: &Path,
    mut parse: impl FnMut(&str) -> Result<T, String>,
) -> Result<Vec<T>, AnnotationError> {
    let text = std::fs::read_to_string(path).map_err(|e| AnnotationError {
        path: path.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })?;
    let mut items = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let item = parse(content).map_err(|message| AnnotationError {
            path: path.to_path_buf(),
            line: index + 1,
            message,
        })?;
        items.push(item);
    }
    Ok(items)
}

/// A time in seconds: a finite, non-negative number.
pub(crate) fn parse_time(field: &str, what: &str) -> Result<f64, String> {
    match field.parse::<f64>() {
        Ok(t) if t.is_finite() && t >= 0.0 => Ok(t),
        Ok(t) => Err(format!("{what} {t} is not a finite, non-negative time")),
        Err(_) => Err(format!("{what} {field:?} is not a number")),
    }
}

/// Writes `contents` to `path`, naming the file in the error.
pub(crate) fn write_text(path: &Path, contents: &str) -> Result<(), AnnotationError> {
    std::fs::write(path, contents).map_err(|e| AnnotationError {
        path: path.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })
}
