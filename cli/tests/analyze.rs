//! `earshot analyze` on tones the test writes: the shipped onset weights find their onsets
//! (F ≥ 0.9) in every output format; folders are searched and mirrored under `--out`, in
//! parallel with the same results as one job; bad input gives a clear error without losing the
//! other files or an earlier result.

use earshot_io::annotations::events;
use earshot_io::audio::{write_wav_as, Audio, WavFormat};
use earshot_io::metrics::onset;
use earshot_test_signals::add_decaying_tone;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const RATE: u32 = 44_100;

fn earshot(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_earshot")).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

fn path(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// Writes `seconds` of decaying tones, one every 0.4 s from 0.3 s (pitch by `seed`), as 16-bit
/// WAV at `file`; returns the onset times.
fn write_tones(file: &Path, seconds: f64, seed: usize) -> Vec<f64> {
    let rate = RATE as f64;
    let mut samples = vec![0.0f32; (seconds * rate) as usize];
    let mut onsets = Vec::new();
    let mut time = 0.3;
    while time < seconds - 0.3 {
        let pitch = [196.0, 262.0, 330.0, 440.0, 523.0][(onsets.len() + seed) % 5];
        add_decaying_tone(&mut samples[(time * rate) as usize..], rate, pitch, 0.3, 0.1);
        onsets.push(time);
        time += 0.4;
    }
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let audio = Audio { sample_rate: RATE, channels: vec![samples.clone(), samples] };
    write_wav_as(file, &audio, WavFormat::Pcm16).unwrap();
    onsets
}

/// Writes `audio` (mono, at [`RATE`]) as a float WAV at `wav` and analyses it for `task` as
/// text, JSON and MIDI into `out`.
fn analyze_in_every_format(wav: &Path, audio: &[f32], task: &str, out: &Path) {
    let signal = Audio { sample_rate: RATE, channels: vec![audio.to_vec()] };
    write_wav_as(wav, &signal, WavFormat::Float32).unwrap();
    for format in ["txt", "json", "midi"] {
        let args = ["analyze", &path(wav), "--tasks", task, "--format", format];
        let (ok, text) = earshot(&[&args[..], &["--out", &path(out)]].concat());
        assert!(ok, "{text}");
    }
}

fn f_measure(truth: &[f64], found: &[f64]) -> f64 {
    onset::evaluate(truth, found, onset::WINDOW).f_measure
}

#[test]
fn onsets_come_out_in_every_format() {
    let dir = TempDir::new().unwrap();
    let wav = dir.path().join("song.wav");
    let truth = write_tones(&wav, 6.0, 0);
    let out = dir.path().join("out");

    let (ok, text) = earshot(&["analyze", &path(&wav), "--tasks", "onsets", "--out", &path(&out)]);
    assert!(ok, "{text}");
    assert!(text.contains("1 of 1 files analysed, 6.0 s of audio"), "{text}");
    let found = events::read_times(&out.join("song.onsets.txt")).unwrap();
    assert!(f_measure(&truth, &found) >= 0.9, "{found:?} for {truth:?}");

    // JSON: every task of the file in one, with the settings and the weights' command.
    let (ok, text) = earshot(&["analyze", &path(&wav), "--format", "json", "--out", &path(&out)]);
    assert!(ok, "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("song.json")).unwrap()).unwrap();
    let onsets = &json["tasks"]["onsets"];
    let times: Vec<f64> =
        onsets["onsets"].as_array().unwrap().iter().map(|o| o["time"].as_f64().unwrap()).collect();
    assert_eq!(times, found);
    assert_eq!(onsets["settings"]["sensitivity"], 0.5);
    assert!(onsets["weights_command"].as_str().unwrap().starts_with("earshot train --task onsets"));
    assert_eq!(json["duration"], 6.0);

    // MIDI: a track per task asked for, the plug-in's notes (20 ms, the chosen key, channel 1).
    let (ok, text) = earshot(&[
        "analyze",
        &path(&wav),
        "--tasks",
        "onsets",
        "--format",
        "midi",
        "--midi-note",
        "38",
        "--out",
        &path(&out),
    ]);
    assert!(ok, "{text}");
    let bytes = std::fs::read(out.join("song.mid")).unwrap();
    let smf = midly::Smf::parse(&bytes).unwrap();
    assert_eq!(smf.tracks.len(), 1);
    let mut tick = 0u32;
    let mut ons = Vec::new();
    for event in &smf.tracks[0] {
        tick += event.delta.as_int();
        if let midly::TrackEventKind::Midi {
            channel,
            message: midly::MidiMessage::NoteOn { key, vel },
        } = event.kind
        {
            assert_eq!((channel.as_int(), key.as_int()), (0, 38));
            assert!(vel.as_int() >= 1);
            ons.push(tick as f64 / 1920.0);
        }
    }
    assert_eq!(ons.len(), found.len());
    assert!(ons.iter().zip(&found).all(|(a, b)| (a - b).abs() < 1e-3), "{ons:?} {found:?}");

    // The activation of every frame, 10 ms apart over the whole file (from the few before it
    // that the look-ahead puts there); each onset a peak of at least the default threshold.
    let (ok, text) =
        earshot(&["analyze", &path(&wav), "--format", "activations", "--out", &path(&out)]);
    assert!(ok, "{text}");
    let frames: Vec<(f64, f64)> = std::fs::read_to_string(out.join("song.onsets.activations.txt"))
        .unwrap()
        .lines()
        .map(|line| {
            let (time, value) = line.split_once(' ').unwrap();
            (time.parse().unwrap(), value.parse().unwrap())
        })
        .collect();
    assert!(frames[0].0 < 0.0 && frames.last().unwrap().0 > 5.98, "{:?}", frames.last());
    assert!(frames.windows(2).all(|w| (w[1].0 - w[0].0 - 0.01).abs() <= 0.0015));
    for &time in &found {
        let peak = frames
            .iter()
            .filter(|(t, _)| (t - time).abs() <= 0.0051)
            .map(|&(_, value)| value)
            .fold(0.0, f64::max);
        assert!(peak >= 0.5, "activation {peak} at the onset at {time} s");
    }
}

/// Every file below `dir`, relative to it, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn folders_are_mirrored_and_every_job_count_gives_the_same_results() {
    let dir = TempDir::new().unwrap();
    let music = dir.path().join("music");
    write_tones(&music.join("a/x.wav"), 3.0, 1);
    write_tones(&music.join("b/x.wav"), 3.0, 2);
    write_tones(&music.join("b/y.wav"), 3.0, 3);
    std::fs::write(music.join("b/notes.txt"), "not audio").unwrap();
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("out{jobs}"));
        let (ok, text) = earshot(&["analyze", &path(&music), "--jobs", jobs, "--out", &path(&out)]);
        assert!(ok, "{text}");
        assert!(text.contains("3 of 3 files analysed, 9.0 s of audio"), "{text}");
        let files = tree(&out);
        let names: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
        let per_file = |stem: &str| {
            [
                "beats.txt",
                "chords.lab",
                "key.txt",
                "onsets.txt",
                "tempo.txt",
                "voice.csv",
                "voice.lab",
            ]
            .map(|ending| format!("{stem}.{ending}"))
        };
        let expected = [per_file("a/x"), per_file("b/x"), per_file("b/y")].concat();
        assert_eq!(names, expected);
        outputs.push(files.iter().map(|f| std::fs::read(out.join(f)).unwrap()).collect::<Vec<_>>());
    }
    assert_eq!(outputs[0], outputs[1], "one job and two disagree");
    assert_ne!(outputs[0][3], outputs[0][8], "two different files gave the same onsets");
}

