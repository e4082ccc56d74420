//! The engine around its tasks: the latency it reports, settings by name and range, a task
//! switched off and on again restarting on the host's clock, a reset, and no allocation on the
//! audio-thread calls.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_test_signals::add_decaying_tone;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Tones every half second for `seconds`.
fn tones(rate: f64, seconds: f64) -> Vec<f32> {
    let mut audio = vec![0.0f32; (seconds * rate) as usize];
    for k in 1..(2.0 * seconds) as usize {
        let start = (k as f64 * 0.5 * rate) as usize;
        add_decaying_tone(&mut audio[start..], rate, [220.0, 330.0][k % 2], 0.3, 0.1);
    }
    audio
}

fn onsets(engine: &mut Engine, audio: &[f32], block: usize) -> Vec<u64> {
    let mut found = Vec::with_capacity(1000);
    for chunk in audio.chunks(block) {
        engine.push(&[chunk], chunk.len(), |event| {
            if let Event::Onset { time, .. } = event {
                found.push(time.sample);
            }
        });
    }
    found
}

#[test]
fn the_latency_is_the_onset_tasks_and_a_task_is_asked_for_once() {
    for (rate, latency) in [(44_100.0, 4253), (48_000.0, 5301)] {
        let engine = Engine::with_default_weights(rate, &[TaskKind::Onsets]).unwrap();
        assert_eq!(engine.latency_samples(), latency, "{rate} Hz");
        assert_eq!(engine.task_latency_samples(TaskKind::Onsets), Some(latency));
        assert_eq!(engine.tasks().collect::<Vec<_>>(), [TaskKind::Onsets]);
    }
    let twice = Engine::with_default_weights(44_100.0, &[TaskKind::Onsets, TaskKind::Onsets]);
    assert!(twice.err().unwrap().0.contains("onsets is asked for twice"));
    let none = Engine::with_default_weights(44_100.0, &[]).unwrap();
    assert_eq!(none.latency_samples(), 0);
}

#[test]
fn settings_are_checked_by_name_and_range() {
    let mut engine = Engine::with_default_weights(44_100.0, &[TaskKind::Onsets]).unwrap();
    assert!(engine.set(TaskKind::Onsets, "sensitivity", 0.8).is_ok());
    let error = engine.set(TaskKind::Onsets, "sensitivity", 1.5).unwrap_err();
    assert_eq!(error.0, "onsets sensitivity 1.5 is not between 0 and 1");
    let error = engine.set(TaskKind::Onsets, "tempo", 0.5).unwrap_err();
    assert_eq!(error.0, "onsets has no setting \"tempo\"");
    // A more sensitive engine finds at least as many onsets in quiet tones.
    let quiet: Vec<f32> = tones(44_100.0, 4.0).iter().map(|x| x * 0.05).collect();
    let mut counts = Vec::new();
    for sensitivity in [0.0, 1.0] {
        engine.reset();
        engine.set(TaskKind::Onsets, "sensitivity", sensitivity).unwrap();
        counts.push(onsets(&mut engine, &quiet, 512).len());
    }
    assert!(counts[0] <= counts[1], "{counts:?}");
}

#[test]
fn a_task_switched_off_and_on_restarts_on_the_host_clock_without_allocating() {
    let rate = 44_100.0;
    let audio = tones(rate, 4.0);
    let mut engine = Engine::with_default_weights(rate, &[TaskKind::Onsets]).unwrap();
    let straight = onsets(&mut engine, &audio, 512);
    assert_eq!(straight.len(), 7, "{straight:?}");

    engine.reset();
    let mut found = Vec::with_capacity(1000);
    let (_, allocations) = allocations_in(|| {
        for (index, chunk) in audio.chunks(512).enumerate() {
            // Off for the first 1.5 s (an onset at 0.5 and 1.0 s is missed), on again after.
            let second = index as f64 * 512.0 / rate;
            engine.set_enabled(TaskKind::Onsets, !(0.3..1.5).contains(&second));
            engine.push(&[chunk], chunk.len(), |event| {
                if let Event::Onset { time, .. } = event {
                    found.push(time.sample);
                }
            });
        }
    });
    assert_eq!(allocations.count, 0, "push or set_enabled allocated");
    let later: Vec<u64> = straight.iter().copied().filter(|&s| s as f64 > 1.6 * rate).collect();
    let found_later: Vec<u64> = found.iter().copied().filter(|&s| s as f64 > 1.6 * rate).collect();
    assert_eq!(found_later.len(), later.len(), "{found:?} against {straight:?}");
    for (a, b) in found_later.iter().zip(&later) {
        assert!(a.abs_diff(*b) as f64 <= 0.01 * rate, "restarted onset at {a}, straight at {b}");
    }
    assert!(found.iter().all(|&s| !(0.4 * rate..1.5 * rate).contains(&(s as f64))), "{found:?}");
}

#[test]
fn a_whole_signal_gives_the_streamed_onsets_and_those_its_end_completes() {
    let rate = 48_000.0;
    let audio = tones(rate, 3.0);
    let mut engine = Engine::with_default_weights(rate, &[TaskKind::Onsets]).unwrap();
    let streamed = onsets(&mut engine, &audio, 333);
    let events = offline::events(&mut engine, &[&audio]);
    let whole: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            Event::Onset { time, .. } => Some(time.sample),
            _ => None,
        })
        .collect();
    // The streamed run stops with the audio; the whole-signal run lets the latency through.
    assert_eq!(&whole[..streamed.len()], &streamed[..]);
    assert_eq!(whole.len(), 5, "{whole:?}");
    let activations = events.iter().filter(|e| matches!(e, Event::Activation { .. })).count();
    assert!((300..=305).contains(&activations), "{activations} activations for 3 s");
    assert!(events.iter().all(|e| e.time().seconds <= 3.0));
}
