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
    /// Vocal-activity segments (`sing`/`nosing`), as `earshot analyze --tasks voice` writes them.
    pub const VOICE: &str = ".voice.lab";
}

use std::fmt;
use std::io::Read;
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

/// The largest annotation file read (a million beats take about 10 MB): a larger one is
/// refused before it is read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads an annotation file's text, refusing one larger than [`MAX_FILE_BYTES`].
pub(crate) fn read_text(path: &Path) -> Result<String, AnnotationError> {
    let fail = |message: String| AnnotationError { path: path.to_path_buf(), line: 0, message };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut text = String::new();
    let read = file.take(MAX_FILE_BYTES + 1).read_to_string(&mut text);
    read.map_err(|e| fail(e.to_string()))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(format!(
            "larger than any annotation file (at most {} MB)",
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(text)
}

/// Reads a text file and hands each line that holds something other than whitespace or a
/// `#` comment to `parse`, collecting the results with their 1-based line numbers.
pub(crate) fn parse_numbered_lines<T>(
    path: &Path,
    mut parse: impl FnMut(&str) -> Result<T, String>,
) -> Result<Vec<(usize, T)>, AnnotationError> {
    let text = read_text(path)?;
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
        items.push((index + 1, item));
    }
    Ok(items)
}

/// As [`parse_numbered_lines`], without the line numbers.
pub(crate) fn parse_lines<T>(
    path: &Path,
    parse: impl FnMut(&str) -> Result<T, String>,
) -> Result<Vec<T>, AnnotationError> {
    Ok(parse_numbered_lines(path, parse)?.into_iter().map(|(_, item)| item).collect())
}

/// The latest time an annotation may hold (seconds): about 115 days, longer than any
/// recording, and small enough that every metric's arithmetic on it stays exact.
pub const MAX_TIME: f64 = 1e7;

/// A time in seconds: a number from 0 to [`MAX_TIME`].
pub(crate) fn parse_time(field: &str, what: &str) -> Result<f64, String> {
    match field.parse::<f64>() {
        Ok(t) => check_time(t, what).map_err(|_| out_of_range(what, field)),
        Err(_) => Err(format!("{what} {field:?} is not a number")),
    }
}

/// `t` if it is a time from 0 to [`MAX_TIME`] seconds.
pub(crate) fn check_time(t: f64, what: &str) -> Result<f64, String> {
    if (0.0..=MAX_TIME).contains(&t) {
        Ok(t)
    } else {
        let written = if t.abs() < 1e15 { t.to_string() } else { format!("{t:e}") };
        Err(out_of_range(what, &written))
    }
}

fn out_of_range(what: &str, written: &str) -> String {
    format!("{what} {written} is not a time from 0 to {MAX_TIME:e} s")
}

/// Writes `contents` to `path`, naming the file in the error.
pub(crate) fn write_text(path: &Path, contents: &str) -> Result<(), AnnotationError> {
    std::fs::write(path, contents).map_err(|e| AnnotationError {
        path: path.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })
}
