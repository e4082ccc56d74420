//! `scripts/onset_errors.py`, which gives the README's breakdown of the missed band onsets and
//! its ceilings ("if the detector also found every onset ≥ 5 dB …"), counts right: run (in the
//! test venv) on two files of labels, saliences and estimates whose every hit, miss and false
//! alarm is chosen here, its F "as it is" equals the workspace's mir_eval-exact metric, and its
//! recalls and ceilings equal the counts worked out by hand below.

use earshot_io::metrics::onset;
use earshot_tests::paths;
use std::path::Path;
use std::process::Command;

/// One labelled onset: time, kind, salience (dB).
type Label = (f64, &'static str, f64);

/// File `a`: six plain and two slow onsets; hits at 1.0, 2.0 and 7.0 s (estimates 20 ms late, 30
/// ms early and exact), false alarms 120 ms before 3.0 s and 2.4 s after the last label.
/// 7.0 and 7.08 s are the one pair of onsets closer than 100 ms; no estimate is within 50 ms of
/// two labels, so which label an estimate matches is never in doubt.
const A_LABELS: [Label; 8] = [
    (1.0, "plain", 20.0),
    (2.0, "plain", 12.0),
    (3.0, "plain", 7.0),
    (4.0, "plain", 3.0),
    (5.0, "slow", 6.0),
    (6.0, "slow", -4.0),
    (7.0, "plain", 25.0),
    (7.08, "plain", 9.0),
];
const A_ESTIMATES: [f64; 5] = [1.02, 1.97, 2.88, 7.0, 9.5];
/// File `b`: two plain onsets and no estimate file at all (a detector that wrote nothing).
const B_LABELS: [Label; 2] = [(1.0, "plain", 10.0), (3.0, "plain", 10.0)];

/// mir_eval's F from counts: 2·hits / (labels + estimates).
fn f(hits: f64, labels: f64, estimates: f64) -> f64 {
    2.0 * hits / (labels + estimates)
}

fn write_labels(folder: &Path, name: &str, labels: &[Label]) {
    let onsets: String = labels.iter().map(|(t, kind, _)| format!("{t} {kind}\n")).collect();
    let salience: String = labels.iter().map(|(t, _, db)| format!("{t} {db}\n")).collect();
    std::fs::write(folder.join(format!("reference/{name}.onsets.txt")), onsets).unwrap();
    std::fs::write(folder.join(format!("salience/{name}.salience.txt")), salience).unwrap();
}

/// The output line that begins (after indentation) with `label`.
fn line_starting<'a>(output: &'a str, label: &str) -> &'a str {
    output
        .lines()
        .find(|line| line.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no line `{label}` in:\n{output}"))
}

/// The last number on the output line that begins with `label`.
fn value_after(output: &str, label: &str) -> f64 {
    line_starting(output, label).split_whitespace().last().unwrap().parse().unwrap()
}

/// The number before `word` on the output line that begins with `label`.
fn value_before(output: &str, label: &str, word: &str) -> f64 {
    let tokens: Vec<&str> = line_starting(output, label).split_whitespace().collect();
    let at = tokens.iter().position(|t| *t == word).unwrap();
    tokens[at - 1].parse().unwrap()
}

