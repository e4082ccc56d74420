//! Renders an arrangement through a SoundFont with rustysynth: one MIDI channel per part, the
//! plan's programs, volumes, pans and effect sends, every note at its exact sample. Parts the
//! plan gives a [`Tone`] are played by that voice instead, dry, at the same gain and pan; a part
//! the plan gives a [`Singer`](super::singer::Singer) is sung by festival, dry, at its gain and pan.

use super::arrange::Arrangement;
use super::plan::{PartMix, RenderPlan};
use super::score::Part;
use super::singer;
use super::tone::Tone;
use rustysynth::{SoundFont, Synthesizer, SynthesizerSettings};
use std::collections::HashMap;
use std::sync::Arc;

/// The rate of all rendered audio.
pub const SAMPLE_RATE: u32 = 44_100;
/// Silence rendered after the last note ends, for release and reverb tails (seconds).
const TAIL: f64 = 2.0;
/// Synthesis block: notes start on block boundaries, so at most 32 samples (0.7 ms) late.
const BLOCK: usize = 32;
/// A [`Tone`] note's peak at velocity 127 and 0 dB gain: mixes of tones then have about the RMS
/// of FluidR3 mixes of the same notes (measured on songs 1–6).
const TONE_LEVEL: f32 = 0.18;

fn channel(part: Part) -> i32 {
    match part {
        Part::Melody => 0,
        Part::Bridge => 1,
        Part::Piano => 2,
        Part::Bass => 3,
        Part::Drums => 9,
    }
}

/// A MIDI message at a sample.
struct Event {
    sample: usize,
    channel: i32,
    command: i32,
    data1: i32,
    data2: i32,
}

/// Renders the arrangement as stereo audio at [`SAMPLE_RATE`].
pub fn synthesize(
    arrangement: &Arrangement,
    plan: &RenderPlan,
    soundfont: &Arc<SoundFont>,
) -> Result<[Vec<f32>; 2], String> {
    synthesize_parts(arrangement, plan, soundfont, |_| true)
}

/// Renders only `part`'s notes, with the same mix settings and length as [`synthesize`]: the
/// part's stem.
pub fn synthesize_stem(
    arrangement: &Arrangement,
    plan: &RenderPlan,
    soundfont: &Arc<SoundFont>,
    part: Part,
) -> Result<[Vec<f32>; 2], String> {
    synthesize_parts(arrangement, plan, soundfont, |p| p == part)
}

fn synthesize_parts(
    arrangement: &Arrangement,
    plan: &RenderPlan,
    soundfont: &Arc<SoundFont>,
    plays: impl Fn(Part) -> bool,
) -> Result<[Vec<f32>; 2], String> {
    let mut settings = SynthesizerSettings::new(SAMPLE_RATE as i32);
    settings.block_size = BLOCK;
    settings.maximum_polyphony = 128;
    let mut synth =
        Synthesizer::new(soundfont, &settings).map_err(|e| format!("synthesizer: {e:?}"))?;
    for mix in &plan.parts {
        let ch = channel(mix.part);
        // Volume: 100 is 0 dB (CC7 is about 40·log10(value/127) dB).
        let volume = (100.0 * 10f32.powf(mix.gain_db / 40.0)).round().clamp(0.0, 127.0) as i32;
        synth.process_midi_message(ch, 0xC0, mix.program as i32, 0);
        for (controller, value) in [
            (7, volume),
            (10, (64.0 + mix.pan * 63.0).round() as i32),
            (91, mix.reverb as i32),
            (93, mix.chorus as i32),
        ] {
            synth.process_midi_message(ch, 0xB0, controller, value);
        }
    }
    let by_soundfont = |part: Part| plays(part) && plan.part(part).is_none_or(|m| m.by_soundfont());
    let mut events: Vec<Event> = Vec::with_capacity(arrangement.notes.len() * 2);
    for note in arrangement.notes.iter().filter(|n| by_soundfont(n.part)) {
        let ch = channel(note.part);
        events.push(Event {
            sample: sample_at(note.start),
            channel: ch,
            command: 0x90,
            data1: note.pitch as i32,
            data2: note.velocity as i32,
        });
        events.push(Event {
            sample: sample_at(note.end),
            channel: ch,
            command: 0x80,
            data1: note.pitch as i32,
            data2: 0,
        });
    }
    // Note-offs first at equal samples, so a repeated note is not cut by its predecessor's end.
    events.sort_by_key(|e| (e.sample, e.command == 0x90));
    let end = arrangement.notes.iter().map(|n| n.end).fold(0.0, f64::max) + TAIL;
    let length = sample_at(end);
    let (mut left, mut right) = (vec![0.0f32; length], vec![0.0f32; length]);
    let mut position = 0;
    for event in events {
        let sample = event.sample.min(length);
        if sample > position {
            synth.render(&mut left[position..sample], &mut right[position..sample]);
            position = sample;
        }
        synth.process_midi_message(event.channel, event.command, event.data1, event.data2);
    }
    synth.render(&mut left[position..], &mut right[position..]);
    for mix in plan.parts.iter().filter(|m| plays(m.part)) {
        if let Some(tone) = &mix.tone {
            add_tone_part(arrangement, mix, tone, [&mut left, &mut right]);
        }
        if let Some(singer) = &mix.singer {
            let line = singer::sing(arrangement, singer, mix.gain_db, SAMPLE_RATE, length)?;
            add_panned(&line, mix.pan, [&mut left, &mut right]);
        }
    }
    Ok([left, right])
}

/// The sample at time `t` (seconds; negative times are the first sample).
fn sample_at(t: f64) -> usize {
    (t.max(0.0) * SAMPLE_RATE as f64).round() as usize
}

/// Adds the notes of `mix`'s part played by `tone` at the part's gain, panned with constant
/// power.
fn add_tone_part(
    arrangement: &Arrangement,
    mix: &PartMix,
    tone: &Tone,
    channels: [&mut Vec<f32>; 2],
) {
    let length = channels[0].len();
    let at = |t: f64| sample_at(t).min(length);
    let mut mono = vec![0.0f32; length];
    let gain = TONE_LEVEL * 10f32.powf(mix.gain_db / 20.0);
    let mut tables: HashMap<u8, Vec<f32>> = HashMap::new();
    for note in arrangement.notes.iter().filter(|n| n.part == mix.part) {
        let (start, end) = (at(note.start), at(note.end));
        let amplitude = gain * (note.velocity as f32 / 127.0).powi(2);
        let table =
            tables.entry(note.pitch).or_insert_with(|| tone.wavetable(note.pitch, SAMPLE_RATE));
        tone.play(
            table,
            note.pitch,
            amplitude,
            end.saturating_sub(start),
            SAMPLE_RATE,
            &mut mono[start..],
        );
    }
    add_panned(&mono, mix.pan, channels);
}

/// Adds `mono` to the stereo `channels` at `pan` (−1 left … 1 right), with constant power.
fn add_panned(mono: &[f32], pan: f32, channels: [&mut Vec<f32>; 2]) {
    let angle = (pan + 1.0) * std::f32::consts::FRAC_PI_4;
    for (channel, weight) in channels.into_iter().zip([angle.cos(), angle.sin()]) {
        channel.iter_mut().zip(mono).for_each(|(s, m)| *s += weight * m);
    }
}
