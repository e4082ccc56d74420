//! `earshot eval` end to end: files matched by name, a table with the mean, JSON, a missing
//! estimate scored as empty, and clear failures.

use std::process::Command;
use tempfile::TempDir;

/// A temporary folder holding `files`, removed when dropped.
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (file, contents) in files {
        std::fs::write(dir.path().join(file), contents).unwrap();
    }
    dir
}

fn earshot(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_earshot")).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (output.status.success(), text(output.stdout), text(output.stderr))
}

#[test]
fn onsets_are_scored_per_file_with_a_mean_and_as_json() {
    let reference =
        folder(&[("a.txt", "1.0\n2.0\n3.0\n4.0\n"), ("b.txt", "0.5\n1.5\n"), ("c.txt", "1.0\n")]);
    let estimated = folder(&[("a.txt", "1.01\n2.2\n3.0\n"), ("b.onsets", "0.5\n1.5\n")]);
    let (ref_dir, est_dir) =
        (reference.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let (ok, table, _) = earshot(&["eval", "--task", "onsets", "--ref", ref_dir, "--est", est_dir]);
    assert!(ok);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["file", "F", "P", "R"]);
    // a: 2 of 3 estimates match 2 of 4 references: P 0.6667, R 0.5, F 0.5714.
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["a", "0.5714", "0.6667", "0.5000"]
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        ["b", "1.0000", "1.0000", "1.0000"]
    );
    assert!(lines[3].starts_with("c ") && lines[3].ends_with("(no estimate)"), "{}", lines[3]);
    assert!(lines[4].starts_with("mean of 3") && lines[4].contains("0.5238"), "{}", lines[4]);

    let (ok, json, _) =
        earshot(&["eval", "--task", "onsets", "--ref", ref_dir, "--est", est_dir, "--json"]);
    assert!(ok);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["files"][2]["missing_estimate"], true);
    assert!(
        (document["mean"]["F"].as_f64().unwrap() - (0.5714285714285714 + 1.0) / 3.0).abs() < 1e-12
    );
}

#[test]
fn a_render_folder_is_a_reference_folder_for_each_task() {
    // Beside each render lie its audio, a summary and every task's labels; each task reads
    // only its own. The estimates are named as `earshot analyze` names them, or by song.
    let renders = folder(&[
        ("741.wav", "RIFF, not read"),
        ("741.json", "{}"),
        ("741.onsets.txt", "1.0\n2.0\n3.0\n4.0\n"),
        ("741.salience.txt", "1.0\t20.5\n2.0\t-8.0\n3.0\t3.0\n4.0\t7.0\n"),
        ("741.beats.txt", "1.0\t1\n2.0\t2\n"),
        ("741.chords.lab", "0.0\t2.0\tC:maj\n"),
        ("742.onsets.txt", "0.5\n"),
        ("742.salience.txt", "0.5\t12.0\n"),
    ]);
    let estimated = folder(&[("741.onsets.txt", "1.0\n2.0\n4.0\n"), ("742.txt", "0.5\n")]);
    let (r, e) = (renders.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let (ok, table, error) = earshot(&["eval", "--task", "onsets", "--ref", r, "--est", e]);
    assert!(ok, "{error}");
    let rows: Vec<Vec<&str>> = table.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows[1], ["741", "0.8571", "1.0000", "0.7500"]);
    assert_eq!(rows[2], ["742", "1.0000", "1.0000", "1.0000"]);
    assert!(rows[3].starts_with(&["mean", "of", "2"]), "{table}");
    // The salience files lie in the same folder: at 5 dB, 2.0 and 3.0 are don't-care.
    let args = ["eval", "--task", "onsets", "--ref", r, "--est", e, "--salience", r];
    let (ok, table, error) = earshot(&[&args[..], &["--min-salience", "5"]].concat());
    assert!(ok, "{error}");
    let row: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row, ["741", "1.0000", "1.0000", "1.0000"]);
    // Beats read the beat labels only, and find no estimate.
    let (ok, table, error) = earshot(&["eval", "--task", "beats", "--ref", r, "--est", e]);
    assert!(ok, "{error}");
    assert_eq!(table.lines().count(), 3, "{table}");
    assert!(table.lines().nth(1).unwrap().ends_with("(no estimate)"), "{table}");
}

