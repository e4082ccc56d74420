//! The shipped onset task in the engine: its weights load with the command that made them, it finds the
//! onsets of decaying tones at every supported rate and block size alike, `push` never allocates
//! even on NaN/Inf audio, a note ending (a release of 30 ms down to a cut) is not an onset, a
//! sound at the very first sample is an onset (the detector starts as if after silence), and
//! weights for another task or with a bad look-ahead are refused.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_engine::tasks::onsets::DEFAULT_WEIGHTS;
use earshot_engine::{Engine, Event, TaskKind};
use earshot_nn::format;
use earshot_test_signals::{add_decaying_tone, add_held_tone};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Tones every 0.4 s for 4 s: (audio, onset times).
fn tones(rate: f64) -> (Vec<f32>, Vec<f64>) {
    let mut audio = vec![0.0f32; (4.0 * rate) as usize];
    let onsets: Vec<f64> = (1..9).map(|k| k as f64 * 0.4).collect();
    for (k, onset) in onsets.iter().enumerate() {
        let pitch = [196.0, 262.0, 349.0, 440.0][k % 4];
        add_decaying_tone(&mut audio[(onset * rate) as usize..], rate, pitch, 0.3, 0.12);
    }
    (audio, onsets)
}

/// The engine running the shipped onset weights at `rate` and `sensitivity`.
fn onset_engine(rate: f64, sensitivity: f32) -> Engine {
    let mut engine = Engine::with_default_weights(rate, &[TaskKind::Onsets]).unwrap();
    engine.set(TaskKind::Onsets, "sensitivity", sensitivity).unwrap();
    engine
}

/// Onset times found in `audio` fed in blocks of `block` samples, into `found` (which must have
/// room, so that only the engine could allocate).
fn detect_into(detector: &mut Engine, audio: &[f32], block: usize, found: &mut Vec<f64>) {
    for chunk in audio.chunks(block) {
        detector.push(&[chunk], chunk.len(), |event| {
            if let Event::Onset { time, .. } = event {
                found.push(time.seconds);
            }
        });
    }
}

fn detect(detector: &mut Engine, audio: &[f32], block: usize) -> Vec<f64> {
    let mut found = Vec::with_capacity(4096);
    detect_into(detector, audio, block, &mut found);
    found
}

#[test]
fn the_shipped_weights_load_with_their_command() {
    let network = earshot_nn::Network::from_bytes(DEFAULT_WEIGHTS).unwrap();
    assert_eq!(network.task(), "onsets");
    let value = |key: &str| network.metadata().iter().find(|(k, _)| k == key).map(|(_, v)| v);
    assert!(value("command").unwrap().starts_with("earshot train --task onsets"));
    assert!(value("look_ahead_frames").is_some());
    assert!(network.frontend().standardisation.is_some());
    assert!(DEFAULT_WEIGHTS.len() < 1 << 20, "the weights must stay under 1 MB");
}

#[test]
fn finds_tone_onsets_at_every_rate_and_block_size_without_allocating() {
    // 44 056 and 47 999 Hz have no small ratio to 44.1 kHz: they take the sinc resampler.
    let odd = [44_056.0, 47_999.0];
    let common = [22_050.0, 32_000.0, 44_100.0, 48_000.0, 88_200.0, 96_000.0, 176_400.0, 192_000.0];
    for rate in common.into_iter().chain(odd) {
        let (audio, truth) = tones(rate);
        let mut detector = onset_engine(rate, 0.5);
        let mut found = Vec::with_capacity(4096);
        let (_, allocations) =
            allocations_in(|| detect_into(&mut detector, &audio, 64, &mut found));
        assert_eq!(allocations.count, 0, "{rate} Hz: push allocated");
        assert_eq!(found.len(), truth.len(), "{rate} Hz: {found:?}");
        for (f, t) in found.iter().zip(&truth) {
            assert!((f - t).abs() <= 0.02, "{rate} Hz: onset at {f} for {t}");
        }
        for block in [1, 441, 4096] {
            detector.reset();
            assert_eq!(detect(&mut detector, &audio, block), found, "{rate} Hz, {block}");
        }
    }
}

/// Held tones every 0.4 s for 6 s, each ending `release` seconds after 0.33 − `release` s held,
/// so 70 ms of silence before the next: (audio, onset times).
fn held_tones(rate: f64, pitches: [f64; 4], release: f64) -> (Vec<f32>, Vec<f64>) {
    let mut audio = vec![0.0f32; (6.0 * rate) as usize];
    let onsets: Vec<f64> = (1..14).map(|k| k as f64 * 0.4).collect();
    for (k, onset) in onsets.iter().enumerate() {
        let start = (onset * rate) as usize;
        add_held_tone(&mut audio[start..], rate, pitches[k % 4], 0.3, 0.33 - release, release);
    }
    (audio, onsets)
}

