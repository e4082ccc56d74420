//! Beats through the built Earshot.clap in a real CLAP host: a band clip (drums over chords at
//! 120 bpm), fed in random block sizes, must come back as MIDI beat notes on the chosen channel
//! — downbeats on their note, other beats on theirs — each at its beat plus the latency,
//! exactly as the engine reports the beats for the CLI, and on the clip's beats (F ≥ 0.8).

use earshot_engine::offline;
use earshot_engine::{Engine, TaskKind};
use earshot_io::metrics::beat;
use earshot_test_signals::band_clip;
use earshot_tests::clap_host::ClapInstance;
use earshot_tests::latency::plugin_latency;
use earshot_tests::notes::notes_in_random_blocks;
use earshot_tests::paths;

const RATE: f64 = 48_000.0;

#[test]
fn beat_notes_from_the_bundle_match_the_engine_and_the_truth() {
    let (signal, truth) = band_clip(RATE, 120.0, 16);
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    // Integer parameters go to hosts as steps from their minimum: channel 6 (of 1–16) is 5.
    for (name, value) in [("Beat MIDI channel", 5.0), ("Beat MIDI note", 42.0)] {
        let id = plugin.param_id(name).unwrap();
        plugin.set_param(id, value).unwrap();
    }
    let notes = notes_in_random_blocks(&mut plugin, &signal, RATE, 17);
    let ons: Vec<(u64, u16)> = notes
        .iter()
        .filter(|(_, n)| n.channel == 5 && n.velocity.is_some())
        .map(|(at, n)| (*at, n.key))
        .collect();

    // What the engine reports for the same audio, as the CLI writes it.
    let latency = plugin_latency(RATE) as u64;
    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Beats]).unwrap();
    let events = offline::events(&mut engine, std::slice::from_ref(&signal));
    let beats = offline::beats(&events);
    let expected: Vec<(u64, u16)> = beats
        .iter()
        .map(|b| {
            let key = if b.bar_position == 1 { 36 } else { 42 };
            ((b.time * RATE).round() as u64 + latency, key)
        })
        .filter(|(at, _)| *at < signal.len() as u64)
        .collect();
    assert_eq!(ons, expected, "beat notes: the plug-in and the engine disagree");

    let reference: Vec<f64> = truth.iter().map(|b| b.0).collect();
    let found: Vec<f64> = beats.iter().map(|b| b.time).collect();
    let scores = beat::evaluate(&reference, &found);
    println!("{} beat notes; F {:.3}", ons.len(), scores.f_measure);
    assert!(scores.f_measure >= 0.8, "{scores:?}");
}
