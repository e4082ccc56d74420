//! Synthetic signals with known onsets, shared by the crates' tests.

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
}