#[test]
fn bad_files_are_named_and_cost_nothing_else() {
    let dir = TempDir::new().unwrap();
    let wav = dir.path().join("good.wav");
    write_tones(&wav, 3.0, 0);
    let out = dir.path().join("out");

    // A broken file is reported by name; the good file is still analysed.
    let broken = dir.path().join("broken.wav");
    std::fs::write(&broken, b"RIFF not really").unwrap();
    let (ok, text) = earshot(&["analyze", &path(&broken), &path(&wav), "--out", &path(&out)]);
    assert!(!ok && text.contains("broken.wav") && text.contains("1 of 2 files failed"), "{text}");
    assert!(text.contains("1 of 2 files analysed"), "{text}");
    let good = out.join("good.onsets.txt");
    assert!(good.is_file());
    assert!(!out.join("broken.onsets.txt").exists());

    // An earlier result survives a run in which its file has become unreadable.
    let before = std::fs::read(&good).unwrap();
    std::fs::write(&wav, b"RIFF broken now").unwrap();
    let (ok, _) = earshot(&["analyze", &path(&wav), "--out", &path(&out)]);
    assert!(!ok);
    assert_eq!(std::fs::read(&good).unwrap(), before);
    let kept =
        ["beats.txt", "chords.lab", "key.txt", "onsets.txt", "tempo.txt", "voice.csv", "voice.lab"]
            .map(|ending| PathBuf::from(format!("good.{ending}")));
    let leftovers: Vec<_> = tree(&out).into_iter().filter(|p| !kept.contains(p)).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    write_tones(&wav, 3.0, 0);

    let (ok, text) = earshot(&["analyze", &path(&wav), "--sensitivity", "2"]);
    assert!(!ok && text.contains("--sensitivity 2 is not between 0 and 1"), "{text}");
    let (ok, text) = earshot(&["analyze", &path(&wav), "--tasks", "tempo"]);
    assert!(
        !ok && text.contains("unknown task \"tempo\" (known: onsets, chords, key, beats, voice)"),
        "{text}"
    );

    // Unusable weights fail once, naming the weight file, before any file is analysed.
    let wrong = dir.path().join("wrong.esw");
    std::fs::write(&wrong, b"EARSHOTW but not a weight file").unwrap();
    std::fs::remove_file(&good).unwrap();
    let (ok, text) =
        earshot(&["analyze", &path(&wav), "--weights", &path(&wrong), "--out", &path(&out)]);
    assert!(!ok && text.starts_with(&format!("earshot: {}: ", path(&wrong))), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!good.exists());

    // A file at a rate the engine refuses is named with the rate; the others are analysed.
    let slow = dir.path().join("slow.wav");
    let audio = Audio { sample_rate: 4_000, channels: vec![vec![0.1; 4_000]] };
    write_wav_as(&slow, &audio, WavFormat::Pcm16).unwrap();
    let (ok, text) = earshot(&["analyze", &path(&slow), &path(&wav), "--out", &path(&out)]);
    assert!(!ok, "{text}");
    assert!(text.contains("slow.wav: ") && text.contains("4000 Hz"), "{text}");
    assert!(good.is_file());

    let (ok, text) = earshot(&["analyze", &path(&dir.path().join("missing"))]);
    assert!(!ok && text.contains("missing"), "{text}");

    // `--out` naming a file is said so, before any audio is read.
    let (ok, text) = earshot(&["analyze", &path(&wav), "--out", &path(&wav)]);
    assert!(!ok && text.contains(&format!("--out {}: a file, not a folder", path(&wav))), "{text}");
    // Weights are read up to 64 MB, so an endless file is refused rather than read whole.
    let (ok, text) = earshot(&["analyze", &path(&wav), "--weights", "/dev/zero"]);
    assert!(!ok && text.contains("/dev/zero: larger than any weight file"), "{text}");
}

