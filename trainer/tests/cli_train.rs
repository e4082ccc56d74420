//! `earshot-train train` end to end on renders of a song this test writes (as training song 001 and
//! validation song 701): the run writes weights `earshot-nn` loads, with the reproduce command
//! in their metadata, a log, a learning-curve plot and a checkpoint; a run stopped after an epoch
//! and resumed ends exactly where an uninterrupted run does, with and without a weight
//! average, and a finished run resumed with more epochs ends as a longer run does; validation
//! songs are refused for training; auxiliary pitch targets train a model that is exported with
//! the onset output alone, and need the renders' note starts; onsets less salient than asked
//! are don't-care, and a run asking for that without salience files is refused.

mod common;

use common::{options, scratch, write_song};
use earshot_io::annotations::events;
use earshot_nn::Network;
use earshot_trainer::dataset::render::{render_dataset, StyleChoice};
use std::path::Path;
use std::process::Command;

/// A small config `NAME.json` training `train_songs`, with the optimisation settings in
/// `optimisation` (an object) set too.
fn config(
    dir: &Path,
    name: &str,
    train_songs: &str,
    optimisation: serde_json::Value,
) -> std::path::PathBuf {
    let mut config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../configs/onsets.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The shipped config, shrunk: 24 bands, a small network, a few steps.
    for stream in config["frontend"]["streams"].as_array_mut().unwrap() {
        stream["filterbank"]["Mel"]["bands"] = 24.into();
    }
    config["architecture"] = serde_json::json!({"channels": 3, "bins": 24, "layers": [
        {"conv2d": {"out_channels": 4, "kernel_time": 3, "kernel_freq": 3, "freq_padding": 1}},
        {"activation": "relu"},
        {"pool": {"kind": "max", "time": 1, "freq": 3, "freq_stride": 3}},
        {"dense": {"units": 1}},
        {"activation": "sigmoid"}]});
    let o = &mut config["optimisation"];
    (o["epochs"], o["steps_per_epoch"], o["batch"], o["excerpt"], o["patience"]) =
        (3.into(), 4.into(), 4.into(), 64.into(), 10.into());
    for (key, value) in optimisation.as_object().unwrap() {
        o[key] = value.clone();
    }
    config["train_songs"] = train_songs.into();
    config["validation_songs"] = "701".into();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    path
}

/// `earshot-train train --task TASK --config CONFIG --renders RENDERS --out WEIGHTS [EXTRA…]`.
fn train(
    task: &str,
    config: &Path,
    renders: &Path,
    weights: &Path,
    extra: &[&str],
) -> (bool, String) {
    let path = |p: &Path| p.to_str().unwrap().to_string();
    let (config, renders, weights) = (path(config), path(renders), path(weights));
    let mut args = vec![
        "train",
        "--task",
        task,
        "--config",
        &config,
        "--renders",
        &renders,
        "--out",
        &weights,
    ];
    args.extend_from_slice(extra);
    earshot_train(&args)
}

/// The network's outputs over some frames, to compare two weight files' models.
fn outputs(weights: &Path) -> Vec<f32> {
    let mut network = Network::from_bytes(&std::fs::read(weights).unwrap()).unwrap();
    let frames: Vec<f32> = (0..200 * 72).map(|i| ((i * 37 % 101) as f32 / 50.0) - 1.0).collect();
    network.run(&frames)
}

/// Each logged epoch's training loss and validation score.
fn logged(weights: &Path) -> Vec<(f64, f64)> {
    let log = std::fs::read_to_string(weights.with_extension("log.jsonl")).unwrap();
    log.lines()
        .map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).unwrap();
            (value["loss"].as_f64().unwrap(), value["validation_score"].as_f64().unwrap())
        })
        .collect()
}

