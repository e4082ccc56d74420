//! A file's events as the files Earshot writes: one or two per task
//! (`STEM.onsets.txt`, `STEM.chords.lab`, `STEM.key.txt`, `STEM.beats.txt` and
//! `STEM.tempo.txt`, `STEM.voice.lab` and `STEM.voice.csv`, the activations as
//! `STEM.TASK.activations.txt`), or one per audio file
//! (`STEM.json` with every task, `STEM.mid` with a track per task on the task's own channel).

use earshot_engine::midi::{note_for, trim_overlaps, velocity_7bit, NoteMapping};
use earshot_engine::offline::{
    beats, key_changes, reported_chords, vocal_segments, whole_key, whole_tempo,
};
use earshot_engine::tasks::beats::tempo::TempoEstimate;
use earshot_engine::tasks::key::pooling::KeyEstimate;
use earshot_engine::{Event, TaskKind};
use earshot_io::midi_file::{write_midi, NoteTrack, TimedNote};
use serde_json::json;

/// What was found in one audio file.
pub struct Analysis<'a> {
    pub file: &'a str,
    pub duration: f64,
    pub tasks: &'a [TaskKind],
    pub events: &'a [Event],
    /// Each task's settings by name, as used.
    pub settings: &'a [(TaskKind, &'static str, f32)],
    /// Each task's weights' metadata.
    pub metadata: &'a [(TaskKind, Vec<(String, String)>)],
    /// Each task's MIDI mapping.
    pub mappings: &'a [(TaskKind, NoteMapping)],
}

/// The text files (`.onsets.txt`, `.chords.lab`, …): each as the ending after `STEM` and its
/// bytes.
pub fn text_files(analysis: &Analysis) -> Vec<(String, Vec<u8>)> {
    analysis
        .tasks
        .iter()
        .flat_map(|&task| match task {
            TaskKind::Onsets => vec![(".onsets.txt", onset_times(analysis))],
            TaskKind::Chords => vec![(".chords.lab", chord_lab(analysis))],
            TaskKind::Key => vec![(".key.txt", key_line(analysis))],
            TaskKind::Beats => {
                vec![(".beats.txt", beat_lines(analysis)), (".tempo.txt", tempo_line(analysis))]
            }
            TaskKind::Voice => vec![
                (".voice.lab", voice_lab(analysis)),
                (".voice.csv", voice_probabilities(analysis)),
            ],
        })
        .map(|(ending, text)| (ending.to_string(), text.into_bytes()))
        .collect()
}

/// The activation files (`.onsets.activations.txt`, …) of the tasks that have them.
pub fn activation_files(analysis: &Analysis) -> Vec<(String, Vec<u8>)> {
    analysis
        .tasks
        .iter()
        .map(|&task| (format!(".{task}.activations.txt"), activations(analysis, task).into_bytes()))
        .collect()
}

fn onsets<'a>(analysis: &'a Analysis<'a>) -> impl Iterator<Item = (f64, f32)> + 'a {
    analysis.events.iter().filter_map(|event| match *event {
        Event::Onset { time, strength } => Some((time.seconds, strength)),
        _ => None,
    })
}

fn onset_times(analysis: &Analysis) -> String {
    onsets(analysis).map(|(time, _)| format!("{time:.3}\n")).collect()
}

/// Chord segments as a `.lab` file: start and end in seconds, Harte label.
fn chord_lab(analysis: &Analysis) -> String {
    reported_chords(analysis.events, analysis.duration)
        .iter()
        .map(|s| format!("{:.3}\t{:.3}\t{}\n", s.start, s.end, s.chord.harte()))
        .collect()
}

/// The whole file's key as mir_eval reads it (`D major`), or `X` when the file is too short to
/// give one.
fn key_line(analysis: &Analysis) -> String {
    whole_key(analysis.events).map_or("X\n".into(), |estimate| format!("{}\n", estimate.key))
}

/// Beats as madmom's `.beats` files hold them: time in seconds and place in the bar.
fn beat_lines(analysis: &Analysis) -> String {
    beats(analysis.events).iter().map(|b| format!("{:.3}\t{}\n", b.time, b.bar_position)).collect()
}

