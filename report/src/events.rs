//! A live event as a plain record (for the Python package's streaming engine): its task and
//! kind, its time in samples and seconds, and its fields, as the JSON file names them.

use earshot_engine::tasks::beats::tempo::TempoEstimate;
use earshot_engine::tasks::key::pooling::KeyEstimate;
use earshot_engine::Event;
use serde_json::{json, Value};

/// `event` as a JSON object: `task`, `kind`, `sample`, `time` and the event's own fields.
pub fn event_value(event: &Event) -> Value {
    let time = event.time();
    let mut value = match *event {
        Event::Onset { strength, .. } => json!({ "kind": "onset", "strength": strength }),
        Event::Activation { value, .. } => json!({ "kind": "activation", "value": value }),
        Event::Chord { chord, confidence, runner_up, runner_up_confidence, .. } => json!({
            "kind": "chord",
            "chord": chord.harte(),
            "confidence": confidence,
            "runner_up": runner_up.harte(),
            "runner_up_confidence": runner_up_confidence,
        }),
        Event::Key { windowed, overall, .. } => json!({
            "kind": "key",
            "windowed": key(&windowed),
            "overall": key(&overall),
        }),
        Event::Beat { bar_position, beats_per_bar, confidence, windowed, overall, .. } => json!({
            "kind": "beat",
            "bar_position": bar_position,
            "beats_per_bar": beats_per_bar,
            "confidence": confidence,
            "tempo": tempo(&windowed),
            "overall_tempo": tempo(&overall),
        }),
        Event::Voice { singing, confidence, .. } => {
            json!({ "kind": "voice", "singing": singing, "confidence": confidence })
        }
    };
    value["task"] = json!(event.task().name());
    value["sample"] = json!(time.sample);
    value["time"] = json!(time.seconds);
    value
}

fn key(estimate: &KeyEstimate) -> Value {
    json!({
        "key": estimate.key.to_string(),
        "confidence": estimate.confidence,
        "runner_up": estimate.runner_up.to_string(),
        "runner_up_confidence": estimate.runner_up_confidence,
    })
}

fn tempo(estimate: &TempoEstimate) -> Value {
    json!({ "bpm": estimate.bpm, "confidence": estimate.confidence })
}
