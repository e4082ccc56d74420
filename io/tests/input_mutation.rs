//! Every loader a user can feed `earshot eval` and `earshot analyze`, fed thousands of damaged
//! files: each gives a clear error or a bounded result — never a panic, more than its memory
//! budget, or, on average, more than its time budget — and every score computed from what it
//! accepts is a number between 0 and 1.

mod mutation;

use earshot_alloc_guard::CountingAllocator;
use earshot_io::annotations::{events, jams, key, pop909, salience, segments};
use earshot_io::audio::{self, Audio, WavFormat};
use earshot_io::metrics::{beat, chord, key as key_metric, onset, segments as activity};
use mutation::{rounds, run, Budget, Outcome};
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Annotation files are small: 16 MB at once is far beyond what any mutated seed may need.
const ANNOTATION: Budget = Budget { memory: 16 << 20, time_per_input: Duration::from_millis(20) };

fn accepted_if<T, E>(result: Result<T, E>, check: impl FnOnce(T)) -> Outcome {
    match result {
        Ok(value) => {
            check(value);
            Outcome::Accepted
        }
        Err(_) => Outcome::Refused,
    }
}

/// A score from 0 to 1 (give or take rounding in a weighted sum).
fn assert_score(what: &str, value: f64) {
    assert!((0.0..=1.0 + 1e-12).contains(&value), "{what} score {value}");
}

/// mir_eval's P-score counts every (reference, estimate) pair within a window of a fifth of
/// the median beat interval: beats spaced far below the median may give more than 1.
fn assert_p_score(value: f64) {
    assert!(value.is_finite() && value >= 0.0, "P-score {value}");
}

fn seeds(texts: &[&str]) -> Vec<Vec<u8>> {
    texts.iter().map(|t| t.as_bytes().to_vec()).collect()
}

const EVENTS: &[&str] = &[
    "0.5\n1.0\tdown\n1.5 1\n# a comment\n2.25\n6.0\n6.5\n7.0\n",
    "5.0 1\n5.5 2\n6.0 3\n6.5 4\n7.0 1\n7.5 2\n8.0 3\n",
];
const REFERENCE_EVENTS: &[f64] = &[0.5, 1.0, 5.0, 5.5, 6.0, 6.5, 7.0, 8.0];

#[test]
fn event_lists() {
    run("event list", &seeds(EVENTS), 64, rounds(4000), ANNOTATION, |path| {
        accepted_if(events::read_times(path), |times| {
            let o = onset::evaluate(REFERENCE_EVENTS, &times, onset::WINDOW);
            [o.f_measure, o.precision, o.recall].iter().for_each(|v| assert_score("onset", *v));
            let b = beat::evaluate(REFERENCE_EVENTS, &times);
            let scores = [b.f_measure, b.cemgil, b.cemgil_best_metric_level, b.p_score, b.cml_c];
            scores
                .iter()
                .chain(&[b.cml_t, b.aml_c, b.aml_t])
                .for_each(|v| assert_score("beat", *v));
        })
    });
}

#[test]
fn salience_files() {
    let dir = TempDir::new().unwrap();
    let reference = dir.path().join("song.onsets.txt");
    std::fs::write(&reference, "0.5\n1.0\n1.5\n").unwrap();
    let seed = seeds(&["0.5 12.5\n1.0 -3\n1.5 40\n"]);
    run("salience", &seed, 32, rounds(3000), ANNOTATION, |path| {
        let onsets = vec![0.5, 1.0, 1.5];
        accepted_if(salience::split_by_salience(onsets, |t| *t, &reference, path, 6.0), |_| {})
    });
}

const VOICE: &[&str] = &["0.0 1.5 voice\n1.5 3.0 voice\n4.0 9.25 voice\n"];
const CHORDS: &[&str] = &[
    "0.0 1.0 C:maj\n1.0 2.5 A:min7/b3\n2.5 4.0 N\n4.0 5.0 Bb:7(#9)\n5.0 5.0 X\n",
    "0.000000\t2.000000\tF#:hdim7\n2.000000\t4.000000\tE:sus4(b7)\n",
];

#[test]
fn voice_segments() {
    let reference = [segments::Segment { start: 0.5, end: 4.0, label: "voice".into() }];
    run("voice .lab", &seeds(VOICE), 48, rounds(3000), ANNOTATION, |path| {
        accepted_if(segments::read(path), |estimate| {
            let s = activity::evaluate(&reference, &estimate);
            [s.accuracy, s.precision, s.recall, s.f_measure]
                .iter()
                .for_each(|v| assert_score("activity", *v));
        })
    });
}

