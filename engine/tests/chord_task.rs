//! The shipped chord task in the engine: a rendered progression (C–Am–F–G, at two tempi, in
//! two transpositions) is recognised (majmin recall of its time at least 0.9, the typical change
//! timed within 200 ms) the same for any block size, `push` never allocates, and the weights
//! load with the command that made them.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::tasks::chords::DEFAULT_WEIGHTS;
use earshot_engine::{Engine, Event, TaskKind};
use earshot_test_signals::chord_progression;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const RATE: f64 = 44_100.0;

/// C–Am–F–G twice, a bar each at `bpm`, `transpose` semitones up (see
/// [`chord_progression`]): the audio and each chord's (start, end, chord).
fn progression(bpm: f64, transpose: i32) -> (Vec<f32>, Vec<(f64, f64, Chord)>) {
    let chords = [Chord::Major(0), Chord::Minor(9), Chord::Major(5), Chord::Major(7)]
        .map(|chord| chord.transposed(transpose));
    let tones = chords.map(|chord| chord.pitch_classes().unwrap());
    let (audio, spans) = chord_progression(RATE, bpm, &tones, 8);
    let truth = spans.iter().enumerate().map(|(i, &(start, end))| (start, end, chords[i % 4]));
    (audio, truth.collect())
}

/// The chord changes the engine reports for `audio` fed in blocks of `block` samples, into
/// `found` (which must have room: a test of allocation counts them).
fn changes_into(engine: &mut Engine, audio: &[f32], block: usize, found: &mut Vec<(f64, Chord)>) {
    engine.reset();
    found.clear();
    for chunk in audio.chunks(block) {
        engine.push(&[chunk], chunk.len(), &mut |event| {
            if let Event::Chord { time, chord, .. } = event {
                found.push((time.seconds, chord));
            }
        });
    }
}

fn changes(engine: &mut Engine, audio: &[f32], block: usize) -> Vec<(f64, Chord)> {
    let mut found = Vec::with_capacity(1000);
    changes_into(engine, audio, block, &mut found);
    found
}

/// The share of the labelled time in which the reported chord is the labelled one.
fn recall(truth: &[(f64, f64, Chord)], changes: &[(f64, Chord)]) -> f64 {
    let step = 0.01;
    let (mut right, mut total) = (0usize, 0usize);
    for &(start, end, chord) in truth {
        let mut t = start;
        while t < end {
            let shown = changes.iter().take_while(|(at, _)| *at <= t).last().map(|(_, c)| *c);
            right += usize::from(shown == Some(chord));
            total += 1;
            t += step;
        }
    }
    right as f64 / total as f64
}

/// For each chord change in `truth`, how far from it the engine's change to the new chord came
/// (seconds; the nearest such change within a bar).
fn change_errors(truth: &[(f64, f64, Chord)], changes: &[(f64, Chord)]) -> Vec<f64> {
    truth
        .windows(2)
        .map(|pair| {
            let (boundary, chord) = (pair[1].0, pair[1].2);
            changes
                .iter()
                .filter(|(_, found)| *found == chord)
                .map(|(at, _)| (at - boundary).abs())
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

#[test]
fn a_progression_is_recognised_at_any_block_size_without_allocating() {
    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Chords]).unwrap();
    for (bpm, transpose) in [(100.0, 0), (140.0, 0), (100.0, 3), (140.0, -4)] {
        let (audio, truth) = progression(bpm, transpose);
        let mut found = Vec::with_capacity(1000);
        let (_, allocations) =
            allocations_in(|| changes_into(&mut engine, &audio, 512, &mut found));
        assert_eq!(allocations.count, 0, "push allocated");
        let score = recall(&truth, &found);
        let mut errors = change_errors(&truth, &found);
        errors.sort_by(f64::total_cmp);
        let median = errors[errors.len() / 2];
        println!(
            "{bpm} bpm, {transpose:+}: recall {score:.3}, {} changes, change time error median \
             {:.0} ms, worst {:.0} ms",
            found.len(),
            median * 1e3,
            errors[errors.len() - 1] * 1e3
        );
        assert!(score >= 0.9, "{bpm} bpm, {transpose:+}: recall {score:.3}, changes {found:?}");
        // The "within about 200 ms of a real change", for the typical change.
        assert!(median <= 0.2, "{bpm} bpm, {transpose:+}: change errors {errors:?}");
        for block in [1, 64, 441, 4096] {
            assert_eq!(changes(&mut engine, &audio, block), found, "{bpm} bpm, block {block}");
        }
    }
}

#[test]
fn the_shipped_weights_load_with_their_command() {
    let spec = earshot_nn::format::read(DEFAULT_WEIGHTS).unwrap();
    assert_eq!(spec.task, "chords");
    let command = spec.metadata.iter().find(|(k, _)| k == "command").map(|(_, v)| v.as_str());
    assert!(command.is_some_and(|c| c.contains("--task chords")), "{command:?}");
    assert!(DEFAULT_WEIGHTS.len() < 1 << 20);
}
