//! Synthetic signals with known onsets, shared by the crates' tests.

pub mod soundfont;

/// Adds a harmonic tone (fundamental `pitch` in Hz and three overtones at 1/k amplitude) starting
/// at `audio[0]`, at `level`, decaying exponentially with time constant `decay` seconds, over the
/// whole of `audio` (slice it to place and shorten the note).
pub fn add_decaying_tone(audio: &mut [f32], rate: f64, pitch: f64, level: f64, decay: f64) {
    for (i, sample) in audio.iter_mut().enumerate() {
        let t = i as f64 / rate;
        let tone: f64 =
            (1..=4).map(|k| (std::f64::consts::TAU * pitch * k as f64 * t).sin() / k as f64).sum();
        *sample += (level * (-t / decay).exp() * tone) as f32;
    }
}

/// Adds a held FM tone (carrier `pitch` in Hz, modulator at twice it, index 2) starting at
/// `audio[0]` with a 5 ms linear attack, at `level` for `held` seconds, then falling linearly to
/// silence over `release` seconds (0: cut off). Nothing is added after that.
pub fn add_held_tone(
    audio: &mut [f32],
    rate: f64,
    pitch: f64,
    level: f64,
    held: f64,
    release: f64,
) {
    let tau = std::f64::consts::TAU;
    let length = ((held + release) * rate).round() as usize;
    for (i, sample) in audio.iter_mut().take(length).enumerate() {
        let t = i as f64 / rate;
        let envelope = (t / 0.005).min(1.0) * (1.0 - (t - held).max(0.0) / release.max(1e-12));
        let tone = (tau * pitch * t + 2.0 * (tau * 2.0 * pitch * t).sin()).sin();
        *sample += (level * envelope * tone) as f32;
    }
}

/// A chord progression at `rate`: chord `i % chords.len()` for bar `i` of `bars`, a bar of four
/// beats at `bpm`, the chord's pitch classes (root first; in the octave from middle C) struck
/// on every beat as decaying tones over the root an octave and a half lower, then a second of
/// silence. Gives the audio and each bar's start and end in seconds.
pub fn chord_progression(
    rate: f64,
    bpm: f64,
    chords: &[[u8; 3]],
    bars: usize,
) -> (Vec<f32>, Vec<(f64, f64)>) {
    let frequency = |key: i32| 440.0 * 2f64.powf((key - 69) as f64 / 12.0);
    let beat = 60.0 / bpm;
    let mut audio = vec![0.0f32; ((bars * 4) as f64 * beat * rate + rate) as usize];
    let mut spans = Vec::with_capacity(bars);
    for bar in 0..bars {
        let tones = chords[bar % chords.len()];
        let start = (bar * 4) as f64 * beat;
        spans.push((start, start + 4.0 * beat));
        for strike in 0..4 {
            let at = ((start + strike as f64 * beat) * rate) as usize;
            let end = at + (beat * rate) as usize;
            for pc in tones {
                add_decaying_tone(&mut audio[at..end], rate, frequency(60 + pc as i32), 0.08, 0.6);
            }
            let bass = frequency(36 + tones[0] as i32);
            add_decaying_tone(&mut audio[at..end], rate, bass, 0.12, 0.8);
        }
    }
    (audio, spans)
}

/// A band clip: D–Bm–G–A, a bar each, `bars` bars at `bpm` (see [`chord_progression`]) with a
/// drum groove over it (see [`add_drum_groove`]). Gives the audio and each beat's time and
/// place in the bar.
pub fn band_clip(rate: f64, bpm: f64, bars: usize) -> (Vec<f32>, Vec<(f64, u8)>) {
    let chords = [[2, 6, 9], [11, 2, 6], [7, 11, 2], [9, 1, 4]];
    let (mut audio, _) = chord_progression(rate, bpm, &chords, bars);
    let beats = add_drum_groove(&mut audio, rate, bpm, bars);
    (audio, beats)
}

/// Adds a drum groove of `bars` four-beat bars at `bpm` from `audio[0]`: a kick (a sine
/// falling from 120 to 50 Hz) on beats 1 and 3, a snare (a noise burst over a 190 Hz tone) on
/// 2 and 4, a closed hi-hat (short high-passed noise) on every eighth note, the downbeat's
/// kick the loudest. Gives each beat's time in seconds and its place in the bar (1–4).
pub fn add_drum_groove(audio: &mut [f32], rate: f64, bpm: f64, bars: usize) -> Vec<(f64, u8)> {
    let beat = 60.0 / bpm;
    let mut noise = Noise(0x2545_f491);
    let mut beats = Vec::with_capacity(bars * 4);
    for index in 0..bars * 8 {
        let time = index as f64 * beat / 2.0;
        let at = (time * rate).round() as usize;
        if at >= audio.len() {
            break;
        }
        let hit = &mut audio[at..];
        add_hat(hit, rate, &mut noise, if index % 2 == 0 { 0.05 } else { 0.03 });
        if index % 2 == 1 {
            continue;
        }
        let position = (index / 2 % 4) as u8 + 1;
        beats.push((time, position));
        match position {
            1 => add_kick(hit, rate, 0.5),
            3 => add_kick(hit, rate, 0.35),
            _ => add_snare(hit, rate, &mut noise, 0.25),
        }
    }
    beats
}