#[test]
fn a_note_ending_is_not_an_onset_however_short_its_release() {
    let (treble, bass) = ([220.0, 262.0, 294.0, 330.0], [55.0, 65.4, 73.4, 82.4]);
    for (register, pitches) in [("treble", treble), ("bass", bass)] {
        for release in [0.03, 0.01, 0.002, 0.0] {
            let (audio, truth) = held_tones(44_100.0, pitches, release);
            let mut detector = onset_engine(44_100.0, 0.5);
            let found = detect(&mut detector, &audio, 512);
            assert_eq!(found.len(), truth.len(), "{register}, {release} s: {found:?}");
            for (f, t) in found.iter().zip(&truth) {
                assert!((f - t).abs() <= 0.02, "{register}, {release} s: onset at {f} for {t}");
            }
        }
    }
}

#[test]
fn hostile_audio_neither_allocates_nor_breaks_the_detector() {
    let mut detector = onset_engine(44_100.0, 1.0);
    let mut hostile = vec![0.0f32; 44_100];
    for (i, x) in hostile.iter_mut().enumerate() {
        *x = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30, 1e-40, 0.5][i % 6];
    }
    let mut found = Vec::with_capacity(44_100);
    let (_, allocations) = allocations_in(|| detect_into(&mut detector, &hostile, 512, &mut found));
    assert_eq!(allocations.count, 0);
    detector.reset();
    let (audio, truth) = tones(44_100.0);
    assert!(detect(&mut detector, &audio, 512).len() >= truth.len());
}

#[test]
fn a_sound_at_the_first_sample_is_one_onset_at_zero_also_after_a_reset() {
    for rate in [22_050.0, 44_100.0, 48_000.0, 96_000.0] {
        let mut audio = vec![0.0f32; (1.0 * rate) as usize];
        add_decaying_tone(&mut audio, rate, 262.0, 0.3, 0.12);
        add_decaying_tone(&mut audio[(0.5 * rate) as usize..], rate, 349.0, 0.3, 0.12);
        let mut detector = onset_engine(rate, 0.5);
        let found = detect(&mut detector, &audio, 256);
        assert_eq!(found.len(), 2, "{rate} Hz: {found:?}");
        assert!(found[0] <= 0.01 && (found[1] - 0.5).abs() <= 0.02, "{rate} Hz: {found:?}");
        detect(&mut detector, &tones(rate).0, 256);
        let (_, allocations) = allocations_in(|| detector.reset());
        assert_eq!(allocations.count, 0, "{rate} Hz: reset allocated");
        assert_eq!(detect(&mut detector, &audio, 256), found, "{rate} Hz: after a reset");
    }
}

/// Full-scale noise from the first sample makes the activation peak twice in its first frames
/// (at −0.03 s, before the start, and at 0 s): one sound, one onset, at 0.
#[test]
fn a_transient_at_the_first_sample_is_one_onset_not_two() {
    let rate = 44_100.0;
    let mut seed = 1u32;
    for level in [1.0f32, 0.5, 0.2] {
        let mut audio = vec![0.0f32; 2 * rate as usize];
        for sample in &mut audio[..2205] {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            *sample = level * ((seed >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0);
        }
        add_decaying_tone(&mut audio[rate as usize..], rate, 440.0, 0.3, 0.1);
        let mut detector = onset_engine(rate, 0.5);
        let found = detect(&mut detector, &audio, 512);
        assert_eq!(found.len(), 2, "level {level}: {found:?}");
        assert!(found[0] <= 0.01 && (found[1] - 1.0).abs() <= 0.02, "level {level}: {found:?}");
    }
}

#[test]
fn weights_for_another_task_or_a_bad_look_ahead_are_refused() {
    let build = |bytes: &[u8]| Engine::new(44_100.0, &[(TaskKind::Onsets, Some(bytes))]);
    let mut spec = format::read(DEFAULT_WEIGHTS).unwrap();
    spec.task = "beats".into();
    let error = build(&format::write(&spec)).err().unwrap();
    assert!(
        error.0.contains("onsets weights: the weights are for \"beats\", not onsets"),
        "{error}"
    );
    let mut spec = format::read(DEFAULT_WEIGHTS).unwrap();
    for (key, value) in &mut spec.metadata {
        if key == "look_ahead_frames" {
            *value = "lots".into();
        }
    }
    let error = build(&format::write(&spec)).err().unwrap();
    assert!(error.0.contains("look_ahead_frames \"lots\""), "{error}");
    assert!(Engine::with_default_weights(1_000.0, &[TaskKind::Onsets]).is_err());
}
