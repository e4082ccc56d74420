//! Chords through the built Earshot.clap in a real CLAP host: a rendered progression (C–Am–F–G
//! at 100 bpm, a minor third up), fed in random block sizes, must come back as held MIDI chord
//! notes in the chosen octave and channel — each chord's tones on at its change plus the
//! latency, off where the next chord starts — exactly as the engine reports the chords for the
//! CLI, recognised for at least 90 % of the time.

use earshot_engine::midi::NoteMapping;
use earshot_engine::offline::{self, reported_chords};
use earshot_engine::tasks::chords::vocabulary::Chord;
use earshot_engine::{Engine, TaskKind};
use earshot_test_signals::chord_progression;
use earshot_tests::clap_host::{ClapInstance, NoteOut};
use earshot_tests::latency::plugin_latency;
use earshot_tests::notes::notes_in_random_blocks;
use earshot_tests::paths;

const RATE: f64 = 48_000.0;

#[test]
fn held_chord_notes_from_the_bundle_match_the_engine_and_the_truth() {
    let chords = [Chord::Major(0), Chord::Minor(9), Chord::Major(5), Chord::Major(7)]
        .map(|c| c.transposed(3));
    let tones = chords.map(|chord| chord.pitch_classes().unwrap());
    let (signal, bars) = chord_progression(RATE, 100.0, &tones, 8);
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    // Integer parameters go to hosts as steps from their minimum: octave 4 (of −1–8) is 5,
    // channel 5 (of 1–16) is 4, which CLAP numbers from zero as 4.
    for (name, value) in [("Chord MIDI octave", 5.0), ("Chord MIDI channel", 4.0)] {
        let id = plugin.param_id(name).unwrap();
        plugin.set_param(id, value).unwrap();
    }
    let notes: Vec<(u64, NoteOut)> = notes_in_random_blocks(&mut plugin, &signal, RATE, 11)
        .into_iter()
        .filter(|(_, n)| n.channel == 4)
        .collect();
    let latency = plugin_latency(RATE) as u64;
    let (ons, offs): (Vec<_>, Vec<_>) = notes.iter().partition(|(_, n)| n.velocity.is_some());
    let on_positions = |list: &[&(u64, NoteOut)]| -> Vec<(u64, u16)> {
        list.iter().map(|(p, n)| (*p, n.key)).collect()
    };

    // What the engine reports for the same audio, as the CLI's MIDI holds it.
    let mapping = NoteMapping { channel: 4, key: 60, accent_key: 60, length_seconds: 0.0 };
    let mut engine = Engine::with_default_weights(RATE, &[TaskKind::Chords]).unwrap();
    let events = offline::events(&mut engine, std::slice::from_ref(&signal));
    let duration = signal.len() as f64 / RATE;
    let spans = reported_chords(&events, duration);
    let length = signal.len() as u64;
    let sample = |seconds: f64| (seconds * RATE).round() as u64 + latency;
    let mut expected_ons = Vec::new();
    let mut expected_offs = Vec::new();
    for span in &spans {
        for key in mapping.chord_keys(span.chord).into_iter().flatten() {
            expected_ons.push((sample(span.start), key as u16));
            if sample(span.end) < length && span.end < duration {
                expected_offs.push((sample(span.end), key as u16));
            }
        }
    }
    expected_ons.retain(|(p, _)| *p < length);
    assert_eq!(on_positions(&ons), expected_ons, "note-ons: the plug-in and the engine disagree");
    assert_eq!(on_positions(&offs), expected_offs, "note-offs: each where the next chord starts");
    assert!(ons.iter().all(|(_, n)| (60..72).contains(&n.key)), "octave 4: keys 60–71");

    // The chords the notes spell, against the bars' chords, over the bars' time.
    let mut right = 0.0;
    for (bar, &(start, end)) in bars.iter().enumerate() {
        let truth = chords[bar % 4];
        for span in &spans {
            let overlap = span.end.min(end) - span.start.max(start);
            if overlap > 0.0 && span.chord == truth {
                right += overlap;
            }
        }
    }
    let recall = right / bars.iter().map(|(s, e)| e - s).sum::<f64>();
    println!("{} chords, {} note-ons; recall {recall:.3}", spans.len(), ons.len());
    assert!(recall >= 0.9, "recall {recall:.3}: {spans:?}");
}
