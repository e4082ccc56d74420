//! Onsets through the built Earshot.clap in a real CLAP host: a clip of tones with known onsets,
//! fed in random block sizes, must come back as MIDI notes on the chosen key and channel at
//! `onset + latency` samples, matching what `earshot analyze` finds in the same audio, with
//! F ≥ 0.9 against the truth.

use earshot_engine::midi::NoteMapping;
use earshot_engine::{offline, Engine, Event, TaskKind};
use earshot_io::metrics::onset;
use earshot_tests::clap_host::ClapInstance;
use earshot_tests::latency::plugin_latency;
use earshot_tests::notes::notes_in_random_blocks;
use earshot_tests::paths;
use earshot_tests::signals::decaying_tones;

const RATE: f64 = 48_000.0;

#[test]
fn notes_from_the_bundle_match_the_cli_and_the_truth() {
    let (signal, truth) = decaying_tones(7, RATE, 10.0);
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    // nice-plug gives hosts an integer parameter as its step from the minimum: key 38 is 38,
    // MIDI channel 10 (of 1–16) is 9, and goes out as CLAP's zero-based channel 9.
    for (name, value) in [("Onset MIDI note", 38.0), ("Onset MIDI channel", 9.0)] {
        let id = plugin.param_id(name).unwrap();
        plugin.set_param(id, value).unwrap();
    }
    let notes = notes_in_random_blocks(&mut plugin, &signal, RATE, 3);
    // The chord and beat tasks' notes go out on their own channels (2 and 3); the onsets' are
    // all on 10.
    let others = [TaskKind::Chords, TaskKind::Beats]
        .map(|task| NoteMapping::default_for(task).expect("notes").channel as u16);
    let notes: Vec<_> = notes.into_iter().filter(|(_, n)| !others.contains(&n.channel)).collect();
    assert!(notes.iter().all(|(_, n)| n.key == 38 && n.channel == 9), "{notes:?}");
    let latency = plugin_latency(RATE) as u64;
    let from_plugin: Vec<u64> =
        notes.iter().filter(|(_, n)| n.velocity.is_some()).map(|(p, _)| p - latency).collect();
    assert_eq!(notes.len(), 2 * from_plugin.len(), "every note-on has its note-off");

    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Onsets]).unwrap();
    let length = signal.len() as u64;
    let from_cli: Vec<u64> = offline::events(&mut engine, &[signal.clone(), signal])
        .iter()
        .filter_map(|event| match event {
            Event::Onset { time, .. } => Some(time.sample),
            _ => None,
        })
        .filter(|p| *p + latency < length)
        .collect();
    assert_eq!(from_plugin, from_cli, "the plug-in and the CLI disagree");

    let estimated: Vec<f64> = from_plugin.iter().map(|p| *p as f64 / RATE).collect();
    let score = onset::evaluate(&truth, &estimated, onset::WINDOW);
    println!("{} onsets, {} notes: F {:.3}", truth.len(), estimated.len(), score.f_measure);
    assert!(score.f_measure >= 0.9, "F {:.3}: {estimated:?} for {truth:?}", score.f_measure);
}