fn earshot_train(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_earshot-train")).args(args).output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

/// Stopped after one epoch, then resumed: the same losses, scores and final model as the
/// uninterrupted run that wrote `weights`.
fn assert_resumes_exactly(config: &Path, renders: &Path, weights: &Path, name: &str) {
    let interrupted = renders.join(format!("{name}.esw"));
    let (ok, output) = train("onsets", config, renders, &interrupted, &["--stop-after", "1"]);
    assert!(ok && logged(&interrupted).len() == 1, "{output}");
    // As if the run died after logging epoch 2 and writing part of its checkpoint (a torn
    // network record), before its progress: resuming redoes epoch 2 from epoch 1's checkpoint
    // and logs it once.
    let log = interrupted.with_extension("log.jsonl");
    let mut lines = std::fs::read_to_string(&log).unwrap();
    lines.push_str(&lines.replace("\"epoch\":1", "\"epoch\":2"));
    std::fs::write(&log, lines).unwrap();
    let checkpoint = interrupted.with_extension("checkpoint");
    std::fs::write(checkpoint.join("network-2.bpk"), b"torn").unwrap();
    let (ok, output) = train("onsets", config, renders, &interrupted, &["--resume"]);
    assert!(ok, "{output}");
    assert_eq!(logged(&interrupted), logged(weights));
    assert_eq!(outputs(&interrupted), outputs(weights));
    assert_eq!(
        checkpoint_records(&checkpoint),
        checkpoint_records(&weights.with_extension("checkpoint"))
    );
}

/// The names of the records in a checkpoint folder, sorted.
fn checkpoint_records(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".bpk"))
        .collect();
    names.sort();
    names
}

