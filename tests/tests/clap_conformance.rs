//! The CLAP rules clap-validator checks, in the project's own host on the release Earshot.clap:
//! a block's output events in time order at every block size, and a latency that changes only
//! while the host activates the plug-in.

use clack_host::events::event_types::ParamValueEvent;
use clack_host::events::Pckn;
use earshot_test_signals::add_decaying_tone;
use earshot_tests::clap_host::{ClapInstance, NoteOut, Processor};
use earshot_tests::latency::plugin_latency;
use earshot_tests::paths;
use rand::{rngs::SmallRng, Rng, SeedableRng};
use std::collections::HashSet;

const RATE: f64 = 44_100.0;
/// clap-validator's block sizes, and the largest it uses.
const BLOCK_SIZES: [usize; 9] = [1, 10, 17, 256, 1024, 1536, 2027, 4096, 16_384];
const MAX_BLOCK: usize = 16_384;

/// Full-scale white noise from the first sample (as clap-validator sends), then short decaying
/// tones 20–60 ms apart at random pitches and levels: onsets at the very start and many closer
/// together than a note lasts.
fn crowded_onsets(seconds: f64, seed: u64) -> Vec<f32> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let frames = (seconds * RATE) as usize;
    let mut audio: Vec<f32> =
        (0..frames).map(|i| if i < 2205 { rng.random_range(-1.0..1.0) } else { 0.0 }).collect();
    let mut start = 0.05;
    while start < seconds - 0.1 {
        let at = (start * RATE) as usize;
        let end = (at + (0.15 * RATE) as usize).min(frames);
        let (pitch, level) = (rng.random_range(100.0..1000.0), rng.random_range(0.1..0.4));
        add_decaying_tone(&mut audio[at..end], RATE, pitch, level, 0.03);
        start += rng.random_range(0.02..0.06);
    }
    audio
}

/// Bursts of white noise 10–120 ms long at random levels, some silent, from the first sample.
fn noise_bursts(seconds: f64, seed: u64) -> Vec<f32> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let frames = (seconds * RATE) as usize;
    let mut audio = Vec::with_capacity(frames);
    while audio.len() < frames {
        let length = (rng.random_range(0.01..0.12) * RATE) as usize;
        let level = if rng.random_bool(0.2) { 0.0 } else { rng.random_range(0.05..1.0) };
        audio.extend((0..length).map(|_| level * rng.random_range(-1.0f32..1.0)));
    }
    audio.truncate(frames);
    audio
}

/// Feeds `audio` (the same on both channels) in blocks of `next_size()` frames; returns each
/// block's notes.
fn notes_per_block(
    processor: &mut Processor,
    audio: &[f32],
    events_at_start: &[ParamValueEvent],
    mut next_size: impl FnMut() -> usize,
) -> Vec<Vec<NoteOut>> {
    let (mut start, mut blocks) = (0, Vec::new());
    while start < audio.len() {
        let frames = next_size().min(audio.len() - start);
        let mut left = audio[start..start + frames].to_vec();
        let mut right = left.clone();
        let (mut out_left, mut out_right) = (vec![0.0f32; frames], vec![0.0f32; frames]);
        let events = if start == 0 { events_at_start } else { &[] };
        let notes = processor
            .process(&mut [&mut left, &mut right], &mut [&mut out_left, &mut out_right], events)
            .unwrap();
        blocks.push((frames, notes));
        start += frames;
    }
    blocks
        .into_iter()
        .map(|(frames, notes)| {
            assert!(notes.iter().all(|n| (n.time as usize) < frames), "{notes:?} in {frames}");
            notes
        })
        .collect()
}

/// Checks what clap-validator checks — times never decreasing within a block — and that a key
/// never gets a note-on while it sounds or a note-off while it is silent. Returns the note count.
fn assert_ordered(blocks: &[Vec<NoteOut>], what: &str) -> usize {
    let mut sounding = HashSet::new();
    let mut count = 0;
    for (index, notes) in blocks.iter().enumerate() {
        for pair in notes.windows(2) {
            assert!(pair[0].time <= pair[1].time, "{what}, block {index}: {notes:?}");
        }
        for note in notes {
            let key = (note.channel, note.key);
            let changed =
                if note.velocity.is_some() { sounding.insert(key) } else { sounding.remove(&key) };
            assert!(changed, "{what}, block {index}: {note:?} against the key's state, {notes:?}");
            count += usize::from(note.velocity.is_some());
        }
    }
    count
}