#[test]
fn a_full_disk_keeps_earlier_results_and_leaves_no_partial_file() {
    let dir = TempDir::new().unwrap();
    let wav = dir.path().join("song.wav");
    write_tones(&wav, 3.0, 0);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let earlier = out.join("song.onsets.activations.txt");
    std::fs::write(&earlier, "an earlier result\n").unwrap();
    // The disk fills after the first 512 bytes of any file (a file-size limit, with the signal
    // it raises ignored, makes writes fail as a full disk does).
    let command = format!(
        "trap '' XFSZ; ulimit -f 1; exec \"$0\" analyze '{}' --format activations --out '{}'",
        path(&wav),
        path(&out)
    );
    let output =
        Command::new("sh").args(["-c", &command, env!("CARGO_BIN_EXE_earshot")]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{text}");
    assert!(text.contains(&format!("{}: File too large", path(&earlier))), "{text}");
    assert_eq!(std::fs::read_to_string(&earlier).unwrap(), "an earlier result\n");
    assert_eq!(tree(&out), [PathBuf::from("song.onsets.activations.txt")], "a partial file");
}

#[test]
fn chords_come_out_as_lab_json_and_held_midi_notes() {
    use earshot_engine::tasks::chords::vocabulary::Chord;
    use earshot_io::annotations::segments::{self, Segment};
    use earshot_io::metrics::chord;
    let dir = TempDir::new().unwrap();
    let wav = dir.path().join("song.wav");
    let chords = [Chord::Minor(2), Chord::Major(7), Chord::Major(0), Chord::Minor(9)];
    let tones = chords.map(|c| c.pitch_classes().unwrap());
    let (audio, spans) = earshot_test_signals::chord_progression(RATE as f64, 120.0, &tones, 8);
    write_wav_as(&wav, &Audio { sample_rate: RATE, channels: vec![audio] }, WavFormat::Pcm16)
        .unwrap();
    let reference: Vec<Segment> = spans
        .iter()
        .enumerate()
        .map(|(i, &(start, end))| Segment { start, end, label: chords[i % 4].harte().into() })
        .collect();
    let out = dir.path().join("out");
    let run = |format: &str| {
        let args = ["analyze", &path(&wav), "--tasks", "chords", "--format", format];
        let (ok, text) = earshot(&[&args[..], &["--out", &path(&out)]].concat());
        assert!(ok, "{text}");
    };
    run("txt");
    let found = segments::read_chords(&out.join("song.chords.lab")).unwrap();
    let majmin = chord::evaluate(&reference, &found).unwrap().majmin;
    assert!(majmin >= 0.9, "majmin {majmin}: {found:?}");

    run("json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("song.json")).unwrap()).unwrap();
    assert_eq!(json["tasks"]["chords"]["settings"]["steadiness"], 0.5);
    let listed = json["tasks"]["chords"]["chords"].as_array().unwrap();
    assert_eq!(listed.len(), found.len());
    for (entry, segment) in listed.iter().zip(&found) {
        assert_eq!(entry["chord"], segment.label.as_str());
        let confidence = entry["confidence"].as_f64().unwrap();
        assert!(confidence >= entry["runner_up_confidence"].as_f64().unwrap());
    }

    let (ok, text) = earshot(&["analyze", &path(&wav), "--steadiness", "2"]);
    assert!(!ok && text.contains("--steadiness 2 is not between 0 and 1"), "{text}");

    // MIDI: the chord's tones from C3 on channel 2, held until the next chord.
    run("midi");
    let bytes = std::fs::read(out.join("song.mid")).unwrap();
    let smf = midly::Smf::parse(&bytes).unwrap();
    let (mut tick, mut sounding, mut held) = (0u32, Vec::new(), Vec::new());
    for event in &smf.tracks[0] {
        tick += event.delta.as_int();
        if let midly::TrackEventKind::Midi { channel, message } = event.kind {
            assert_eq!(channel.as_int(), 1);
            match message {
                midly::MidiMessage::NoteOn { key, .. } => sounding.push((key.as_int(), tick)),
                midly::MidiMessage::NoteOff { key, .. } => {
                    let at = sounding.iter().position(|(k, _)| *k == key.as_int()).unwrap();
                    held.push((key.as_int(), tick - sounding.remove(at).1));
                }
                _ => {}
            }
        }
    }
    assert!(sounding.is_empty() && held.len() >= 3 * 8, "{held:?}");
    // D minor from C3: D3, F3, A3 (50, 53, 57), held about a bar (2 s, 3 840 ticks).
    for key in [50, 53, 57] {
        assert!(held.iter().any(|(k, ticks)| *k == key && *ticks > 3000), "{key}: {held:?}");
    }
}

#[test]
fn the_key_comes_out_as_text_and_json() {
    use earshot_engine::tasks::chords::vocabulary::Chord;
    let dir = TempDir::new().unwrap();
    let wav = dir.path().join("song.wav");
    // D–Bm–G–A: I–vi–IV–V in D major.
    let chords = [Chord::Major(2), Chord::Minor(11), Chord::Major(7), Chord::Major(9)];
    let tones = chords.map(|c| c.pitch_classes().unwrap());
    let (audio, _) = earshot_test_signals::chord_progression(RATE as f64, 120.0, &tones, 12);
    write_wav_as(&wav, &Audio { sample_rate: RATE, channels: vec![audio] }, WavFormat::Pcm16)
        .unwrap();
    let out = dir.path().join("out");
    for format in ["txt", "json"] {
        let args = ["analyze", &path(&wav), "--tasks", "chords,key", "--format", format];
        let (ok, text) = earshot(&[&args[..], &["--out", &path(&out)]].concat());
        assert!(ok, "{text}");
    }
    assert_eq!(std::fs::read_to_string(out.join("song.key.txt")).unwrap(), "D major\n");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("song.json")).unwrap()).unwrap();
    let key = &json["tasks"]["key"];
    assert_eq!(key["settings"]["window"], 30.0);
    assert_eq!(key["key"]["whole_file"]["key"], "D major");
    let confidence = key["key"]["whole_file"]["confidence"].as_f64().unwrap();
    assert!(confidence > key["key"]["whole_file"]["runner_up_confidence"].as_f64().unwrap());
    let changes = key["key"]["windowed_changes"].as_array().unwrap();
    assert_eq!(changes.last().unwrap()["key"], "D major", "{changes:?}");

    let (ok, text) = earshot(&["analyze", &path(&wav), "--key-window", "1"]);
    assert!(!ok && text.contains("--key-window 1 is not between 5 and 600 s"), "{text}");
    // MIDI holds no key track.
    let args = ["analyze", &path(&wav), "--tasks", "key", "--format", "midi", "--out", &path(&out)];
    let (ok, text) = earshot(&args);
    assert!(ok, "{text}");
    let smf_bytes = std::fs::read(out.join("song.mid")).unwrap();
    assert!(midly::Smf::parse(&smf_bytes).unwrap().tracks.iter().all(|track| track.len() <= 2));
}