#[test]
fn the_error_breakdown_counts_what_the_files_hold() {
    let folder = std::env::temp_dir().join(format!("earshot-errors-{}", std::process::id()));
    for sub in ["reference", "estimate", "salience"] {
        std::fs::create_dir_all(folder.join(sub)).unwrap();
    }
    write_labels(&folder, "a", &A_LABELS);
    write_labels(&folder, "b", &B_LABELS);
    let estimates: String = A_ESTIMATES.iter().map(|t| format!("{t}\n")).collect();
    std::fs::write(folder.join("estimate/a.onsets.txt"), estimates).unwrap();

    let output = Command::new(paths::venv_python())
        .arg(paths::workspace_root().join("scripts/onset_errors.py"))
        .args(["reference", "estimate", "salience"].map(|sub| folder.join(sub)))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();

    // F as it is: the mean over both files of the workspace's metric (0 for `b`).
    let a_times: Vec<f64> = A_LABELS.iter().map(|l| l.0).collect();
    let metric = onset::evaluate(&a_times, &A_ESTIMATES, 0.05).f_measure / 2.0;
    let close = |got: f64, want: f64, what: &str| {
        // The script prints four decimals (three for recalls): half a unit of the last.
        assert!((got - want).abs() <= 5e-4, "{what}: {got}, expected {want}\n{text}");
    };
    close(value_after(&text, "as it is"), metric, "F as it is against the metric");
    // `a`: 3 of 8 labels hit with 5 estimates; `b`: none of 2, no estimate.
    close(metric, f(3.0, 8.0, 5.0) / 2.0, "the metric against the hand count");
    // Every plain onset found: `a` 6 hits (the slow ones still missed) among 6 + 2 estimates.
    let every_plain = (f(6.0, 8.0, 8.0) + f(2.0, 2.0, 2.0)) / 2.0;
    close(value_after(&text, "every plain onset found"), every_plain, "every plain");
    // ≥ 5 dB: `a` also 3.0 (7 dB), 5.0 (6 dB) and 7.08 (9 dB); `b` both (10 dB).
    let five = (f(6.0, 8.0, 8.0) + f(2.0, 2.0, 2.0)) / 2.0;
    close(value_after(&text, "every onset ≥ 5 dB found"), five, "≥ 5 dB");
    // ≥ 0 dB: 4.0 (3 dB) too; ≥ 20 dB: nothing new (1.0 and 7.0 are hits already).
    let zero = (f(7.0, 8.0, 9.0) + f(2.0, 2.0, 2.0)) / 2.0;
    close(value_after(&text, "every onset ≥ 0 dB found"), zero, "≥ 0 dB");
    close(value_after(&text, "every onset ≥ 20 dB found"), metric, "≥ 20 dB");
    // No false alarms: `a` 3 hits among 3 estimates.
    close(value_after(&text, "no false alarms"), f(3.0, 8.0, 3.0) / 2.0, "no false alarms");

    // Recall by kind: plain 3 of 6 + 0 of 2; slow 0 of 2.
    close(value_before(&text, "plain", "of"), 3.0 / 8.0, "plain recall");
    close(value_before(&text, "slow", "of"), 0.0, "slow recall");
    // The pair 80 ms apart: one of its two found.
    close(value_before(&text, "0.05 … 0.10 s:", "of"), 0.5, "recall at 50–100 ms");
    // Missed plain onsets beside a found one: 7.08 s (80 ms after 7.0, 9 dB); the others are
    // 3.0 and 4.0 s (7 and 3 dB) and both of `b` (10 dB).
    assert!(text.contains("within 0.1 s 1, salience median +9.0 dB, 1.000 of them"), "{text}");
    assert!(text.contains("further      4, salience median +8.5 dB, 0.750 of them"), "{text}");
    // Salience 5–10 dB: 3.0, 5.0 and 7.08, all missed, 3 of the 10 onsets.
    close(value_before(&text, "+5 …  +10:", "of"), 0.3, "share at 5–10 dB");
    close(value_after(&text, "+5 …  +10:"), 0.0, "recall at 5–10 dB");
    close(value_after(&text, "+20 … +inf:"), 1.0, "recall at ≥ 20 dB");
    // False alarms: one 120 ms before a label, one far after.
    close(value_after(&text, "-0.15 … -0.10 s:"), 1.0, "false alarms 100–150 ms early");
    close(value_after(&text, "+0.25 … +inf s:"), 1.0, "false alarms far after");
    assert!(text.contains("false alarms: 2 of 5 estimates"), "{text}");
    assert!(text.contains("timing of the 3 matched estimates"), "{text}");
}
