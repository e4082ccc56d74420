//! The table in `docs/bad-input.md`, checked: every case there is built here, run through
//! `earshot`, and must give the table's message (each quoted part, on standard error) and exit
//! code. A case in the table without a builder here, or a builder without a row, fails.

use earshot_io::audio::{write_wav_as, Audio, WavFormat};
use earshot_nn::{format, LayerSpec, PoolKind};
use earshot_test_signals::pcm16_wav;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tempfile::TempDir;

/// A table row: the case, the quoted parts of the message, the exit code.
struct Row {
    case: String,
    messages: Vec<String>,
    exit: i32,
}

fn table() -> Vec<Row> {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/bad-input.md");
    let text = std::fs::read_to_string(doc).unwrap();
    text.lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let quoted = |cell: &str| -> Vec<String> {
                cell.split('`').skip(1).step_by(2).map(str::to_string).collect()
            };
            Row {
                case: quoted(cells[1]).remove(0),
                messages: quoted(cells[3]),
                exit: cells[4].parse().unwrap_or_else(|_| panic!("exit code in {line}")),
            }
        })
        .collect()
}

fn s(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> PathBuf {
    std::fs::write(path, bytes).unwrap();
    path.to_path_buf()
}

/// One second of a quiet tone at 44.1 kHz as 16-bit WAV.
fn song(dir: &Path) -> PathBuf {
    let tone = (0..44_100).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
    let path = dir.join("song.wav");
    let audio = Audio { sample_rate: 44_100, channels: vec![tone] };
    write_wav_as(&path, &audio, WavFormat::Pcm16).unwrap();
    path
}

fn shipped_weights() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/src/tasks/onsets/weights.esw");
    std::fs::read(path).unwrap()
}

/// The shipped onset model changed by `change`, written (unchecked) as `weights.esw`.
fn changed_weights(dir: &Path, change: impl FnOnce(&mut earshot_nn::ModelSpec)) -> PathBuf {
    let mut spec = format::read(&shipped_weights()).unwrap();
    change(&mut spec);
    write(&dir.join("weights.esw"), format::write(&spec))
}

fn analyze_with_weights(dir: &Path, weights: &Path) -> Vec<String> {
    vec!["analyze".into(), s(&song(dir)), "--weights".into(), s(weights)]
}

/// `earshot eval` of the files `reference` and `estimated` hold.
fn eval(
    dir: &Path,
    task: &str,
    reference: &[(&str, &str)],
    estimated: &[(&str, &str)],
) -> Vec<String> {
    let (r, e) = (dir.join("ref"), dir.join("est"));
    for (folder, files) in [(&r, reference), (&e, estimated)] {
        std::fs::create_dir_all(folder).unwrap();
        for (name, text) in files {
            write(&folder.join(name), text);
        }
    }
    ["eval", "--task", task, "--ref", &s(&r), "--est", &s(&e)].map(String::from).to_vec()
}

