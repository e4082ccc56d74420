//! The plug-in's MIDI path without a host: the engine's onsets through the shared note mapping
//! into the live schedule land at `onset + latency` on the host's timeline, the same notes for
//! any block size, never too late for their time, without allocating.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_engine::midi::{note_for, LiveMidi, MidiMessage, NoteMapping};
use earshot_engine::{Engine, Event, TaskKind};
use earshot_test_signals::add_decaying_tone;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Decaying tones every half second, alternating pitches: (audio, onset positions).
fn tones(rate: f64, seconds: f64) -> (Vec<f32>, Vec<u64>) {
    let mut audio = vec![0.0f32; (rate * seconds) as usize];
    let positions: Vec<u64> =
        (1..(2.0 * seconds) as u64 - 1).map(|k| (k as f64 * 0.5 * rate) as u64).collect();
    for (k, &p) in positions.iter().enumerate() {
        add_decaying_tone(&mut audio[p as usize..], rate, [220.0, 330.0, 277.2][k % 3], 0.3, 0.15);
    }
    (audio, positions)
}

/// Every message sent for `audio` fed in blocks of `sizes` (cycled), as (host sample, is on).
fn messages(rate: f64, audio: &[f32], sizes: &[usize]) -> (Vec<(u64, bool)>, usize) {
    let mut engine = Engine::with_default_weights(rate, &[TaskKind::Onsets]).unwrap();
    let latency = engine.latency_samples();
    let mut midi = LiveMidi::new(256, latency, rate);
    let mapping = NoteMapping::default_for(TaskKind::Onsets).expect("onsets are notes");
    let mut sent = Vec::with_capacity(1000);
    let (mut start, mut k) = (0usize, 0);
    let (_, allocations) = allocations_in(|| {
        while start < audio.len() {
            let size = sizes[k % sizes.len()].min(audio.len() - start);
            k += 1;
            let block = &audio[start..start + size];
            engine.push(&[block], size, |event: Event| {
                if let Some(note) = note_for(&event, &mapping) {
                    midi.add(&note);
                }
            });
            let first = start as u64;
            midi.take_due(first, first + size as u64, |offset, message| {
                assert!((offset as usize) < size, "timing outside the block");
                let MidiMessage::Note(note) = message else { panic!("onsets send only notes") };
                sent.push((first + offset as u64, note.velocity.is_some()));
            });
            start += size;
        }
    });
    assert_eq!(allocations.count, 0, "{rate} Hz, blocks {sizes:?}: allocated");
    assert_eq!(midi.late(), 0, "{rate} Hz, blocks {sizes:?}: notes found too late");
    (sent, latency)
}

#[test]
fn notes_land_at_onset_plus_latency_at_any_block_size_without_allocating() {
    for rate in [44_100.0, 48_000.0, 96_000.0] {
        let (audio, positions) = tones(rate, 4.0);
        let (reference, latency) = messages(rate, &audio, &[audio.len()]);
        let ons: Vec<u64> =
            reference.iter().filter(|m| m.1).map(|m| m.0 - latency as u64).collect();
        assert_eq!(ons.len(), positions.len(), "{rate} Hz: {ons:?} for tones at {positions:?}");
        for (found, truth) in ons.iter().zip(&positions) {
            let error = (*found as f64 - *truth as f64) / rate;
            assert!(error.abs() <= 0.02, "{rate} Hz: onset {error:+.3} s off");
        }
        assert_eq!(reference.len(), 2 * ons.len(), "{rate} Hz: every note ends");
        for sizes in [&[64usize][..], &[1, 511, 37, 4096, 3]] {
            assert_eq!(messages(rate, &audio, sizes).0, reference, "{rate} Hz, blocks {sizes:?}");
        }
    }
}
