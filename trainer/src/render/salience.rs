//! How audible each labelled onset is in the mix: the power its own notes add in the first
//! 50 ms, against what already sounds then — every other part, and the part's own earlier
//! notes — in the mel band where that ratio is largest. An onset buried under louder sound in
//! every band scores far below 0 dB; one that stands out in some band scores above. It is a
//! measurement for evaluation (which misses were audible at all), not a label the network
//! trains on.

use super::arrange::Arrangement;
use super::labels::ONSET_MERGE;
use super::score::Part;
use earshot_dsp::config::{Compression, FrontendConfig, Spectrum, StreamConfig};
use earshot_dsp::Frontend;
use earshot_io::annotations::events::Event;

/// The length of the windows compared before and after an onset (seconds).
pub const WINDOW: f64 = 0.05;
/// The analysis: 2048-sample frames every 10 ms at 44.1 kHz, 80 mel bands of power.
const RATE: u32 = 44_100;
const HOP: usize = 441;
const FRAME: usize = 2048;
/// Frames centred this far or more before an onset hold none of its sound (half a frame).
const HALF_FRAME: f64 = FRAME as f64 / 2.0 / RATE as f64;
/// A floor under the masker, 60 dB below the song's mean power (all bands): a note in a silent
/// band scores high, not infinite, and power far below the mix's level does not count as heard.
const FLOOR: f64 = 1e-6;
/// Masking spreads to neighbouring bands: a band's masker is at least each other band's, less
/// this much per band between them (5 dB; three bands are about one critical band here, so
/// about 16 dB per critical band, a gentle slope for simultaneous masking).
const SPREAD_DB_PER_BAND: f64 = 5.0;
/// The score of an onset whose notes add no power at all.
pub const SILENT: f32 = -120.0;

fn mel_power(signal: &[f32]) -> Vec<Vec<f32>> {
    let mut stream = StreamConfig::log_mel(FRAME, 80, 27.5, 16_000.0);
    stream.spectrum = Spectrum::Power;
    stream.compression = Compression::None;
    let config = FrontendConfig {
        sample_rate: RATE,
        hop_length: HOP,
        streams: vec![stream],
        standardisation: None,
    };
    Frontend::process_signal(&config, RATE as f64, &[signal]).expect("a valid fixed config")
}

/// The mean of `frames` over the frames centred in `from..=to` seconds (zeros if none).
fn mean_between(frames: &[Vec<f32>], from: f64, to: f64) -> Vec<f64> {
    let first = (from * RATE as f64 / HOP as f64).ceil().max(0.0) as usize;
    let last =
        ((to * RATE as f64 / HOP as f64).floor() as usize).min(frames.len().saturating_sub(1));
    let bands = frames.first().map_or(0, Vec::len);
    let mut sum = vec![0.0f64; bands];
    for frame in frames.get(first..=last).unwrap_or(&[]) {
        sum.iter_mut().zip(frame).for_each(|(s, v)| *s += *v as f64);
    }
    let count = (last + 1).saturating_sub(first).max(1) as f64;
    sum.into_iter().map(|s| s / count).collect()
}

/// `power` with masking spread over neighbouring bands (see [`SPREAD_DB_PER_BAND`]).
fn spread(power: &[f64]) -> Vec<f64> {
    (0..power.len())
        .map(|band| {
            power
                .iter()
                .enumerate()
                .map(|(other, p)| {
                    p * 10f64.powf(-SPREAD_DB_PER_BAND * band.abs_diff(other) as f64 / 10.0)
                })
                .fold(0.0, f64::max)
        })
        .collect()
}