/// A deterministic white-noise source (xorshift), values in −1..1.
struct Noise(u32);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 as f64 / u32::MAX as f64 * 2.0 - 1.0
    }
}

fn add_kick(audio: &mut [f32], rate: f64, level: f64) {
    let mut phase = 0.0;
    for (i, sample) in audio.iter_mut().take((0.3 * rate) as usize).enumerate() {
        let t = i as f64 / rate;
        phase += std::f64::consts::TAU * (50.0 + 70.0 * (-t / 0.03).exp()) / rate;
        *sample += (level * (-t / 0.12).exp() * phase.sin()) as f32;
    }
}

fn add_snare(audio: &mut [f32], rate: f64, noise: &mut Noise, level: f64) {
    for (i, sample) in audio.iter_mut().take((0.2 * rate) as usize).enumerate() {
        let t = i as f64 / rate;
        let tone = (std::f64::consts::TAU * 190.0 * t).sin() * (-t / 0.04).exp();
        *sample += (level * (0.7 * noise.next() * (-t / 0.06).exp() + 0.5 * tone)) as f32;
    }
}

fn add_hat(audio: &mut [f32], rate: f64, noise: &mut Noise, level: f64) {
    let mut previous = 0.0;
    for (i, sample) in audio.iter_mut().take((0.05 * rate) as usize).enumerate() {
        let t = i as f64 / rate;
        let white = noise.next();
        // A first difference: noise tilted towards the highs.
        *sample += (level * (white - previous) * (-t / 0.015).exp()) as f32;
        previous = white;
    }
}

/// A 16-bit PCM WAV file, written by hand with the plain `WAVE_FORMAT_PCM` header whatever the
/// channel count, of `frames` frames at `rate` whose channel `c` holds the value `c + 1`
/// throughout (so that channel order can be checked).
pub fn pcm16_wav(rate: u32, channels: u16, frames: u32) -> Vec<u8> {
    let block = 2 * u32::from(channels);
    let data = block * frames;
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + data).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&channels.to_le_bytes());
    bytes.extend_from_slice(&rate.to_le_bytes());
    bytes.extend_from_slice(&(rate * block).to_le_bytes());
    bytes.extend_from_slice(&(block as u16).to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&data.to_le_bytes());
    for _ in 0..frames {
        for c in 0..channels {
            bytes.extend_from_slice(&(c as i16 + 1).to_le_bytes());
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tone_starts_at_its_level_and_decays() {
        let rate = 8000.0;
        let mut audio = vec![0.1f32; 8000];
        add_decaying_tone(&mut audio, rate, 100.0, 0.5, 0.1);
        let peak = |samples: &[f32]| samples.iter().fold(0.0f32, |m, x| m.max((x - 0.1).abs()));
        // The first 10 ms hold the tone's first peak, near 0.5 × (sum of the partials' sines).
        assert!(peak(&audio[..80]) > 0.4, "start {}", peak(&audio[..80]));
        // After 0.5 s, five time constants, it is below e^-5 of that.
        assert!(peak(&audio[4000..]) < 0.5 * 2.1 * (-5.0f64).exp() as f32);
        assert_eq!(audio[0], 0.1, "the tone starts at phase 0 on top of what was there");
    }

    #[test]
    fn a_groove_marks_four_beats_a_bar_and_sounds_on_each() {
        let rate = 8000.0;
        let mut audio = vec![0.0f32; 8000 * 5];
        let beats = add_drum_groove(&mut audio, rate, 120.0, 2);
        let positions: Vec<u8> = beats.iter().map(|b| b.1).collect();
        assert_eq!(positions, [1, 2, 3, 4, 1, 2, 3, 4]);
        assert_eq!(beats[5].0, 2.5);
        let peak = |samples: &[f32]| samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        for (time, _) in beats {
            let at = (time * rate) as usize;
            assert!(peak(&audio[at..at + 400]) > 0.2, "a hit at {time} s");
        }
    }

    #[test]
    fn a_held_tone_holds_its_level_releases_and_then_adds_nothing() {
        let rate = 8000.0;
        let mut audio = vec![0.0f32; 8000];
        add_held_tone(&mut audio, rate, 200.0, 0.5, 0.5, 0.1);
        let peak = |samples: &[f32]| samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        assert!((peak(&audio[3000..4000]) - 0.5).abs() < 0.01);
        assert!(peak(&audio[4400..4480]) < 0.3 && peak(&audio[4400..4480]) > 0.1);
        assert_eq!(peak(&audio[4800..]), 0.0);
        let mut cut = vec![0.0f32; 8000];
        add_held_tone(&mut cut, rate, 200.0, 0.5, 0.5, 0.0);
        assert!(peak(&cut[3900..4000]) > 0.45);
        assert_eq!(peak(&cut[4000..]), 0.0);
    }
}
