//! Parts played by a General-MIDI SoundFont (Debian's TimGM6mb, which `cargo xtask setup`
//! installs and training never uses): a voice patch singing a melody, an instrument playing it,
//! piano chords under it, for tests of what a model learnt from other SoundFonts.

use rustysynth::{SoundFont, Synthesizer, SynthesizerSettings};
use std::path::Path;

/// The SoundFont the tests render with.
pub const TEST_SOUNDFONT: &str = "/usr/share/sounds/sf2/TimGM6mb.sf2";

/// A note: start and end in seconds, MIDI key, velocity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Note {
    pub start: f64,
    pub end: f64,
    pub key: u8,
    pub velocity: u8,
}

/// Renders parts, each a General-MIDI program and its notes, through the SoundFont at `path`:
/// mono at `rate`, `seconds` long, dry (no reverb or chorus).
pub fn render(
    path: &Path,
    parts: &[(u8, &[Note])],
    rate: u32,
    seconds: f64,
) -> Result<Vec<f32>, String> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| format!("{}: {e} (run `cargo xtask setup`)", path.display()))?;
    let font = SoundFont::new(&mut file).map_err(|e| format!("{}: {e:?}", path.display()))?;
    let settings = SynthesizerSettings::new(rate as i32);
    let mut synth = Synthesizer::new(&std::sync::Arc::new(font), &settings)
        .map_err(|e| format!("synthesizer: {e:?}"))?;
    let mut events: Vec<(usize, i32, i32, i32, i32)> = Vec::new();
    let at = |t: f64| (t * rate as f64).round() as usize;
    for (channel, (program, notes)) in parts.iter().enumerate() {
        let channel = channel as i32;
        for (controller, value) in [(91, 0), (93, 0)] {
            synth.process_midi_message(channel, 0xB0, controller, value);
        }
        synth.process_midi_message(channel, 0xC0, *program as i32, 0);
        for note in *notes {
            events.push((at(note.start), channel, 0x90, note.key as i32, note.velocity as i32));
            events.push((at(note.end), channel, 0x80, note.key as i32, 0));
        }
    }
    events.sort_by_key(|e| (e.0, e.2 == 0x90));
    let length = at(seconds);
    let (mut left, mut right) = (vec![0.0f32; length], vec![0.0f32; length]);
    let mut position = 0;
    for (sample, channel, command, key, velocity) in events {
        let sample = sample.min(length);
        if sample > position {
            synth.render(&mut left[position..sample], &mut right[position..sample]);
            position = sample;
        }
        synth.process_midi_message(channel, command, key, velocity);
    }
    synth.render(&mut left[position..], &mut right[position..]);
    Ok(left.iter().zip(&right).map(|(l, r)| 0.5 * (l + r)).collect())
}

/// The same melody sung by a voice patch (choir aahs) for its first `half` seconds, then played
/// by a clarinet for as long again, over piano chords (C, A minor, F, G, two seconds each)
/// throughout, at `rate` through [`TEST_SOUNDFONT`]: singing from the first note to `half`.
pub fn sung_then_played(rate: u32, half: f64) -> Result<Vec<f32>, String> {
    const CHOIR_AAHS: u8 = 52;
    const CLARINET: u8 = 71;
    const PIANO: u8 = 0;
    let tune = [67u8, 69, 71, 72, 71, 69, 67, 64, 65, 67, 69, 67, 65, 64, 62, 60];
    let melody = |from: f64| -> Vec<Note> {
        let step = 0.5;
        (0..((half - 0.5) / step) as usize)
            .map(|k| {
                let start = from + 0.25 + k as f64 * step;
                Note { start, end: start + 0.45, key: tune[k % tune.len()], velocity: 100 }
            })
            .collect()
    };
    let chords = [[48u8, 52, 55], [45, 48, 52], [41, 45, 48], [43, 47, 50]];
    let piano: Vec<Note> = (0..(2.0 * half / 2.0) as usize)
        .flat_map(|bar| {
            chords[bar % 4].map(|key| Note {
                start: bar as f64 * 2.0,
                end: bar as f64 * 2.0 + 1.9,
                key,
                velocity: 70,
            })
        })
        .collect();
    let (sung, played) = (melody(0.0), melody(half));
    render(
        Path::new(TEST_SOUNDFONT),
        &[(CHOIR_AAHS, &sung), (CLARINET, &played), (PIANO, &piano)],
        rate,
        2.0 * half + 1.0,
    )
}
