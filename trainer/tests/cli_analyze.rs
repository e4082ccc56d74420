//! `earshot analyze` on a render of a song this test writes: the shipped onset weights find its
//! onsets (F ≥ 0.9 against the render's labels) in every output format, the activations behind
//! them are written frame by frame, and bad input gives a clear error without losing the other
//! files.

mod common;

use common::{options, scratch, write_song};
use earshot_io::annotations::events;
use earshot_io::audio::{write_wav_as, Audio, WavFormat};
use earshot_io::metrics::onset;
use earshot_trainer::dataset::render::{render_dataset, StyleChoice};
use earshot_trainer::render::score::parse_midi;
use std::process::Command;

fn earshot(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_earshot")).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[test]
fn analyze_finds_the_onsets_in_every_format_and_reports_bad_files() {
    let pop909 = scratch("analyze-pop909");
    write_song(&pop909);
    let renders = scratch("analyze-renders");
    let mut render = options(&pop909, &renders, StyleChoice::AsWritten, 4);
    render.variants = 1;
    render_dataset(&render, &[1]).unwrap();
    let wav = renders.join("001.wav");
    let out = scratch("analyze-out");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();

    let (ok, text) = earshot(&["analyze", &path(&wav), "--tasks", "onsets", "--out", &path(&out)]);
    assert!(ok, "{text}");
    let truth = events::read_times(&renders.join("001.onsets.txt")).unwrap();
    let found = events::read_times(&out.join("001.onsets.txt")).unwrap();
    let score = onset::evaluate(&truth, &found, onset::WINDOW);
    println!("{} onsets, {} found: F {:.3}", truth.len(), found.len(), score.f_measure);
    assert!(score.f_measure >= 0.9, "F {:.3}", score.f_measure);

    let (ok, text) = earshot(&["analyze", &path(&wav), "--format", "json", "--out", &path(&out)]);
    assert!(ok, "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("001.onsets.json")).unwrap())
            .unwrap();
    let times: Vec<f64> =
        json["onsets"].as_array().unwrap().iter().map(|o| o["time"].as_f64().unwrap()).collect();
    assert_eq!(times, found);
    assert!(json["weights_command"].as_str().unwrap().starts_with("earshot train --task onsets"));

    let (ok, text) = earshot(&[
        "analyze",
        &path(&wav),
        "--format",
        "midi",
        "--midi-note",
        "38",
        "--out",
        &path(&out),
    ]);
    assert!(ok, "{text}");
    let score = parse_midi(&std::fs::read(out.join("001.onsets.mid")).unwrap()).unwrap();
    assert_eq!(score.notes.len(), found.len());
    assert!(score.notes.iter().all(|n| n.pitch == 38 && n.velocity >= 1));
    assert!(score.notes.iter().zip(&found).all(|(n, t)| (n.start - t).abs() < 1e-3));

    // The activation of every frame, 10 ms apart over the whole file (from the few before it
    // that the look-ahead puts there); each onset is a peak of at least the default threshold
    // (0.5) within half a frame of its time.
    let (ok, text) =
        earshot(&["analyze", &path(&wav), "--format", "activations", "--out", &path(&out)]);
    assert!(ok, "{text}");
    let frames: Vec<(f64, f64)> = std::fs::read_to_string(out.join("001.onsets.activations.txt"))
        .unwrap()
        .lines()
        .map(|line| {
            let (time, value) = line.split_once(' ').unwrap();
            (time.parse().unwrap(), value.parse().unwrap())
        })
        .collect();
    let audio = earshot_io::audio::read(&wav).unwrap();
    let duration = audio.channels[0].len() as f64 / audio.sample_rate as f64;
    assert!(frames[0].0 < 0.0 && frames.last().unwrap().0 > duration - 0.02, "{duration} s");
    assert!(frames.windows(2).all(|w| (w[1].0 - w[0].0 - 0.01).abs() <= 0.0015));
    assert!(frames.iter().all(|(_, value)| (0.0..=1.0).contains(value)));
    for &time in &found {
        let peak = frames
            .iter()
            .filter(|(t, _)| (t - time).abs() <= 0.0051)
            .map(|&(_, value)| value)
            .fold(0.0, f64::max);
        assert!(peak >= 0.5, "activation {peak} at the onset at {time} s");
    }

    // A broken file is reported by name, and the good file after it is still analysed.
    let broken = out.join("broken.wav");
    std::fs::write(&broken, b"RIFF not really").unwrap();
    std::fs::remove_file(out.join("001.onsets.txt")).unwrap();
    let (ok, text) = earshot(&["analyze", &path(&broken), &path(&wav), "--out", &path(&out)]);
    assert!(!ok && text.contains("broken.wav") && text.contains("1 of 2 files failed"), "{text}");
    assert!(out.join("001.onsets.txt").is_file());
    let (ok, text) = earshot(&["analyze", &path(&wav), "--sensitivity", "2"]);
    assert!(!ok && text.contains("--sensitivity 2 is not between 0 and 1"), "{text}");

    // Unusable weights fail once, naming the weight file, before any file is analysed.
    let wrong = out.join("wrong.esw");
    std::fs::write(&wrong, b"EARSHOTW but not a weight file").unwrap();
    std::fs::remove_file(out.join("001.onsets.txt")).unwrap();
    let (ok, text) = earshot(&[
        "analyze",
        &path(&wav),
        &path(&broken),
        "--weights",
        &path(&wrong),
        "--out",
        &path(&out),
    ]);
    assert!(!ok && text.starts_with(&format!("earshot: {}: ", path(&wrong))), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!out.join("001.onsets.txt").exists());

    // A file at a rate the detector refuses is named, and the others are still analysed.
    let slow = out.join("slow.wav");
    let audio = Audio { sample_rate: 4_000, channels: vec![vec![0.1; 4_000]] };
    write_wav_as(&slow, &audio, WavFormat::Pcm16).unwrap();
    let (ok, text) = earshot(&["analyze", &path(&slow), &path(&wav), "--out", &path(&out)]);
    assert!(!ok, "{text}");
    assert!(text.contains("slow.wav: onset detector: ") && text.contains("4000 Hz"), "{text}");
    assert!(out.join("001.onsets.txt").is_file());
}
