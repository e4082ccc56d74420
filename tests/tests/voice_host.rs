//! Singing through the built Earshot.clap in a real CLAP host: a melody sung by a voice patch
//! and then played by a clarinet, fed in random block sizes, must come back as a note held on
//! the chosen channel through each stretch of singing and the singing probability on the chosen
//! controller, each at its time plus the latency, exactly as the engine reports them.

use earshot_engine::midi::value_7bit;
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_test_signals::soundfont::sung_then_played;
use earshot_tests::clap_host::{ClapInstance, MidiOut};
use earshot_tests::latency::plugin_latency;
use earshot_tests::notes::midi_in_random_blocks;
use earshot_tests::paths;

const RATE: f64 = 48_000.0;

#[test]
fn the_voice_note_and_cc_from_the_bundle_match_the_engine() {
    let signal = sung_then_played(RATE as u32, 10.0).unwrap();
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    // Integer parameters go to hosts as steps from their minimum: channel 7 (of 1–16) is 6.
    for (name, value) in [("Voice MIDI channel", 6.0), ("Voice MIDI CC", 74.0)] {
        let id = plugin.param_id(name).unwrap();
        plugin.set_param(id, value).unwrap();
    }
    let sent = midi_in_random_blocks(&mut plugin, &signal, RATE, 23);
    let notes: Vec<(u64, bool)> = sent
        .iter()
        .filter_map(|(at, m)| match m {
            MidiOut::Note(n) if n.channel == 6 => {
                assert_eq!(n.key, 60, "the voice note is C4");
                Some((*at, n.velocity.is_some()))
            }
            _ => None,
        })
        .collect();
    let controls: Vec<(u64, u8)> = sent
        .iter()
        .filter_map(|(at, m)| match m {
            MidiOut::Control(c) => {
                assert_eq!((c.channel, c.controller), (6, 74));
                Some((*at, c.value))
            }
            _ => None,
        })
        .collect();

    // What the engine reports for the same audio: changes become the note's ends, frames the
    // controller's values, each sent when its 7-bit value differs from the last.
    let latency = plugin_latency(RATE) as u64;
    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Voice]).unwrap();
    let events = offline::events(&mut engine, std::slice::from_ref(&signal));
    let within = |at: u64| at < signal.len() as u64;
    let expected_notes: Vec<(u64, bool)> = events
        .iter()
        .filter_map(|e| match *e {
            Event::Voice { time, singing, .. } => Some((time.sample + latency, singing)),
            _ => None,
        })
        .filter(|(at, _)| within(*at))
        .collect();
    let mut last = None;
    let expected_controls: Vec<(u64, u8)> = events
        .iter()
        .filter_map(|e| match *e {
            Event::Activation { time, value, .. } => {
                let value = value_7bit(value);
                (last != Some(value)).then(|| {
                    last = Some(value);
                    (time.sample + latency, value)
                })
            }
            _ => None,
        })
        .filter(|(at, _)| within(*at))
        .collect();
    assert!(expected_notes.first().is_some_and(|n| n.1), "the engine hears the singing");
    assert_eq!(notes, expected_notes, "voice notes: the plug-in and the engine disagree");
    assert_eq!(controls, expected_controls, "voice CC: the plug-in and the engine disagree");
    println!("{} note messages, {} control changes", notes.len(), controls.len());
}