#[test]
fn beats_come_out_with_their_place_in_the_bar_and_the_tempo() {
    use earshot_engine::{offline, Engine, TaskKind};
    let dir = TempDir::new().unwrap();
    let wav = dir.path().join("groove.wav");
    let (audio, truth) = earshot_test_signals::band_clip(RATE as f64, 112.0, 16);
    let out = dir.path().join("out");
    analyze_in_every_format(&wav, &audio, "beats", &out);
    // The beats file: a time and the place in the bar, exactly the engine's beats.
    let written = events::read(&out.join("groove.beats.txt")).unwrap();
    let mut engine = Engine::with_default_weights(RATE as f64, &[TaskKind::Beats]).unwrap();
    let beats = offline::beats(&offline::events(&mut engine, &[audio]));
    assert_eq!(written.len(), beats.len());
    for (line, beat) in written.iter().zip(&beats) {
        assert!((line.time - beat.time).abs() < 5e-4, "{line:?} {beat:?}");
        assert_eq!(line.value.as_deref(), Some(beat.bar_position.to_string().as_str()));
    }
    let reference: Vec<f64> = truth.iter().map(|b| b.0).collect();
    let found: Vec<f64> = written.iter().map(|b| b.time).collect();
    let f = earshot_io::metrics::beat::evaluate(&reference, &found).f_measure;
    assert!(f >= 0.8, "F {f}");
    let tempo: f64 =
        std::fs::read_to_string(out.join("groove.tempo.txt")).unwrap().trim().parse().unwrap();
    assert!((tempo / 112.0 - 1.0).abs() <= 0.02, "{tempo} bpm");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("groove.json")).unwrap()).unwrap();
    let task = &json["tasks"]["beats"];
    assert_eq!(task["settings"]["tempo-window"], 10.0);
    let listed = task["beats"]["beats"].as_array().unwrap();
    assert_eq!(listed.len(), beats.len());
    assert!((task["beats"]["whole_file_tempo"]["bpm"].as_f64().unwrap() - tempo).abs() < 0.01);
    // MIDI: a track of beat notes on channel 3, downbeats on C2 (36), other beats on C♯2 (37).
    let smf_bytes = std::fs::read(out.join("groove.mid")).unwrap();
    let smf = midly::Smf::parse(&smf_bytes).unwrap();
    let keys: Vec<(u8, u8)> = smf
        .tracks
        .iter()
        .flatten()
        .filter_map(|event| match event.kind {
            midly::TrackEventKind::Midi {
                channel,
                message: midly::MidiMessage::NoteOn { key, vel },
            } if vel > 0 => Some((channel.as_int(), key.as_int())),
            _ => None,
        })
        .collect();
    assert_eq!(keys.len(), beats.len());
    for ((channel, key), beat) in keys.iter().zip(&beats) {
        assert_eq!((*channel, *key), (2, if beat.bar_position == 1 { 36 } else { 37 }));
    }

    let (ok, text) = earshot(&["analyze", &path(&wav), "--tempo-window", "500"]);
    assert!(!ok && text.contains("--tempo-window 500 is not between 2 and 120 s"), "{text}");
}

