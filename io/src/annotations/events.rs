//! Event lists: onsets or beats, one time (seconds) per line, with an optional second column
//! (a beat's position in the bar, a note, …). Times must not decrease.

use super::{parse_numbered_lines, parse_time, write_text, AnnotationError};
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub time: f64,
    pub value: Option<String>,
}

/// Reads an event list.
pub fn read(path: &Path) -> Result<Vec<Event>, AnnotationError> {
    Ok(read_numbered(path)?.into_iter().map(|(_, event)| event).collect())
}

/// Reads an event list, each event with its line number in the file.
pub fn read_numbered(path: &Path) -> Result<Vec<(usize, Event)>, AnnotationError> {
    let mut previous = 0.0;
    parse_numbered_lines(path, |line| {
        let mut fields = line.split_whitespace();
        let time = parse_time(fields.next().unwrap_or(""), "time")?;
        if time < previous {
            return Err(format!("time {time} comes before the previous event's {previous}"));
        }
        previous = time;
        let value = fields.next().map(str::to_string);
        if let Some(extra) = fields.next() {
            return Err(format!("unexpected third column {extra:?}"));
        }
        Ok(Event { time, value })
    })
}

/// Just the times of an event list.
pub fn read_times(path: &Path) -> Result<Vec<f64>, AnnotationError> {
    Ok(read(path)?.into_iter().map(|e| e.time).collect())
}

/// Writes an event list, times with microsecond precision.
pub fn write(path: &Path, events: &[Event]) -> Result<(), AnnotationError> {
    let text: String = events
        .iter()
        .map(|e| match &e.value {
            Some(value) => format!("{:.6}\t{value}\n", e.time),
            None => format!("{:.6}\n", e.time),
        })
        .collect();
    write_text(path, &text)
}
