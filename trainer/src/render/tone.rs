//! The renderer's own synthesiser voice, which plays a part instead of its SoundFont program when
//! a render asks for it (`earshot-train dataset render --synth-tones P`). SoundFont notes end almost
//! always with a smooth sampled release; these end in every way a synthesiser can, from a hard
//! cut to a slow fade, so that training hears note endings that are not onsets.
//!
//! A voice is a band-limited harmonic spectrum (harmonic k at k^−slope, all or odd harmonics,
//! none above a brightness limit) read from a wavetable, under a linear attack, an exponential
//! decay to a sustain level, and a linear release from wherever the note was when it ended.

use rand::Rng;
use serde::{Deserialize, Serialize};
use std::f64::consts::TAU;

/// Samples in one period's wavetable.
const TABLE: usize = 2048;
/// The most harmonics a table holds.
const MAX_HARMONICS: usize = 64;

/// One part's synthesiser voice, drawn per render.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tone {
    /// Harmonic k has amplitude k^−slope: about 1 is saw-like, 2 is triangle-like.
    pub slope: f32,
    /// Odd harmonics only (square- and triangle-like) rather than all.
    pub odd_only: bool,
    /// No harmonic above this frequency (Hz).
    pub brightness_hz: f32,
    /// Linear rise to full level (seconds).
    pub attack: f32,
    /// Time constant of the exponential fall to the sustain level (seconds).
    pub decay: f32,
    /// Level held while the note lasts, 0 (a pluck) … 1 (an organ).
    pub sustain: f32,
    /// Linear fall to silence after the note ends (seconds); 0 cuts the note off.
    pub release: f32,
}

impl Tone {
    /// Draws a voice: attacks of 1–8 ms (every start is a sharp onset), and releases a third of
    /// the time a hard cut, otherwise log-uniform from 0.5 to 120 ms.
    pub fn draw(rng: &mut impl Rng) -> Tone {
        let release = if rng.random_bool(0.33) {
            0.0
        } else {
            (rng.random_range(0.5f32.ln()..120f32.ln())).exp() / 1000.0
        };
        Tone {
            slope: rng.random_range(0.8..2.5),
            odd_only: rng.random_bool(0.4),
            brightness_hz: rng.random_range(1500.0..12_000.0),
            attack: rng.random_range(0.001..0.008),
            decay: rng.random_range(0.05..1.0),
            sustain: if rng.random_bool(0.2) { 0.0 } else { rng.random_range(0.3..1.0) },
            release,
        }
    }

    /// The envelope `time` seconds after the note starts, while it is held.
    fn held_level(&self, time: f32) -> f32 {
        if time < self.attack {
            return time / self.attack;
        }
        self.sustain + (1.0 - self.sustain) * (-(time - self.attack) / self.decay).exp()
    }

    /// One period of the voice at MIDI `pitch`, peak-normalised, with no harmonic at or above
    /// the brightness limit or 0.45 of `rate` (the fundamental is always kept): the table
    /// [`Tone::play`] reads.
    pub fn wavetable(&self, pitch: u8, rate: u32) -> Vec<f32> {
        let frequency = frequency(pitch);
        let limit = (self.brightness_hz as f64).min(0.45 * rate as f64);
        let harmonics: Vec<(f64, f64)> = (1..=MAX_HARMONICS)
            .filter(|k| !self.odd_only || k % 2 == 1)
            .filter(|&k| k == 1 || k as f64 * frequency < limit)
            .map(|k| (k as f64, (k as f64).powf(-self.slope as f64)))
            .collect();
        let table: Vec<f64> = (0..TABLE)
            .map(|i| {
                let phase = TAU * i as f64 / TABLE as f64;
                harmonics.iter().map(|(k, amplitude)| amplitude * (k * phase).sin()).sum()
            })
            .collect();
        let peak = table.iter().fold(0.0f64, |m, s| m.max(s.abs())).max(1e-9);
        table.iter().map(|s| (s / peak) as f32).collect()
    }