/// The whole file's tempo in beats per minute, or `X` when no beat was found.
fn tempo_line(analysis: &Analysis) -> String {
    whole_tempo(analysis.events).map_or("X\n".into(), |tempo| format!("{:.2}\n", tempo.bpm))
}

/// Singing as a `.lab` file: start and end in seconds, `sing` or `nosing`.
fn voice_lab(analysis: &Analysis) -> String {
    vocal_segments(analysis.events, analysis.duration)
        .iter()
        .map(|s| {
            let label = if s.singing { "sing" } else { "nosing" };
            format!("{:.3}\t{:.3}\t{label}\n", s.start, s.end)
        })
        .collect()
}

/// The singing probability of every frame inside the file, as CSV with a header.
fn voice_probabilities(analysis: &Analysis) -> String {
    let rows = analysis.events.iter().filter_map(|event| match *event {
        Event::Activation { task: TaskKind::Voice, time, value }
            if (0.0..=analysis.duration).contains(&time.seconds) =>
        {
            Some(format!("{:.3},{value}\n", time.seconds))
        }
        _ => None,
    });
    std::iter::once("time,probability\n".to_string()).chain(rows).collect()
}

fn tempo_json(tempo: &TempoEstimate) -> serde_json::Value {
    json!({ "bpm": rounded(tempo.bpm as f64), "confidence": rounded(tempo.confidence as f64) })
}

/// Every beat with its place in the bar, its confidence and the running tempo, and the whole
/// file's tempo.
fn beats_json(analysis: &Analysis) -> serde_json::Value {
    let beats: Vec<serde_json::Value> = beats(analysis.events)
        .iter()
        .map(|b| {
            json!({
                "time": rounded(b.time),
                "bar_position": b.bar_position,
                "beats_per_bar": b.beats_per_bar,
                "confidence": rounded(b.confidence as f64),
                "tempo": tempo_json(&b.tempo),
            })
        })
        .collect();
    json!({ "whole_file_tempo": whole_tempo(analysis.events).as_ref().map(tempo_json), "beats": beats })
}

/// The key of the whole file and of the running window where it changes, with their
/// confidences.
fn key_json(analysis: &Analysis) -> serde_json::Value {
    let estimate = |e: &KeyEstimate| {
        json!({
            "key": e.key.to_string(),
            "confidence": rounded(e.confidence as f64),
            "runner_up": e.runner_up.to_string(),
            "runner_up_confidence": rounded(e.runner_up_confidence as f64),
        })
    };
    let changes: Vec<serde_json::Value> = key_changes(analysis.events)
        .iter()
        .map(|(time, e)| {
            let mut value = estimate(e);
            value["time"] = json!(rounded(*time));
            value
        })
        .collect();
    json!({
        "whole_file": whole_key(analysis.events).as_ref().map(estimate),
        "windowed_changes": changes,
    })
}

/// A task's activations: time to the millisecond and the value exactly (the shortest decimal that
/// reads back as the same `f32`).
fn activations(analysis: &Analysis, task: TaskKind) -> String {
    let lines = analysis.events.iter().filter_map(|event| match *event {
        Event::Activation { task: t, time, value } if t == task => {
            Some(format!("{:.3} {value}\n", time.seconds))
        }
        _ => None,
    });
    lines.collect()
}

/// The entry of `task` in a list keyed by task.
fn of_task<T>(list: &[(TaskKind, T)], task: TaskKind) -> Option<&T> {
    list.iter().find(|(t, _)| *t == task).map(|(_, value)| value)
}