/// The salience in dB of each onset in `onsets` (same order), from the mono stem of every part
/// (all at 44.1 kHz, one length). The parts of an onset are those with a note starting within
/// [`ONSET_MERGE`] of it; its salience is the largest of theirs.
pub fn onset_salience(
    onsets: &[Event],
    arrangement: &Arrangement,
    stems: &[(Part, Vec<f32>)],
) -> Vec<f32> {
    let length = stems.first().map_or(0, |(_, s)| s.len());
    let own: Vec<Vec<Vec<f32>>> = stems.iter().map(|(_, stem)| mel_power(stem)).collect();
    let others: Vec<Vec<Vec<f32>>> = (0..stems.len())
        .map(|index| {
            let mut rest = vec![0.0f32; length];
            for (_, stem) in stems.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, s)| s) {
                rest.iter_mut().zip(stem).for_each(|(r, s)| *r += s);
            }
            mel_power(&rest)
        })
        .collect();
    let total: f64 = own.iter().flatten().flatten().map(|v| *v as f64).sum();
    let frames = own.first().map_or(1, Vec::len).max(1) as f64;
    let floor = FLOOR * (total / frames).max(f64::MIN_POSITIVE);
    onsets
        .iter()
        .map(|onset| {
            let t = onset.time;
            let sounding = |part: Part| {
                arrangement
                    .notes
                    .iter()
                    .any(|n| n.part == part && n.start >= t && n.start < t + ONSET_MERGE)
            };
            let mut best = SILENT;
            for (index, (part, _)) in stems.iter().enumerate() {
                if !sounding(*part) {
                    continue;
                }
                let before = mean_between(&own[index], t - HALF_FRAME - WINDOW, t - HALF_FRAME);
                let after = mean_between(&own[index], t, t + WINDOW);
                let masker = spread(&mean_between(&others[index], t, t + WINDOW));
                for ((a, b), m) in after.iter().zip(&before).zip(&masker) {
                    let added = a - b;
                    if added > 0.0 {
                        best = best.max((10.0 * (added / (m + b + floor)).log10()) as f32);
                    }
                }
            }
            best
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::score::Note;
    use earshot_io::annotations::key::Key;

    fn sine(frequency: f32, amplitude: f32, from: f64, to: f64) -> Vec<f32> {
        (0..3 * RATE as usize)
            .map(|i| {
                let t = i as f64 / RATE as f64;
                // A 10 ms attack, as an instrument's, not a click.
                let envelope = ((t - from) / 0.01).clamp(0.0, 1.0) as f32;
                if t >= from && t < to {
                    envelope * amplitude * (2.0 * std::f32::consts::PI * frequency * t as f32).sin()
                } else {
                    0.0
                }
            })
            .collect()
    }

    fn note(part: Part, start: f64) -> Note {
        Note { part, start, end: start + 0.5, pitch: 60, velocity: 100 }
    }

    #[test]
    fn a_note_alone_stands_out_a_masked_one_scores_its_level_below_the_masker() {
        let arrangement = Arrangement {
            notes: vec![
                note(Part::Piano, 0.0),
                note(Part::Melody, 1.0),
                note(Part::Melody, 1.5),
                note(Part::Bridge, 2.0),
            ],
            beats: vec![],
            chords: vec![],
            key: Key::parse("C:major").unwrap(),
        };
        // The melody's 440 Hz tone starts at 1 s and goes on through a re-struck note at 1.5 s;
        // the bridge's quiet 880 Hz tone at 2 s sits under the piano's loud one (34 dB louder).
        let stems = vec![
            (Part::Piano, sine(880.0, 0.5, 0.0, 3.0)),
            (Part::Melody, sine(440.0, 0.5, 1.0, 3.0)),
            (Part::Bridge, sine(880.0, 0.01, 2.0, 3.0)),
        ];
        let onsets: Vec<Event> =
            [1.0, 1.5, 2.0].iter().map(|&time| Event { time, value: None }).collect();
        let salience = onset_salience(&onsets, &arrangement, &stems);
        assert!(salience[0] > 30.0, "{salience:?}");
        assert!(salience[1] < -20.0, "{salience:?}");
        // 20·log10(0.01 / 0.5) = −34 dB; the window's first frames hold only part of the
        // note, which lowers its mean power by up to 3 dB.
        assert!((-37.0..-33.5).contains(&salience[2]), "{salience:?}");
    }
}