#[test]
fn chord_segments() {
    let dir = TempDir::new().unwrap();
    let reference = segments::read_chords(&{
        let path = dir.path().join("reference.lab");
        std::fs::write(&path, CHORDS[0]).unwrap();
        path
    })
    .unwrap();
    run("chord .lab", &seeds(CHORDS), 48, rounds(3000), ANNOTATION, |path| {
        accepted_if(segments::read_chords(path), |estimate| {
            for (r, e) in [(&reference, &estimate), (&estimate, &reference)] {
                if let Ok(s) = chord::evaluate(r, e) {
                    let all =
                        [s.root, s.majmin, s.sevenths, s.tetrads, s.overseg, s.underseg, s.seg];
                    all.iter().for_each(|v| assert_score("chord", *v));
                }
            }
        })
    });
}

#[test]
fn key_files() {
    let seed = seeds(&["C major\n", "0.0 10.0 A minor\n10.0 30.0 Eb major\n", "X\n"]);
    let reference = key::Key::parse("A minor").unwrap();
    run("key", &seed, 32, rounds(3000), ANNOTATION, |path| {
        accepted_if(key::read(path), |estimate| {
            assert_score("key", key_metric::weighted_score(&reference, &estimate));
        })
    });
}

#[test]
fn pop909_beat_files() {
    let seed = seeds(&["0.5 1.0 1.0\n1.0 1.0 0.0\n1.5 1.0 0.0\n2.0 1.0 0.0\n2.5 1.0 1.0\n"]);
    run("POP909 beats", &seed, 48, rounds(2000), ANNOTATION, |path| {
        accepted_if(pop909::read_beats(path), |_| {})
    });
}

const JAMS: &str = r#"{"file_metadata": {"duration": 12.0, "title": "t"},
 "annotations": [
  {"namespace": "onset", "data": [{"time": 0.5, "duration": 0.0, "value": null, "confidence": null},
                                   {"time": 1.25, "duration": 0.0, "value": null, "confidence": 1}]},
  {"namespace": "beat", "data": [{"time": 5.0, "duration": 0, "value": 1}, {"time": 5.5, "value": 2},
                                  {"time": 6.0, "value": 3}, {"time": 6.5, "value": 4}]},
  {"namespace": "chord", "data": [{"time": 0.0, "duration": 2.0, "value": "C:maj"},
                                   {"time": 2.0, "duration": 2.0, "value": "G:7/3"}]},
  {"namespace": "key_mode", "data": [{"time": 0.0, "duration": 12.0, "value": "E:minor"}]}],
 "sandbox": {}}"#;

#[test]
fn jams_files() {
    let dir = TempDir::new().unwrap();
    let reference = jams::read(&{
        let path = dir.path().join("reference.jams");
        std::fs::write(&path, JAMS).unwrap();
        path
    })
    .unwrap();
    run("JAMS", &seeds(&[JAMS]), JAMS.len(), rounds(3000), ANNOTATION, |path| {
        accepted_if(jams::read(path), |estimate| {
            let o = onset::evaluate(&reference.onsets(), &estimate.onsets(), onset::WINDOW);
            assert_score("onset", o.f_measure);
            assert_p_score(beat::evaluate(&reference.beats(), &estimate.beats()).p_score);
            let checked = estimate.checked_chords().unwrap_or_default();
            if let Ok(s) = chord::evaluate(&reference.chords(), &checked) {
                assert_score("chord", s.majmin);
            }
            if let Some(Ok(key)) = estimate.key() {
                let reference_key = reference.key().unwrap().unwrap();
                assert_score("key", key_metric::weighted_score(&reference_key, &key));
            }
        })
    });
}

fn wav_bytes(audio: &Audio, format: WavFormat, dir: &Path) -> Vec<u8> {
    let path = dir.join("seed.wav");
    audio::write_wav_as(&path, audio, format).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn audio_headers() {
    let dir = TempDir::new().unwrap();
    let tone: Vec<f32> = (0..2205).map(|i| (i as f32 * 0.06).sin() * 0.5).collect();
    let stereo = Audio { sample_rate: 22_050, channels: vec![tone.clone(), tone.clone()] };
    let many = Audio { sample_rate: 8_000, channels: vec![tone[..400].to_vec(); 40] };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seeds = vec![
        wav_bytes(&stereo, WavFormat::Pcm16, dir.path()),
        wav_bytes(&stereo, WavFormat::Float32, dir.path()),
        wav_bytes(&many, WavFormat::Pcm16, dir.path()),
    ];
    for name in ["tone.aiff", "tone.flac", "tone.ogg", "tone.mp3", "clicks-16000.mp3"] {
        seeds.push(std::fs::read(fixtures.join(name)).unwrap());
    }
    // A mutated header may double what a file decodes to (a sample size halved), never more
    // than a few times the file itself.
    let budget = Budget { memory: 64 << 20, time_per_input: Duration::from_millis(100) };
    run("audio", &seeds, 512, rounds(1500), budget, |path| {
        accepted_if(audio::read(path), |audio| {
            assert!(audio.frames() > 0 && audio.sample_rate > 0 && !audio.channels.is_empty());
        })
    });
}
