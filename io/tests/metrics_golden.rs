//! Earshot's metrics against mir_eval 0.8: `fixtures/metrics.json` (written by
//! `scripts/metric_fixtures.py`) holds random and edge-case inputs with mir_eval's outputs; every
//! value must agree within 1e-6 (both sides compute in double precision; the differences left
//! are summation order, around 1e-15).

use earshot_io::annotations::harte;
use earshot_io::annotations::key::Key;
use earshot_io::annotations::segments::Segment;
use earshot_io::metrics::{beat, chord, key, onset, segments};
use serde_json::Value;

const TOLERANCE: f64 = 1e-6;

fn fixtures() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/metrics.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
}

fn check(what: &str, case: usize, got: f64, expected: &Value) {
    let expected = expected.as_f64().unwrap_or_else(|| panic!("{what}: no expected value"));
    assert!(
        (got - expected).abs() <= TOLERANCE,
        "{what} case {case}: {got} vs mir_eval {expected}"
    );
}

fn check_onset_scores(what: &str, case_index: usize, scores: &onset::OnsetScores, case: &Value) {
    check(&format!("{what} F"), case_index, scores.f_measure, &case["f_measure"]);
    check(&format!("{what} P"), case_index, scores.precision, &case["precision"]);
    check(&format!("{what} R"), case_index, scores.recall, &case["recall"]);
}

#[test]
fn onset_f_measure_precision_recall() {
    let all = fixtures();
    let cases = all["onset"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for (i, case) in cases.iter().enumerate() {
        let scores = onset::evaluate(
            &numbers(&case["reference"]),
            &numbers(&case["estimated"]),
            onset::WINDOW,
        );
        check_onset_scores("onset", i, &scores, case);
    }
}

#[test]
fn onset_scores_with_dont_care_onsets() {
    let all = fixtures();
    let cases = all["onset_ignoring"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for (i, case) in cases.iter().enumerate() {
        let scores = onset::evaluate_ignoring(
            &numbers(&case["reference"]),
            &numbers(&case["ignored"]),
            &numbers(&case["estimated"]),
            onset::WINDOW,
        );
        check_onset_scores("onset (don't-care)", i, &scores, case);
    }
}

#[test]
fn beat_f_cemgil_p_score_and_continuity() {
    let all = fixtures();
    let cases = all["beat"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for (i, case) in cases.iter().enumerate() {
        let s = beat::evaluate(&numbers(&case["reference"]), &numbers(&case["estimated"]));
        for (name, got) in [
            ("f_measure", s.f_measure),
            ("cemgil", s.cemgil),
            ("cemgil_best_metric_level", s.cemgil_best_metric_level),
            ("p_score", s.p_score),
            ("cml_c", s.cml_c),
            ("cml_t", s.cml_t),
            ("aml_c", s.aml_c),
            ("aml_t", s.aml_t),
        ] {
            check(name, i, got, &case[name]);
        }
    }
}

#[test]
fn chord_labels_encode_exactly_as_mir_eval_and_invalid_ones_are_refused() {
    let all = fixtures();
    let cases = all["chord_encode"].as_array().unwrap();
    assert!(cases.len() >= 100);
    for case in cases {
        let label = case["label"].as_str().unwrap();
        for (key, encoded) in
            [("plain", harte::encode(label)), ("reduced", harte::encode_reduced(label))]
        {
            let encoded = encoded.unwrap_or_else(|e| panic!("{e}"));
            let expected = &case[key];
            assert_eq!(
                encoded.root as i64,
                expected["root"].as_i64().unwrap(),
                "{label} {key} root"
            );
            assert_eq!(
                encoded.bass as i64,
                expected["bass"].as_i64().unwrap(),
                "{label} {key} bass"
            );
            let semitones: Vec<i64> = encoded.semitones.iter().map(|s| *s as i64).collect();
            let want: Vec<i64> = expected["semitones"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect();
            assert_eq!(semitones, want, "{label} {key} semitones");
        }
    }
    for label in all["chord_invalid"].as_array().unwrap() {
        let label = label.as_str().unwrap();
        assert!(
            harte::encode(label).is_err(),
            "{label:?} is invalid for mir_eval but was accepted"
        );
    }
}

fn segments_of(value: &Value) -> Vec<Segment> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Segment {
            start: s[0].as_f64().unwrap(),
            end: s[1].as_f64().unwrap(),
            label: s.get(2).and_then(Value::as_str).unwrap_or("voice").to_string(),
        })
        .collect()
}

#[test]
fn chord_symbol_recall_and_segmentation() {
    let all = fixtures();
    let cases = all["chord"].as_array().unwrap();
    assert!(cases.len() >= 25);
    for (i, case) in cases.iter().enumerate() {
        let s = chord::evaluate(&segments_of(&case["reference"]), &segments_of(&case["estimated"]))
            .unwrap();
        for (name, got) in [
            ("root", s.root),
            ("majmin", s.majmin),
            ("sevenths", s.sevenths),
            ("tetrads", s.tetrads),
            ("overseg", s.overseg),
            ("underseg", s.underseg),
            ("seg", s.seg),
        ] {
            check(name, i, got, &case[name]);
        }
    }
}

#[test]
fn key_weighted_score_for_every_pair() {
    let all = fixtures();
    let cases = all["key"].as_array().unwrap();
    assert!(cases.len() >= 700);
    for (i, case) in cases.iter().enumerate() {
        let parse = |field: &str| Key::parse(case[field].as_str().unwrap()).unwrap();
        check(
            "key",
            i,
            key::weighted_score(&parse("reference"), &parse("estimated")),
            &case["score"],
        );
    }
}

#[test]
fn activity_frame_scores() {
    let all = fixtures();
    let cases = all["activity"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for (i, case) in cases.iter().enumerate() {
        let s =
            segments::evaluate(&segments_of(&case["reference"]), &segments_of(&case["estimated"]));
        for (name, got) in [
            ("accuracy", s.accuracy),
            ("precision", s.precision),
            ("recall", s.recall),
            ("f_measure", s.f_measure),
        ] {
            check(name, i, got, &case[name]);
        }
    }
}