#[test]
fn singing_comes_out_as_lab_csv_json_and_a_held_midi_note() {
    use earshot_engine::{offline, Engine, TaskKind};
    use earshot_io::annotations::segments::{self, Segment};
    use earshot_io::metrics::segments as activity;
    let dir = TempDir::new().unwrap();
    let wav = dir.path().join("song.wav");
    let half = 10.0;
    let audio = earshot_test_signals::soundfont::sung_then_played(RATE, half).unwrap();
    let duration = audio.len() as f64 / RATE as f64;
    let out = dir.path().join("out");
    analyze_in_every_format(&wav, &audio, "voice", &out);
    // The .lab: sing and nosing in turn from the start to the end, the engine's own segments.
    let lab = segments::read(&out.join("song.voice.lab")).unwrap();
    assert_eq!(lab.first().map(|s| s.start), Some(0.0));
    assert!((lab.last().unwrap().end - duration).abs() < 1e-3);
    assert!(lab.windows(2).all(|w| w[0].end == w[1].start && w[0].label != w[1].label));
    let mut engine = Engine::with_default_weights(RATE as f64, &[TaskKind::Voice]).unwrap();
    let reported = offline::vocal_segments(&offline::events(&mut engine, &[audio]), duration);
    assert_eq!(lab.len(), reported.len());
    for (line, segment) in lab.iter().zip(&reported) {
        assert!((line.start - segment.start).abs() < 5e-4, "{line:?} {segment:?}");
        assert_eq!(line.label == "sing", segment.singing);
    }
    let truth = [
        Segment { start: 0.25, end: half - 0.3, label: "sing".into() },
        Segment { start: half - 0.3, end: duration, label: "nosing".into() },
    ];
    let scores = activity::evaluate(&truth, &lab);
    assert!(scores.accuracy >= 0.9, "{scores:?}: {lab:?}");
    // The CSV: a header, then every frame's time and probability, 100 a second.
    let csv = std::fs::read_to_string(out.join("song.voice.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("time,probability"));
    let rows: Vec<(f64, f64)> = lines
        .map(|line| {
            let (time, value) = line.split_once(',').unwrap();
            (time.parse().unwrap(), value.parse().unwrap())
        })
        .collect();
    assert!((rows.len() as f64 - 100.0 * duration).abs() <= 2.0, "{} rows", rows.len());
    assert!(rows.windows(2).all(|w| w[1].0 > w[0].0));
    assert!(rows.iter().all(|r| (0.0..=1.0).contains(&r.1)));
    // JSON: the same segments with their confidence, and the setting used.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("song.json")).unwrap()).unwrap();
    let task = &json["tasks"]["voice"];
    assert_eq!(task["settings"]["sensitivity"], 0.5);
    let (ok, text) = earshot(&["analyze", &path(&wav), "--voice-sensitivity", "2"]);
    assert!(!ok && text.contains("--voice-sensitivity 2 is not between 0 and 1"), "{text}");
    let listed = task["voice"].as_array().unwrap();
    assert_eq!(listed.len(), lab.len());
    for (entry, line) in listed.iter().zip(&lab) {
        assert_eq!(entry["singing"].as_bool(), Some(line.label == "sing"));
        assert!((entry["start"].as_f64().unwrap() - line.start).abs() < 1e-3);
    }
    // MIDI: C4 on channel 4, held through each stretch of singing (120 bpm, 960 ticks a beat).
    let bytes = std::fs::read(out.join("song.mid")).unwrap();
    let smf = midly::Smf::parse(&bytes).unwrap();
    let (mut tick, mut held, mut start) = (0u32, Vec::new(), None);
    for event in &smf.tracks[0] {
        tick += event.delta.as_int();
        if let midly::TrackEventKind::Midi { channel, message } = event.kind {
            assert_eq!(channel.as_int(), 3);
            match message {
                midly::MidiMessage::NoteOn { key, vel } if vel > 0 => {
                    assert_eq!(key.as_int(), 60);
                    start = Some(tick);
                }
                midly::MidiMessage::NoteOff { .. } | midly::MidiMessage::NoteOn { .. } => {
                    held.push((start.take().unwrap(), tick));
                }
                _ => {}
            }
        }
    }
    let sung: Vec<&Segment> = lab.iter().filter(|s| s.label == "sing").collect();
    assert_eq!(held.len(), sung.len());
    let seconds = |ticks: u32| ticks as f64 / 1920.0;
    for ((on, off), segment) in held.iter().zip(sung) {
        assert!(
            (seconds(*on) - segment.start).abs() < 1e-3
                && (seconds(*off) - segment.end).abs() < 1e-3
        );
    }
}
