//! Labelled segments (`.lab`): `start end label` per line, whitespace-separated, the label being
//! the rest of the line (chords in Harte syntax, or any tag such as `voice`).

use super::{harte, parse_lines, parse_time, write_text, AnnotationError};
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
    pub label: String,
}

/// Reads a `.lab` file. Segments must not end before they start, nor start before the previous
/// one ends.
pub fn read(path: &Path) -> Result<Vec<Segment>, AnnotationError> {
    read_checking(path, |_| Ok(()))
}

/// Reads a `.lab` file of chords: as [`read`], every label must be a chord in Harte syntax (a
/// bad one is reported with its file and line), and segments that last no time are left out:
/// they weigh nothing in a duration-weighted score, and a reference of nothing but them would
/// make every score 0 / 0.
pub fn read_chords(path: &Path) -> Result<Vec<Segment>, AnnotationError> {
    let segments =
        read_checking(path, |label| harte::encode(label).map(|_| ()).map_err(|e| e.to_string()))?;
    Ok(segments.into_iter().filter(|s| s.end > s.start).collect())
}

fn read_checking(
    path: &Path,
    check_label: impl Fn(&str) -> Result<(), String>,
) -> Result<Vec<Segment>, AnnotationError> {
    let mut previous_end = 0.0;
    parse_lines(path, |line| {
        let (start_field, rest) = first_field(line);
        let (end_field, label) = first_field(rest);
        let start = parse_time(start_field, "start")?;
        let end = parse_time(end_field, "end")?;
        let label = label.trim();
        if label.is_empty() {
            return Err("missing label (expected `start end label`)".into());
        }
        check_label(label)?;
        if end < start {
            return Err(format!("ends at {end}, before its start {start}"));
        }
        if start < previous_end - 1e-9 {
            return Err(format!(
                "starts at {start}, before the previous segment ends ({previous_end})"
            ));
        }
        previous_end = end;
        Ok(Segment { start, end, label: label.to_string() })
    })
}

/// The first whitespace-separated field of `text` and what follows it.
fn first_field(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    text.split_at(text.find(char::is_whitespace).unwrap_or(text.len()))
}

/// Writes a `.lab` file (tab-separated, microsecond precision).
pub fn write(path: &Path, segments: &[Segment]) -> Result<(), AnnotationError> {
    let text: String =
        segments.iter().map(|s| format!("{:.6}\t{:.6}\t{}\n", s.start, s.end, s.label)).collect();
    write_text(path, &text)
}