/// Builds case `case` in `dir`: the arguments to run `earshot` with.
fn build(case: &str, dir: &Path) -> Vec<String> {
    let analyze = |path: PathBuf| vec!["analyze".to_string(), s(&path)];
    let wav = |name: &str, audio: &Audio, format| {
        let path = dir.join(name);
        write_wav_as(&path, audio, format).unwrap();
        path
    };
    match case {
        "empty-file" => analyze(write(&dir.join("empty.wav"), b"")),
        "not-audio" => analyze(write(&dir.join("notes.wav"), "Take the A train\n".repeat(50))),
        "truncated-wav" => {
            let bytes = std::fs::read(song(dir)).unwrap();
            analyze(write(&dir.join("cut.wav"), &bytes[..44 + 44_100]))
        }
        "truncated-mp3" => {
            let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../io/tests/fixtures");
            let bytes = std::fs::read(fixtures.join("clicks-44100.mp3")).unwrap();
            analyze(write(&dir.join("cut.mp3"), &bytes[..bytes.len() / 2]))
        }
        "rate-zero" => {
            let mut bytes = pcm16_wav(44_100, 1, 1000);
            bytes[24..28].copy_from_slice(&0u32.to_le_bytes());
            analyze(write(&dir.join("zero.wav"), bytes))
        }
        "rate-out-of-range" => analyze(write(&dir.join("slow.wav"), pcm16_wav(4_000, 1, 4_000))),
        "too-many-channels" => analyze(write(&dir.join("wide.wav"), pcm16_wav(44_100, 2000, 10))),
        "nan-samples" => {
            let mut samples = vec![0.1f32; 44_100];
            samples[10] = f32::NAN;
            samples[20] = f32::INFINITY;
            samples[30] = f32::NEG_INFINITY;
            let audio = Audio { sample_rate: 44_100, channels: vec![samples] };
            analyze(wav("nan.wav", &audio, WavFormat::Float32))
        }
        "missing-file" => analyze(dir.join("missing.wav")),
        "empty-stdin" => vec!["analyze".into(), "-".into()],
        "out-is-a-file" => {
            let song = song(dir);
            vec!["analyze".into(), s(&song), "--out".into(), s(&song)]
        }
        "endless-weights" => analyze_with_weights(dir, Path::new("/dev/zero")),
        "not-weights" => {
            let song = song(dir);
            vec!["analyze".into(), s(&song), "--weights".into(), s(&song)]
        }
        "corrupt-weights" => {
            let mut bytes = shipped_weights();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x40;
            analyze_with_weights(dir, &write(&dir.join("weights.esw"), bytes))
        }
        "absurd-weights" => {
            let weights = changed_weights(dir, |spec| {
                let LayerSpec::Conv2d { weight, .. } = &mut spec.layers[0] else {
                    panic!("the shipped model starts with a conv2d layer")
                };
                weight[0] = 3e38;
            });
            analyze_with_weights(dir, &weights)
        }
        "heavy-weights" => {
            let weights = changed_weights(dir, |spec| {
                // 601 channels of 109 bins: a 65 509-value frame, pooled over 64 frames 62 times.
                let channels = spec.input.channels;
                spec.layers = vec![LayerSpec::Conv2d {
                    out_channels: 601,
                    kernel_time: 1,
                    kernel_freq: 1,
                    freq_padding: 0,
                    weight: vec![0.1; 601 * channels],
                    bias: vec![0.0; 601],
                }];
                let pool =
                    LayerSpec::Pool { kind: PoolKind::Max, time: 64, freq: 1, freq_stride: 1 };
                spec.layers.extend(std::iter::repeat_n(pool, 62));
            });
            analyze_with_weights(dir, &weights)
        }
        "frantic-weights" => {
            let weights = changed_weights(dir, |spec| spec.frontend.hop_length = 1);
            analyze_with_weights(dir, &weights)
        }
        "sensitivity" => {
            ["analyze", &s(&song(dir)), "--sensitivity", "2"].map(String::from).to_vec()
        }
        "unknown-task" => {
            ["analyze", &s(&song(dir)), "--tasks", "tempo"].map(String::from).to_vec()
        }
        "bad-option" => ["analyze", &s(&song(dir)), "--format", "nope"].map(String::from).to_vec(),
        "eval-bad-line" => eval(
            dir,
            "onsets",
            &[("a.txt", "1.0\n2.0\n"), ("b.txt", "1.0\n")],
            &[("a.txt", "1.0\nsoon\n"), ("b.txt", "1.0\n")],
        ),
        "eval-absurd-time" => {
            eval(dir, "beats", &[("b.txt", "5.0\n5.5\n")], &[("b.txt", "5.0\n5.5\n6.0\n1e308\n")])
        }
        "eval-chord-label" => eval(
            dir,
            "chords",
            &[("s.lab", "0.0 1.0 C:maj\n1.0 2.0 G:maj\n")],
            &[("s.lab", "# estimate\n0.0 1.0 C:maj\n1.0 2.0 H:maj\n")],
        ),
        "eval-jams-chord" => {
            let chord = |time: f64, value: &str| serde_json::json!({"time": time, "duration": 2.0, "value": value});
            let document = serde_json::json!({"annotations": [{"namespace": "chord",
                "data": [chord(0.0, "C:maj"), chord(2.0, "H:maj")]}]});
            let estimate = document.to_string();
            eval(dir, "chords", &[("s.lab", "0.0 4.0 C:maj\n")], &[("s.jams", &estimate)])
        }
        "eval-empty-chords" => {
            eval(dir, "chords", &[("z.lab", "1.0 1.0 C:maj\n")], &[("z.lab", "0.0 2.0 G:maj\n")])
        }
        "eval-salience" => {
            let salience = dir.join("salience");
            std::fs::create_dir_all(&salience).unwrap();
            write(&salience.join("a.salience.txt"), "1.0 12.5\n2.0 x\n");
            let mut args = eval(dir, "onsets", &[("a.txt", "1.0\n2.0\n")], &[("a.txt", "1.0\n")]);
            args.extend(["--salience", &s(&salience), "--min-salience", "6"].map(String::from));
            args
        }
        "eval-huge-file" => {
            let args = eval(dir, "onsets", &[], &[("huge.txt", "1.0\n")]);
            let huge = std::fs::File::create(dir.join("ref/huge.txt")).unwrap();
            huge.set_len(65 << 20).unwrap();
            args
        }
        "eval-unmatched" => eval(
            dir,
            "onsets",
            &[("a.txt", "1.0\n")],
            &[("a.txt", "1.0\n"), ("stray.txt", "1.0\n")],
        ),
        other => panic!("docs/bad-input.md has a case `{other}` this test cannot build"),
    }
}

/// Every case this test builds, so that a row removed from the table is noticed.
const CASES: &[&str] = &[
    "empty-file",
    "not-audio",
    "truncated-wav",
    "truncated-mp3",
    "rate-zero",
    "rate-out-of-range",
    "too-many-channels",
    "nan-samples",
    "missing-file",
    "empty-stdin",
    "out-is-a-file",
    "endless-weights",
    "not-weights",
    "corrupt-weights",
    "absurd-weights",
    "heavy-weights",
    "frantic-weights",
    "sensitivity",
    "unknown-task",
    "bad-option",
    "eval-bad-line",
    "eval-absurd-time",
    "eval-chord-label",
    "eval-jams-chord",
    "eval-empty-chords",
    "eval-salience",
    "eval-huge-file",
    "eval-unmatched",
];

#[test]
fn every_bad_input_in_the_table_gets_its_message_and_exit_code() {
    let rows = table();
    let documented: Vec<&str> = rows.iter().map(|r| r.case.as_str()).collect();
    assert_eq!(documented, CASES, "docs/bad-input.md and this test list different cases");
    for row in rows {
        let dir = TempDir::new().unwrap();
        let out = dir.path().join("out");
        let mut args = build(&row.case, dir.path());
        if args[0] == "analyze" && !args.iter().any(|a| a == "--out") {
            args.extend(["--out".to_string(), s(&out)]);
        }
        let output = Command::new(env!("CARGO_BIN_EXE_earshot"))
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let error = String::from_utf8_lossy(&output.stderr);
        for message in &row.messages {
            assert!(error.contains(message.as_str()), "{}: no {message:?} in:\n{error}", row.case);
        }
        assert_eq!(
            output.status.code(),
            Some(row.exit),
            "{}: exit code; it said:\n{error}",
            row.case
        );
    }
}