#[test]
fn train_writes_loadable_weights_with_their_command_and_refuses_validation_songs() {
    let pop909 = scratch("cli-train-pop909");
    write_song(&pop909);
    std::fs::rename(pop909.join("001"), pop909.join("701")).unwrap();
    std::fs::rename(pop909.join("701/001.mid"), pop909.join("701/701.mid")).unwrap();
    write_song(&pop909);
    let renders = scratch("cli-train-renders");
    let mut render = options(&pop909, &renders, StyleChoice::AsWritten, 2);
    render.variants = 1;
    render.salience = true;
    render_dataset(&render, &[1, 701]).unwrap();

    let weights = renders.join("onsets.esw");
    let good = config(&renders, "good", "1", serde_json::json!({}));
    let (ok, output) = train("onsets", &good, &renders, &weights, &[]);
    assert!(ok, "{output}");
    assert!(output.contains("reproduce with: earshot-train train --task onsets"), "{output}");
    let network = Network::from_bytes(&std::fs::read(&weights).unwrap()).unwrap();
    assert_eq!(network.task(), "onsets");
    let command =
        network.metadata().iter().find(|(k, _)| k == "command").map(|(_, v)| v.clone()).unwrap();
    assert!(command.starts_with("earshot-train train --task onsets --config"), "{command}");
    assert!(network.frontend().standardisation.is_some());
    assert_eq!(logged(&weights).len(), 3);
    let plot = std::fs::read(weights.with_extension("curves.png")).unwrap();
    assert_eq!(&plot[1..4], b"PNG");
    let records = checkpoint_records(&weights.with_extension("checkpoint"));
    assert_eq!(records, ["network-3.bpk", "optimizer-3.bpk"]);

    assert_resumes_exactly(&good, &renders, &weights, "interrupted");

    // Averaged weights: another model, and resuming carries the average on. (Written to a
    // folder that does not exist yet: the run makes it.)
    let averaging =
        config(&renders, "averaging", "1", serde_json::json!({"weight_average_decay": 0.9}));
    let averaged = renders.join("averaged/averaged.esw");
    let (ok, output) = train("onsets", &averaging, &renders, &averaged, &[]);
    assert!(ok, "{output}");
    let records = checkpoint_records(&averaged.with_extension("checkpoint"));
    assert_eq!(records, ["average-3.bpk", "network-3.bpk", "optimizer-3.bpk"]);
    assert_ne!(outputs(&averaged), outputs(&weights));
    assert_resumes_exactly(&averaging, &renders, &averaged, "interrupted-averaged");

    let (ok, output) = train("onsets", &good, &renders, &renders.join("none.esw"), &["--resume"]);
    assert!(!ok && output.contains("no checkpoint"), "{output}");

    // A finished run goes on with more epochs, ending as the run asked for them from the
    // start; a config changed in anything else is refused.
    let extended = renders.join("extended.esw");
    let two_epochs = config(&renders, "two-epochs", "1", serde_json::json!({"epochs": 2}));
    let (ok, output) = train("onsets", &two_epochs, &renders, &extended, &[]);
    assert!(ok && logged(&extended).len() == 2, "{output}");
    let (ok, output) = train("onsets", &good, &renders, &extended, &["--resume"]);
    assert!(ok, "{output}");
    assert_eq!(logged(&extended), logged(&weights));
    assert_eq!(outputs(&extended), outputs(&weights));
    let faster =
        config(&renders, "faster", "1", serde_json::json!({"epochs": 4, "learning_rate": 0.01}));
    let (ok, output) = train("onsets", &faster, &renders, &extended, &["--resume"]);
    assert!(!ok && output.contains("different config"), "{output}");

    let bad = config(&renders, "bad", "1,701", serde_json::json!({}));
    let (ok, output) = train("onsets", &bad, &renders, &weights, &[]);
    assert!(!ok && output.contains("songs 701 are not training songs"), "{output}");
    let (ok, output) = train("beats", &good, &renders, &weights, &[]);
    assert!(!ok && output.contains("trains onsets"), "{output}");

    // Auxiliary pitch targets: trained with one output per piano key more, exported with the
    // onset output alone (one value per frame, as before), and a different model.
    let pitched =
        config(&renders, "pitched", "1", serde_json::json!({"pitch_onsets_weight": 10.0}));
    let with_pitches = renders.join("pitched.esw");
    let (ok, output) = train("onsets", &pitched, &renders, &with_pitches, &[]);
    assert!(ok, "{output}");
    let (plain, auxiliary) = (outputs(&weights), outputs(&with_pitches));
    assert_eq!(auxiliary.len(), plain.len());
    assert_ne!(auxiliary, plain);
    assert_resumes_exactly(&pitched, &renders, &with_pitches, "interrupted-pitched");
    let notes = renders.join("001.notes.txt");
    std::fs::rename(&notes, renders.join("notes.txt.away")).unwrap();
    let (ok, output) = train("onsets", &pitched, &renders, &with_pitches, &[]);
    assert!(!ok && output.contains("001.notes.txt: missing"), "{output}");
    std::fs::rename(renders.join("notes.txt.away"), &notes).unwrap();

    // Onsets less salient than the median are don't-care: the run says how many it left out,
    // and its model differs from the run that targets them all.
    let salience = events::read(&renders.join("001.salience.txt")).unwrap();
    let mut levels: Vec<f64> =
        salience.iter().map(|e| e.value.as_ref().unwrap().parse().unwrap()).collect();
    levels.sort_by(f64::total_cmp);
    let median = levels[levels.len() / 2];
    let below = levels.iter().filter(|l| **l < median).count();
    assert!(below > 0);
    let ignoring =
        config(&renders, "ignoring", "1", serde_json::json!({"dont_care_below_db": median}));
    let ignored = renders.join("ignored.esw");
    let (ok, output) = train("onsets", &ignoring, &renders, &ignored, &[]);
    assert!(ok, "{output}");
    let counted = format!("{below} of {} training onsets", levels.len());
    assert!(output.contains(&counted), "{counted}: {output}");
    assert_ne!(outputs(&ignored), outputs(&weights));
    std::fs::remove_file(renders.join("001.salience.txt")).unwrap();
    let (ok, output) = train("onsets", &ignoring, &renders, &ignored, &[]);
    assert!(!ok && output.contains("001.salience.txt: missing"), "{output}");
}