#[test]
fn onsets_less_salient_than_asked_are_dont_care() {
    // Onset 2.0 is buried (−8 dB) and found; 3.0 is buried and missed; 1.0 and 4.0 are found,
    // and 5.5 is a false alarm.
    let reference = folder(&[("a.onsets.txt", "1.0\n2.0\n3.0\n4.0\n")]);
    let salience = folder(&[("a.salience.txt", "1.0\t20.5\n2.0\t-8.0\n3.0\t-3.0\n4.0\t7.0\n")]);
    let estimated = folder(&[("a.onsets.txt", "1.0\n2.01\n4.0\n5.5\n")]);
    let path = |dir: &TempDir| dir.path().to_str().unwrap().to_string();
    let run = |min_salience: &str, salience_dir: &str| {
        let (r, e) = (path(&reference), path(&estimated));
        let args = ["eval", "--task", "onsets", "--ref", &r, "--est", &e, "--json"];
        earshot(
            &[&args[..], &["--salience", salience_dir, "--min-salience", min_salience]].concat(),
        )
    };
    let scores = |json: &str| {
        let document: serde_json::Value = serde_json::from_str(json).unwrap();
        ["F", "P", "R"].map(|k| document["mean"][k].as_f64().unwrap())
    };
    let (ok, json, error) = run("0", &path(&salience));
    assert!(ok, "{error}");
    // Scored: 1.0 and 4.0, both found; 2.01 matched a don't-care onset, so not counted.
    let [f, p, r] = scores(&json);
    assert!((p - 2.0 / 3.0).abs() < 1e-12 && r == 1.0 && (f - 0.8).abs() < 1e-12, "{json}");
    // Below −10 dB nothing is ignored: the plain score, 3 of 4 estimates, 3 of 4 onsets.
    let (ok, json, _) = run("-10", &path(&salience));
    assert!(ok);
    assert_eq!(scores(&json), [0.75, 0.75, 0.75]);

    let short = folder(&[("a.salience.txt", "1.0\t20.5\n2.0\t-8.0\n")]);
    let (ok, _, error) = run("0", &path(&short));
    assert!(!ok && error.contains("a.salience.txt: 2 onsets, but"), "{error}");
    let moved = folder(&[("a.salience.txt", "1.0\t1\n2.5\t1\n3.0\t1\n4.0\tloud\n")]);
    let (ok, _, error) = run("0", &path(&moved));
    assert!(
        !ok && error.contains("a.salience.txt:2: time 2.5 is not the reference's 2"),
        "{error}"
    );
    let (ok, _, error) = earshot(&[
        "eval",
        "--task",
        "beats",
        "--ref",
        &path(&reference),
        "--est",
        &path(&estimated),
        "--salience",
        &path(&salience),
        "--min-salience",
        "0",
    ]);
    assert!(!ok && error.contains("apply to --task onsets only"), "{error}");
}