fn rounded(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// The JSON file (`STEM.json`): every task's results, settings and weights' command.
pub fn json_file(analysis: &Analysis) -> String {
    serde_json::to_string_pretty(&json_value(analysis)).expect("JSON values serialise") + "\n"
}

/// What the JSON file holds, as a value.
pub fn json_value(analysis: &Analysis) -> serde_json::Value {
    let tasks: serde_json::Map<String, serde_json::Value> = analysis
        .tasks
        .iter()
        .map(|&task| {
            let command = of_task(analysis.metadata, task)
                .and_then(|meta| meta.iter().find(|(k, _)| k == "command"))
                .map(|(_, v)| v.clone());
            let settings: serde_json::Map<String, serde_json::Value> = analysis
                .settings
                .iter()
                .filter(|(t, _, _)| *t == task)
                .map(|(_, name, value)| (name.to_string(), json!(rounded(*value as f64))))
                .collect();
            let results = match task {
                TaskKind::Onsets => onsets(analysis)
                    .map(|(time, strength)| {
                        json!({ "time": rounded(time), "strength": rounded(strength as f64) })
                    })
                    .collect(),
                TaskKind::Chords => reported_chords(analysis.events, analysis.duration)
                    .iter()
                    .map(|s| {
                        json!({
                            "start": rounded(s.start),
                            "end": rounded(s.end),
                            "chord": s.chord.harte(),
                            "confidence": rounded(s.confidence as f64),
                            "runner_up": s.runner_up.harte(),
                            "runner_up_confidence": rounded(s.runner_up_confidence as f64),
                        })
                    })
                    .collect(),
                TaskKind::Key => key_json(analysis),
                TaskKind::Beats => beats_json(analysis),
                TaskKind::Voice => vocal_segments(analysis.events, analysis.duration)
                    .iter()
                    .map(|s| {
                        json!({
                            "start": rounded(s.start),
                            "end": rounded(s.end),
                            "singing": s.singing,
                            "confidence": rounded(s.confidence as f64),
                        })
                    })
                    .collect(),
            };
            let key = task.name();
            let value = json!({
                "decoder": "online (causal), as in the plug-in",
                "settings": settings,
                "weights_command": command,
                key: results,
            });
            (task.name().to_string(), value)
        })
        .collect();
    json!({
        "file": analysis.file,
        "duration": rounded(analysis.duration),
        "tasks": tasks,
    })
}

/// A task's notes, one per event, as the plug-in sends them.
fn event_notes(analysis: &Analysis, task: TaskKind, mapping: &NoteMapping) -> Vec<TimedNote> {
    let notes = analysis
        .events
        .iter()
        .filter(|event| event.task() == task)
        .filter_map(|event| note_for(event, mapping))
        .collect();
    trim_overlaps(notes)
        .into_iter()
        .map(|note| TimedNote {
            start: note.start.seconds,
            end: note.start.seconds + note.length_seconds,
            channel: note.channel,
            key: note.key,
            velocity: velocity_7bit(note.velocity),
        })
        .collect()
}

/// Each chord's tones, held from its change to the next, at the decoder's confidence.
fn chord_notes(analysis: &Analysis, mapping: &NoteMapping) -> Vec<TimedNote> {
    let mut notes = Vec::new();
    for span in reported_chords(analysis.events, analysis.duration) {
        for key in mapping.chord_keys(span.chord).into_iter().flatten() {
            notes.push(TimedNote {
                start: span.start,
                end: span.end,
                channel: mapping.channel.min(15),
                key,
                velocity: velocity_7bit(span.confidence),
            });
        }
    }
    notes
}

/// A note held through each stretch of singing, at the confidence of its start.
fn voice_notes(analysis: &Analysis, mapping: &NoteMapping) -> Vec<TimedNote> {
    vocal_segments(analysis.events, analysis.duration)
        .iter()
        .filter(|s| s.singing)
        .map(|s| TimedNote {
            start: s.start,
            end: s.end,
            channel: mapping.channel.min(15),
            key: mapping.key.min(127),
            velocity: velocity_7bit(s.confidence),
        })
        .collect()
}

/// The MIDI file (`STEM.mid`): a track per task that plays notes, as the plug-in sends them.
pub fn midi_file(analysis: &Analysis) -> Vec<u8> {
    let tracks: Vec<NoteTrack> = analysis
        .tasks
        .iter()
        .filter_map(|&task| {
            let mapping =
                of_task(analysis.mappings, task).copied().or(NoteMapping::default_for(task))?;
            let notes = match task {
                TaskKind::Chords => chord_notes(analysis, &mapping),
                TaskKind::Voice => voice_notes(analysis, &mapping),
                _ => event_notes(analysis, task, &mapping),
            };
            Some(NoteTrack { name: task.name(), notes })
        })
        .collect();
    write_midi(&tracks)
}
