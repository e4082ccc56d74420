//! The chord task's training data: every Harte label of the metric fixtures maps to the class
//! mir_eval's `majmin` comparison matches it with (or to none, for chords it leaves out), and
//! frame targets follow the labels, delayed by the look-ahead, with don't-care frames.

use earshot_engine::tasks::chords::vocabulary::{Chord, CLASSES};
use earshot_trainer::tasks::chords::{
    chord_of_label, chord_targets, transpose_chord_targets, ChordSpan,
};
use earshot_trainer::train::loss::DONT_CARE;
use serde_json::Value;

#[test]
fn labels_map_to_the_class_mir_eval_majmin_matches() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../io/tests/fixtures/metrics.json");
    let fixtures: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let cases = fixtures["chord_encode"].as_array().unwrap();
    let (mut inside, mut outside) = (0, 0);
    for case in cases {
        let label = case["label"].as_str().unwrap();
        let expected = case["majmin_class"].as_i64().unwrap();
        let got = chord_of_label(label).unwrap().map_or(-1, |chord| chord.class() as i64);
        assert_eq!(got, expected, "{label}");
        if expected >= 0 {
            inside += 1
        } else {
            outside += 1
        }
    }
    assert!(inside > 100 && outside > 100, "{inside} inside, {outside} outside");
}

#[test]
fn targets_follow_the_labels_late_by_the_look_ahead() {
    let span = |start, end, chord| ChordSpan { start, end, chord };
    let spans = [
        span(0.5, 2.0, Some(Chord::Major(0))),
        span(2.0, 3.0, None),
        span(3.0, 5.0, Some(Chord::Minor(9))),
    ];
    // 10 frames per second, targets two frames late: frame t describes (t − 2) / 10 s.
    let targets = chord_targets(&spans, 60, 0.1, 2);
    let class_at = |frame: usize| {
        let target = &targets[frame * CLASSES..(frame + 1) * CLASSES];
        if target.iter().all(|v| *v == DONT_CARE) {
            return None;
        }
        assert_eq!(target.iter().sum::<f32>(), 1.0, "frame {frame}: {target:?}");
        Some(target.iter().position(|v| *v == 1.0).unwrap())
    };
    assert_eq!(class_at(0), Some(Chord::NoChord.class()), "before the audio: no chord");
    assert_eq!(class_at(6), Some(Chord::NoChord.class()), "0.4 s: before the first chord");
    assert_eq!(class_at(7), Some(Chord::Major(0).class()), "0.5 s");
    assert_eq!(class_at(21), Some(Chord::Major(0).class()), "1.9 s");
    assert_eq!(class_at(22), None, "2.0 s: outside the vocabulary");
    assert_eq!(class_at(32), Some(Chord::Minor(9).class()), "3.0 s");
    assert_eq!(class_at(52), Some(Chord::NoChord.class()), "5.0 s: after the last chord");
}

#[test]
fn transposed_targets_name_the_chords_moved_by_as_many_semitones() {
    let span = |start, end, chord| ChordSpan { start, end, chord };
    let spans = [span(0.0, 1.0, Some(Chord::Major(11))), span(1.0, 2.0, None)];
    let spans_up = [span(0.0, 1.0, Some(Chord::Major(2))), span(1.0, 2.0, None)];
    let mut targets = chord_targets(&spans, 30, 0.1, 0);
    transpose_chord_targets(&mut targets, 3);
    assert_eq!(targets, chord_targets(&spans_up, 30, 0.1, 0), "B up 3: D; N and X stay");
    transpose_chord_targets(&mut targets, -3);
    assert_eq!(targets, chord_targets(&spans, 30, 0.1, 0));
}