#[test]
fn onsets_of_a_labelled_kind_can_be_dont_care() {
    // 0.5 and 1.5 start slowly: 1.5 is found (at 1.52), 0.5 is missed; 1.0 and 2.0 are found,
    // and 3.0 is a false alarm.
    let reference = folder(&[("a.onsets.txt", "0.5\tslow\n1.0\n1.5\tslow\n2.0\tplain\n")]);
    let estimated = folder(&[("a.onsets.txt", "1.0\n1.52\n2.0\n3.0\n")]);
    let (r, e) = (reference.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let run = |extra: &[&str]| {
        let args = ["eval", "--task", "onsets", "--ref", r, "--est", e, "--json"];
        let (ok, json, error) = earshot(&[&args[..], extra].concat());
        assert!(ok, "{error}");
        let document: serde_json::Value = serde_json::from_str(&json).unwrap();
        ["F", "P", "R"].map(|k| document["mean"][k].as_f64().unwrap())
    };
    // Every onset counted: 3 of 4 estimates, 3 of 4 onsets.
    assert_eq!(run(&[]), [0.75, 0.75, 0.75]);
    // Scored: 1.0 and 2.0, both found; 1.52 matched a don't-care onset, so not counted.
    let [f, precision, recall] = run(&["--dont-care-kind", "slow"]);
    assert!((precision - 2.0 / 3.0).abs() < 1e-12 && recall == 1.0 && (f - 0.8).abs() < 1e-12);
    // A kind no onset has changes nothing. With `plain` ignored too, only 1.0, which has no
    // kind, is scored: found, and 3.0 is the one counted false alarm.
    assert_eq!(run(&["--dont-care-kind", "pad"]), [0.75, 0.75, 0.75]);
    let [f, precision, recall] = run(&["--dont-care-kind", "slow", "--dont-care-kind", "plain"]);
    assert!(precision == 0.5 && recall == 1.0 && (f - 2.0 / 3.0).abs() < 1e-12);
    let args = ["eval", "--task", "beats", "--ref", r, "--est", e, "--dont-care-kind", "slow"];
    let (ok, _, error) = earshot(&args);
    assert!(!ok && error.contains("--dont-care-kind applies to --task onsets only"), "{error}");
}

#[test]
fn failures_name_their_cause() {
    let reference = folder(&[("a.txt", "1.0\nsoon\n")]);
    let estimated = folder(&[]);
    let (ok, _, error) = earshot(&[
        "eval",
        "--task",
        "beats",
        "--ref",
        reference.path().to_str().unwrap(),
        "--est",
        estimated.path().to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(error.contains("a.txt:2: time \"soon\" is not a number"), "{error}");
    // A bad chord label is named with the file it is in and its line.
    let reference = folder(&[("s.lab", "0.0 1.0 C:maj\n1.0 2.0 G:maj\n")]);
    let estimated = folder(&[("s.lab", "# estimate\n0.0 1.0 C:maj\n1.0 2.0 H:maj\n")]);
    let (r, e) = (reference.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let (ok, _, error) = earshot(&["eval", "--task", "chords", "--ref", r, "--est", e]);
    let estimate = estimated.path().join("s.lab");
    let place = format!("{}:3: invalid chord label \"H:maj\"", estimate.display());
    assert!(!ok && error.contains(&place), "{error}");
    // Segments that last no time are left out: beside others they change nothing, and a
    // reference of nothing else is refused as empty instead of scoring NaN.
    let reference = folder(&[("a.lab", "0.0 0.0 C:maj\n0.0 2.0 G:maj\n")]);
    let estimated = folder(&[("a.lab", "0.0 2.0 G:maj\n")]);
    let (r, e) = (reference.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let (ok, table, _) = earshot(&["eval", "--task", "chords", "--ref", r, "--est", e]);
    assert!(ok && !table.contains("NaN") && table.lines().nth(1).unwrap().contains("1.0000"));
    let reference = folder(&[("b.lab", "1.0 1.0 C:maj\n")]);
    let r = reference.path().to_str().unwrap();
    let (ok, table, error) = earshot(&["eval", "--task", "chords", "--ref", r, "--est", e]);
    assert!(!ok && !table.contains("NaN"), "{table}");
    assert!(error.contains("b.lab: the reference holds no chord segments"), "{error}");
    let (ok, _, error) = earshot(&["eval", "--task", "tempo", "--ref", "x", "--est", "y"]);
    assert!(!ok && error.contains("invalid value 'tempo'"), "{error}");
}

#[test]
fn a_malformed_file_is_listed_and_the_rest_are_scored() {
    let reference = folder(&[("a.txt", "1.0\n2.0\n"), ("b.txt", "1.0\n"), ("c.txt", "1.0\n")]);
    let estimated = folder(&[
        ("a.txt", "1.0\n2.0\n"),
        ("b.txt", "1.0\nNaN\n"),
        ("c.txt", "1.0\n"),
        ("stray.txt", "1.0\n"),
    ]);
    let (r, e) = (reference.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let (ok, table, error) = earshot(&["eval", "--task", "onsets", "--ref", r, "--est", e]);
    // The run fails, naming the bad file and its line, yet the others are scored.
    assert!(!ok);
    let names: Vec<&str> = table.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(names, ["file", "a", "c", "mean"], "{table}");
    assert!(table.contains("mean of 2"), "{table}");
    assert!(error.contains("b.txt:2: time NaN is not a time from 0 to 1e7 s"), "{error}");
    assert!(error.contains("1 of 3 files could not be scored"), "{error}");
    // An estimate that matches no reference is named, not silently ignored.
    assert!(error.contains("stray.txt: no reference of that name, not scored"), "{error}");
    let (ok, json, _) = earshot(&["eval", "--task", "onsets", "--ref", r, "--est", e, "--json"]);
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        !ok && document["failed"][0]["file"] == "b"
            && document["files"].as_array().unwrap().len() == 2
    );
}

#[test]
fn downbeats_are_scored_from_the_beats_that_start_a_bar() {
    // Beats every half second from 5 s, bars of four; the estimate finds every beat but calls
    // the wrong beat of the first two bars the downbeat.
    let beats = |bar_start: &dyn Fn(usize) -> bool| -> String {
        (0..16)
            .map(|k| format!("{}\t{}\n", 5.0 + 0.5 * k as f64, if bar_start(k) { 1 } else { 2 }))
            .collect()
    };
    let reference = folder(&[("a.beats.txt", &beats(&|k| k % 4 == 0))]);
    let estimated =
        folder(&[("a.beats.txt", &beats(&|k| if k < 8 { k % 4 == 1 } else { k % 4 == 0 }))]);
    let (r, e) = (reference.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let (ok, json, error) = earshot(&["eval", "--task", "beats", "--ref", r, "--est", e, "--json"]);
    assert!(ok, "{error}");
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["mean"]["F"].as_f64().unwrap(), 1.0);
    // 2 of 4 downbeats right, 2 of 4 reported right: F 0.5.
    assert_eq!(document["mean"]["DownbeatF"].as_f64().unwrap(), 0.5);
}

#[test]
fn only_sung_segments_count_as_vocal_activity() {
    // A render's melody is labelled `voice` when sung and `lead` when played; Earshot writes
    // `sing` and `nosing`. Only `voice` and `sing` are active.
    let renders = folder(&[
        ("741.melody.lab", "0.0\t10.0\tvoice\n"),
        ("742.melody.lab", "0.0\t10.0\tlead\n"),
    ]);
    let estimated = folder(&[
        ("741.voice.lab", "0.0\t5.0\tsing\n5.0\t10.0\tnosing\n"),
        ("742.voice.lab", "0.0\t10.0\tnosing\n"),
    ]);
    let (r, e) = (renders.path().to_str().unwrap(), estimated.path().to_str().unwrap());
    let (ok, json, error) = earshot(&["eval", "--task", "voice", "--ref", r, "--est", e, "--json"]);
    assert!(ok, "{error}");
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    let score = |file: usize, name: &str| document["files"][file]["scores"][name].as_f64().unwrap();
    // 741: half of the sung frames found, none invented.
    assert_eq!(score(0, "P"), 1.0);
    assert!((score(0, "R") - 0.5).abs() < 0.002, "{json}");
    assert!((score(0, "accuracy") - 0.5).abs() < 0.002, "{json}");
    // 742: nothing sung, nothing found: every frame right, no precision or recall to speak of.
    assert_eq!(score(1, "accuracy"), 1.0);
    assert_eq!(score(1, "R"), 0.0);
}