#[test]
fn output_events_are_in_time_order_at_every_block_size() {
    let audio = crowded_onsets(3.0, 7);
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    for size in BLOCK_SIZES {
        let blocks = plugin
            .with_processor(RATE, MAX_BLOCK as u32, 2, |p| notes_per_block(p, &audio, &[], || size))
            .unwrap();
        let notes = assert_ordered(&blocks, &format!("blocks of {size}"));
        assert!(notes >= 10, "blocks of {size}: only {notes} notes: the signal tests too little");
    }
    let mut rng = SmallRng::seed_from_u64(11);
    let blocks = plugin
        .with_processor(RATE, MAX_BLOCK as u32, 2, |p| {
            notes_per_block(p, &audio, &[], || rng.random_range(1..=MAX_BLOCK))
        })
        .unwrap();
    assert_ordered(&blocks, "random blocks");
}

/// Processes `audio` in 512-sample blocks with `events` at the start; returns the output's left
/// channel.
fn output(plugin: &mut ClapInstance, audio: &[f32], events: &[ParamValueEvent]) -> Vec<f32> {
    plugin
        .with_processor(RATE, 512, 2, |processor| {
            let mut out = Vec::with_capacity(audio.len());
            for (index, block) in audio.chunks(512).enumerate() {
                let (mut left, mut right) = (block.to_vec(), block.to_vec());
                let (mut out_left, mut out_right) =
                    (vec![0.0; block.len()], vec![0.0; block.len()]);
                let events = if index == 0 { events } else { &[] };
                processor
                    .process(
                        &mut [&mut left, &mut right],
                        &mut [&mut out_left, &mut out_right],
                        events,
                    )
                    .unwrap();
                out.extend(out_left);
            }
            out
        })
        .unwrap()
}

/// Panics at the first sample where `got` differs from `want`.
fn assert_same_audio(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    if let Some(i) = (0..got.len()).find(|&i| got[i].to_bits() != want[i].to_bits()) {
        panic!("{what}: sample {i} is {}, want {}", got[i], want[i]);
    }
}

#[test]
fn a_latency_change_is_announced_only_while_the_host_activates_the_plug_in() {
    let expected = plugin_latency(RATE) as u32;
    let audio = noise_bursts(1.0, 3);
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    let align = plugin.param_id("Align MIDI (report latency)").unwrap();

    assert_same_audio(&output(&mut plugin, &audio, &[]), &audio, "Align MIDI off");
    assert_eq!(plugin.latency(), 0);
    assert!(!plugin.take_restart_request());

    // Automation switches Align MIDI on while audio runs: the plug-in asks for a restart and keeps
    // its latency and alignment until then. The host has deactivated it and answered its
    // main-thread callbacks, where a latency change outside `activate` would have shown up.
    let switch_on = ParamValueEvent::new(0, align, Pckn::match_all(), 1.0);
    let before_restart = output(&mut plugin, &audio, &[switch_on]);
    assert_same_audio(&before_restart, &audio, "switched on, before the restart");
    assert!(plugin.take_restart_request(), "the change must ask the host for a restart");
    assert_eq!(plugin.latency_announcements().elsewhere, 0, "announced outside activate");

    // The host restarts it (as often as asked): the new latency is reported and the audio is
    // delayed by it.
    let mut restarts = 0;
    let delayed = loop {
        let out = output(&mut plugin, &audio, &[]);
        restarts += 1;
        if !plugin.take_restart_request() {
            break out;
        }
        assert!(restarts < 3, "the plug-in keeps asking for restarts");
    };
    assert_eq!(plugin.latency(), expected);
    let shift = expected as usize;
    let mut want = vec![0.0; shift];
    want.extend_from_slice(&audio[..audio.len() - shift]);
    assert_same_audio(&delayed, &want, "after the restart, delayed by the latency");
    let announcements = plugin.latency_announcements();
    assert_eq!(announcements.elsewhere, 0, "announced outside activate: {announcements:?}");
    assert!(announcements.in_activate >= 1, "never announced: {announcements:?}");
}
