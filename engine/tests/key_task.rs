//! The shipped key task in the engine: a rendered progression (I–vi–IV–V, at two tempi, in
//! three keys) gives its key over the whole signal and, by its end, in the running window; the
//! same for any block size, without allocating; and the weights load with their command.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::tasks::key::pooling::KeyEstimate;
use earshot_engine::tasks::key::vocabulary::MusicalKey;
use earshot_engine::tasks::key::DEFAULT_WEIGHTS;
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_test_signals::chord_progression;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const RATE: f64 = 44_100.0;

/// I–vi–IV–V in C major moved `transpose` semitones up, 12 bars at `bpm`.
fn progression(bpm: f64, transpose: i32) -> Vec<f32> {
    let chords = [Chord::Major(0), Chord::Minor(9), Chord::Major(5), Chord::Major(7)]
        .map(|chord| chord.transposed(transpose).pitch_classes().unwrap());
    chord_progression(RATE, bpm, &chords, 12).0
}

/// Every key estimate the engine reports for `audio` in blocks of `block` samples, into `found`
/// (which must have room: a test of allocation counts them).
fn estimates_into(
    engine: &mut Engine,
    audio: &[f32],
    block: usize,
    found: &mut Vec<(KeyEstimate, KeyEstimate)>,
) {
    engine.reset();
    found.clear();
    for chunk in audio.chunks(block) {
        engine.push(&[chunk], chunk.len(), &mut |event| {
            if let Event::Key { windowed, overall, .. } = event {
                found.push((windowed, overall));
            }
        });
    }
}

#[test]
fn a_progression_gives_its_key_at_any_block_size_without_allocating() {
    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Key]).unwrap();
    for (bpm, transpose) in [(100.0, 0), (140.0, 0), (100.0, 3), (140.0, -4)] {
        let audio = progression(bpm, transpose);
        let truth = MusicalKey { tonic: 0, minor: false }.transposed(transpose);
        let mut found = Vec::with_capacity(2000);
        let (_, allocations) =
            allocations_in(|| estimates_into(&mut engine, &audio, 512, &mut found));
        assert_eq!(allocations.count, 0, "push allocated");
        let (windowed, overall) = *found.last().unwrap();
        println!(
            "{bpm} bpm, {transpose:+}: {} ({:.2}), window {}",
            overall.key, overall.confidence, windowed.key
        );
        assert_eq!(overall.key, truth, "{bpm} bpm, {transpose:+}: {overall:?}");
        assert_eq!(windowed.key, truth, "{bpm} bpm, {transpose:+}: {windowed:?}");
        let events = offline::events(&mut engine, std::slice::from_ref(&audio));
        assert_eq!(offline::whole_key(&events).map(|e| e.key), Some(truth));
        for block in [1, 441, 4096] {
            let mut other = Vec::with_capacity(2000);
            estimates_into(&mut engine, &audio, block, &mut other);
            assert_eq!(other, found, "{bpm} bpm, block {block}");
        }
    }
}

#[test]
fn the_shipped_weights_load_with_their_command() {
    let spec = earshot_nn::format::read(DEFAULT_WEIGHTS).unwrap();
    assert_eq!(spec.task, "key");
    let command = spec.metadata.iter().find(|(k, _)| k == "command").map(|(_, v)| v.as_str());
    assert!(command.is_some_and(|c| c.contains("--task key")), "{command:?}");
    assert!(DEFAULT_WEIGHTS.len() < 1 << 20);
}