    /// Adds one note of MIDI `pitch`, read from its [`Tone::wavetable`], at `amplitude` to
    /// `out` from its first sample, held for `held` samples and then released; what falls past
    /// `out`'s end is dropped.
    pub fn play(
        &self,
        table: &[f32],
        pitch: u8,
        amplitude: f32,
        held: usize,
        rate: u32,
        out: &mut [f32],
    ) {
        let step = frequency(pitch) * TABLE as f64 / rate as f64;
        let rate = rate as f32;
        let release = (self.release * rate) as usize;
        let end_level = self.held_level(held as f32 / rate);
        let mut phase = 0.0f64;
        for (i, sample) in out.iter_mut().take(held + release).enumerate() {
            let level = if i < held {
                self.held_level(i as f32 / rate)
            } else {
                end_level * (1.0 - (i - held) as f32 / release as f32)
            };
            let index = phase as usize;
            let fraction = (phase - index as f64) as f32;
            let value = table[index] + fraction * (table[(index + 1) % TABLE] - table[index]);
            *sample += amplitude * level * value;
            phase = (phase + step) % TABLE as f64;
        }
    }
}

/// The frequency (Hz) of a MIDI pitch.
fn frequency(pitch: u8) -> f64 {
    440.0 * 2f64.powf((pitch as f64 - 69.0) / 12.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organ(release: f32) -> Tone {
        Tone {
            slope: 1.0,
            odd_only: false,
            brightness_hz: 8000.0,
            attack: 0.002,
            decay: 0.1,
            sustain: 1.0,
            release,
        }
    }

    #[test]
    fn a_note_sounds_while_held_and_is_silent_after_its_release() {
        let mut out = vec![0.0f32; 44_100];
        let tone = organ(0.02);
        tone.play(&tone.wavetable(69, 44_100), 69, 0.5, 22_050, 44_100, &mut out);
        let peak =
            |range: std::ops::Range<usize>| out[range].iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak(10_000..22_050) - 0.5).abs() < 0.01);
        assert!(peak(22_050 + 441..22_050 + 442) > 0.0);
        assert_eq!(peak(22_050 + 882..44_100), 0.0);
    }

    #[test]
    fn a_cut_note_stops_at_its_last_held_sample() {
        let mut out = vec![0.0f32; 4000];
        let tone = organ(0.0);
        tone.play(&tone.wavetable(60, 44_100), 60, 0.5, 2000, 44_100, &mut out);
        assert!(out[1900..2000].iter().any(|s| s.abs() > 0.3));
        assert!(out[2000..].iter().all(|s| *s == 0.0));
    }

    #[test]
    fn the_wavetable_holds_no_harmonic_above_its_limit() {
        // B5 (988 Hz) with a 3.5 kHz limit: harmonics 1–3 only, so one period's spectrum has
        // nothing at bin 4 and above.
        let tone = Tone { brightness_hz: 3500.0, ..organ(0.0) };
        let table = tone.wavetable(83, 44_100);
        let bin = |k: f64| {
            let (re, im) = table.iter().enumerate().fold((0.0, 0.0), |(re, im), (i, s)| {
                let phase = TAU * k * i as f64 / TABLE as f64;
                (re + *s as f64 * phase.cos(), im + *s as f64 * phase.sin())
            });
            (re * re + im * im).sqrt() / TABLE as f64
        };
        assert!(bin(3.0) > 0.05);
        assert!(bin(4.0) < 1e-6 && bin(5.0) < 1e-6);
    }

    #[test]
    fn drawn_voices_attack_sharply_and_release_within_120_ms() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::SmallRng::seed_from_u64(3);
        let tones: Vec<Tone> = (0..200).map(|_| Tone::draw(&mut rng)).collect();
        assert!(tones.iter().all(|t| t.attack <= 0.008 && t.release <= 0.12));
        let cuts = tones.iter().filter(|t| t.release == 0.0).count();
        assert!((40..100).contains(&cuts), "{cuts} cuts of 200");
    }
}
