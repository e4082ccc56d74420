//! A host starting its transport restarts Earshot's analysis at that block, so that every pass
//! over a song gives the same notes whatever the plug-in heard before (a DAW records the same
//! detections on every take), while notes already sent still end. Runs the debug CLAP, whose
//! `process()` aborts on any allocation: the restart allocates nothing.

use earshot_test_signals::soundfont::sung_then_played;
use earshot_tests::clap_host::{ClapInstance, MidiOut};
use earshot_tests::latency::plugin_latency;
use earshot_tests::notes::play;
use earshot_tests::paths;
use rand::{rngs::SmallRng, SeedableRng};

const RATE: f64 = 44_100.0;

/// A note-on or note-off: (position, channel, key, 7-bit velocity or `None`).
type NoteMessage = (u64, u16, u16, Option<u8>);

fn notes(messages: Vec<(u64, MidiOut)>) -> Vec<NoteMessage> {
    messages
        .into_iter()
        .filter_map(|(at, message)| match message {
            MidiOut::Note(n) => {
                Some((at, n.channel, n.key, n.velocity.map(|v| (v * 127.0).round() as u8)))
            }
            MidiOut::Control(_) => None,
        })
        .collect()
}

#[test]
fn starting_the_transport_restarts_the_analysis_and_ends_the_notes_already_sent() {
    let clip = sung_then_played(RATE as u32, 3.0).unwrap();
    // Heard with the transport stopped: the clip's second half, so that notes sound (a chord,
    // the last onsets) when the transport starts.
    let before = &clip[clip.len() / 2..];
    let bundle = paths::debug_bundle("Earshot.clap");
    let latency = plugin_latency(RATE) as u64;

    let mut plugin = ClapInstance::load(&bundle).unwrap();
    let mut rng = SmallRng::seed_from_u64(5);
    let (stopped, played) = plugin
        .with_processor(RATE, 4096, 2, |processor| {
            processor.set_transport_playing(false);
            let stopped = notes(play(processor, before, 0, &mut rng));
            processor.set_transport_playing(true);
            let played = notes(play(processor, &clip, before.len() as u64, &mut rng));
            (stopped, played)
        })
        .unwrap();

    let mut fresh = ClapInstance::load(&bundle).unwrap();
    let mut rng = SmallRng::seed_from_u64(6);
    let expected = fresh
        .with_processor(RATE, 4096, 2, |processor| {
            processor.set_transport_playing(true);
            notes(play(processor, &clip, 0, &mut rng))
        })
        .unwrap();

    // The restart's first event goes out a latency after it: what comes earlier is the old
    // analysis's, whose notes must all end.
    let restart = before.len() as u64;
    let (old, new): (Vec<NoteMessage>, Vec<NoteMessage>) =
        stopped.into_iter().chain(played).partition(|m| m.0 < restart + latency);
    let old_ons = old.iter().filter(|m| m.3.is_some()).count();
    assert!(old_ons > 0, "notes should sound when the transport starts");
    let mut sounding = old.iter().filter(|m| m.3.is_some()).map(|m| (m.1, m.2)).collect::<Vec<_>>();
    for off in old.iter().chain(&new).filter(|m| m.3.is_none()) {
        if let Some(at) = sounding.iter().position(|&note| note == (off.1, off.2)) {
            sounding.swap_remove(at);
        }
    }
    assert!(sounding.is_empty(), "notes sent before the restart never end: {sounding:?}");

    let new_ons: Vec<NoteMessage> = new
        .iter()
        .filter(|m| m.3.is_some())
        .map(|&(at, channel, key, velocity)| (at - restart, channel, key, velocity))
        .collect();
    let expected_ons: Vec<NoteMessage> = expected.into_iter().filter(|m| m.3.is_some()).collect();
    assert!(!expected_ons.is_empty());
    assert_eq!(new_ons, expected_ons, "after the restart, the notes differ from a fresh start's");
}
