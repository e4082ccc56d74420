//! The shipped beat task in the engine: a rendered band clip (drums over a chord progression,
//! at three tempi) gives its beats (F-measure ≥ 0.8), its downbeats and its tempo (within 2 %);
//! the same for any block size, without allocating; and the weights load with their command.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_engine::tasks::beats::DEFAULT_WEIGHTS;
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_io::metrics::{beat, matched_events};
use earshot_test_signals::band_clip;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const RATE: f64 = 44_100.0;

/// A reported beat: time (seconds), place in the bar, the windowed tempo (bpm).
type Found = (f64, u8, f32);

/// Every beat the engine reports for `audio` in blocks of `block` samples, into `found` (which
/// must have room: a test of allocation counts them).
fn beats_into(engine: &mut Engine, audio: &[f32], block: usize, found: &mut Vec<Found>) {
    engine.reset();
    found.clear();
    for chunk in audio.chunks(block) {
        engine.push(&[chunk], chunk.len(), &mut |event| {
            if let Event::Beat { time, bar_position, windowed, .. } = event {
                found.push((time.seconds, bar_position, windowed.bpm));
            }
        });
    }
}

#[test]
fn a_band_clip_gives_its_beats_downbeats_and_tempo_at_any_block_size_without_allocating() {
    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Beats]).unwrap();
    for bpm in [84.0, 112.0, 136.0] {
        let (audio, truth) = band_clip(RATE, bpm, 16);
        let mut found = Vec::with_capacity(200);
        let (_, allocations) = allocations_in(|| beats_into(&mut engine, &audio, 512, &mut found));
        assert_eq!(allocations.count, 0, "push allocated");
        let reference: Vec<f64> = truth.iter().map(|b| b.0).collect();
        let estimated: Vec<f64> = found.iter().map(|b| b.0).collect();
        let scores = beat::evaluate(&reference, &estimated);
        let downbeats = |beats: Vec<(f64, u8)>| -> Vec<f64> {
            beats.into_iter().filter(|b| b.1 == 1).map(|b| b.0).collect()
        };
        let true_downbeats = downbeats(truth.clone());
        let found_downbeats = downbeats(found.iter().map(|b| (b.0, b.1)).collect());
        let downbeat_hits = matched_events(&true_downbeats, &found_downbeats, 0.07);
        let events = offline::events(&mut engine, std::slice::from_ref(&audio));
        let tempo = offline::whole_tempo(&events).unwrap();
        println!(
            "{bpm} bpm: F {:.3}, CMLt {:.3}, downbeats {downbeat_hits}/{} found {}, tempo {:.2}",
            scores.f_measure,
            scores.cml_t,
            true_downbeats.len(),
            found_downbeats.len(),
            tempo.bpm
        );
        assert!(scores.f_measure >= 0.8, "{bpm} bpm: {scores:?}");
        assert!(downbeat_hits as f64 >= 0.6 * true_downbeats.len() as f64, "{bpm} bpm");
        assert!((tempo.bpm as f64 / bpm - 1.0).abs() <= 0.02, "{bpm} bpm: {tempo:?}");
        let last_windowed = found.last().unwrap().2 as f64;
        assert!((last_windowed / bpm - 1.0).abs() <= 0.02, "{bpm} bpm: window {last_windowed}");
        for block in [1, 441, 4096] {
            let mut other = Vec::with_capacity(200);
            beats_into(&mut engine, &audio, block, &mut other);
            assert_eq!(other, found, "{bpm} bpm, block {block}");
        }
    }
}

#[test]
fn the_shipped_weights_load_with_their_command() {
    let spec = earshot_nn::format::read(DEFAULT_WEIGHTS).unwrap();
    assert_eq!(spec.task, "beats");
    let command = spec.metadata.iter().find(|(k, _)| k == "command").map(|(_, v)| v.as_str());
    assert!(command.is_some_and(|c| c.contains("--task beats")), "{command:?}");
    assert!(DEFAULT_WEIGHTS.len() < 1 << 20);
}
