//! JAMS (JSON Annotated Music Specification) files: reading and writing the `onset`, `beat`,
//! `chord` and `key_mode` namespaces. Observations are `{time, duration, value, confidence}`.

use super::harte;
use super::key::Key;
use super::segments::Segment;
use super::{check_time, read_text, write_text, AnnotationError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Jams {
    #[serde(default)]
    pub file_metadata: FileMetadata,
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    #[serde(default)]
    pub sandbox: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileMetadata {
    #[serde(default)]
    pub duration: Option<f64>,
    #[serde(default)]
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub namespace: String,
    pub data: Vec<Observation>,
    #[serde(default)]
    pub annotation_metadata: Value,
    #[serde(default)]
    pub sandbox: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub time: f64,
    #[serde(default)]
    pub duration: f64,
    #[serde(default)]
    pub value: Value,
    #[serde(default)]
    pub confidence: Value,
}

impl Jams {
    /// The observations of the first annotation of `namespace`.
    fn observations(&self, namespace: &str) -> std::slice::Iter<'_, Observation> {
        self.annotations
            .iter()
            .find(|a| a.namespace == namespace)
            .map_or([].iter(), |a| a.data.iter())
    }

    /// The times of the first annotation of `namespace`, sorted (JAMS keeps observations
    /// sorted, but a file written by hand may not).
    fn sorted_times(&self, namespace: &str) -> Vec<f64> {
        let mut times: Vec<f64> = self.observations(namespace).map(|o| o.time).collect();
        times.sort_by(f64::total_cmp);
        times
    }

    /// The times of the first `onset` annotation, sorted.
    pub fn onsets(&self) -> Vec<f64> {
        self.sorted_times("onset")
    }

    /// The times of the first `beat` annotation, sorted.
    pub fn beats(&self) -> Vec<f64> {
        self.sorted_times("beat")
    }

    /// The segments of the first `chord` annotation, sorted by start.
    pub fn chords(&self) -> Vec<Segment> {
        let mut segments: Vec<Segment> = self
            .observations("chord")
            .map(|o| Segment {
                start: o.time,
                end: o.time + o.duration,
                label: o.value.as_str().unwrap_or("X").to_string(),
            })
            .collect();
        segments.sort_by(|a, b| a.start.total_cmp(&b.start));
        segments
    }

    /// The chords of the first `chord` annotation, sorted, each label checked as Harte syntax
    /// and no chord starting before the previous one ends, so that a bad one is named where it
    /// is read; chords that last no time are left out (see [`super::segments::read_chords`]).
    pub fn checked_chords(&self) -> Result<Vec<Segment>, String> {
        let chords = self.chords();
        for (index, chord) in chords.iter().enumerate() {
            let at = format!("chord observation at {} s", chord.start);
            harte::encode(&chord.label).map_err(|e| format!("{at}: {e}"))?;
            if index > 0 && chord.start < chords[index - 1].end - 1e-9 {
                return Err(format!("{at} starts before the previous chord ends"));
            }
        }
        Ok(chords.into_iter().filter(|c| c.end > c.start).collect())
    }

    /// The first observation of the first `key_mode` annotation (`C:major`, `N` for none).
    pub fn key(&self) -> Option<Result<Key, String>> {
        self.observations("key_mode").next().map(|o| match o.value.as_str() {
            Some("N") => Ok(Key::parse("X").expect("X parses")),
            Some(text) => Key::parse(text),
            None => Err(format!("key value {} is not a string", o.value)),
        })
    }

    /// Adds an annotation of `namespace` built from observations.
    pub fn push(&mut self, namespace: &str, data: Vec<Observation>) {
        self.annotations.push(Annotation {
            namespace: namespace.into(),
            data,
            annotation_metadata: serde_json::json!({"annotation_tools": "earshot"}),
            sandbox: serde_json::json!({}),
        });
    }
}

/// An observation at `time` lasting `duration` with `value`.
pub fn observation(time: f64, duration: f64, value: Value) -> Observation {
    Observation { time, duration, value, confidence: Value::Null }
}

/// Reads a JAMS file.
pub fn read(path: &Path) -> Result<Jams, AnnotationError> {
    let fail = |line, message: String| AnnotationError { path: path.to_path_buf(), line, message };
    let text = read_text(path)?;
    let jams: Jams = serde_json::from_str(&text).map_err(|e| fail(e.line(), e.to_string()))?;
    for annotation in &jams.annotations {
        for o in &annotation.data {
            let what = format!("{} observation", annotation.namespace);
            let times = check_time(o.time, &format!("{what} time"))
                .and_then(|_| check_time(o.time + o.duration, &format!("{what} end")))
                .and_then(|_| check_time(o.duration, &format!("{what} duration")));
            times.map_err(|message| fail(0, message))?;
        }
    }
    Ok(jams)
}

/// Writes a JAMS file.
pub fn write(path: &Path, jams: &Jams) -> Result<(), AnnotationError> {
    let text = serde_json::to_string_pretty(jams).expect("JAMS values always serialise");
    write_text(path, &text)
}
