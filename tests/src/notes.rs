//! The MIDI notes a built plug-in sends for a signal played through it as a host would: in
//! random block sizes, the same audio on both channels.

use crate::clap_host::{ClapInstance, MidiOut, NoteOut, Processor};
use rand::{rngs::SmallRng, Rng, SeedableRng};

/// Every note message `plugin` sends for `signal` at `rate`, in blocks of 1 to 4 096 samples
/// drawn from `seed`, with its position in the signal.
pub fn notes_in_random_blocks(
    plugin: &mut ClapInstance,
    signal: &[f32],
    rate: f64,
    seed: u64,
) -> Vec<(u64, NoteOut)> {
    let sent = midi_in_random_blocks(plugin, signal, rate, seed);
    sent.into_iter()
        .filter_map(|(at, m)| match m {
            MidiOut::Note(note) => Some((at, note)),
            MidiOut::Control(_) => None,
        })
        .collect()
}

/// Every note message and control change `plugin` sends for `signal` at `rate`, in blocks of
/// 1 to 4 096 samples drawn from `seed`, with its position in the signal.
pub fn midi_in_random_blocks(
    plugin: &mut ClapInstance,
    signal: &[f32],
    rate: f64,
    seed: u64,
) -> Vec<(u64, MidiOut)> {
    let mut rng = SmallRng::seed_from_u64(seed);
    plugin.with_processor(rate, 4096, 2, |processor| play(processor, signal, 0, &mut rng)).unwrap()
}

/// Plays `signal` through an active `processor` in blocks of 1 to 4 096 samples drawn from
/// `rng`, the same audio on both channels; every message it sends with its position, counted
/// from `offset` (the samples played before).
pub fn play(
    processor: &mut Processor,
    signal: &[f32],
    offset: u64,
    rng: &mut SmallRng,
) -> Vec<(u64, MidiOut)> {
    let (mut start, mut messages) = (0usize, Vec::new());
    while start < signal.len() {
        let frames = rng.random_range(1..=4096).min(signal.len() - start);
        let mut left = signal[start..start + frames].to_vec();
        let mut right = left.clone();
        let (mut out_left, mut out_right) = (vec![0.0f32; frames], vec![0.0f32; frames]);
        let sent = processor
            .process_midi(&mut [&mut left, &mut right], &mut [&mut out_left, &mut out_right], &[])
            .unwrap();
        messages.extend(sent.into_iter().map(|message| {
            let time = match message {
                MidiOut::Note(note) => note.time,
                MidiOut::Control(control) => control.time,
            };
            (offset + start as u64 + time as u64, message)
        }));
        start += frames;
    }
    messages
}
