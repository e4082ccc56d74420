//! One song rendered: arranged, synthesised, mixed, and written beside its labels.

use super::arrange::{self, Arrangement, SongLabels};
use super::plan::RenderPlan;
use super::score::Score;
use super::{labels, mix, salience, synth};
use earshot_io::annotations::{events, key, segments, suffix};
use earshot_io::audio::{self, Audio};
use rustysynth::SoundFont;
use std::path::Path;
use std::sync::Arc;

/// A rendered song: its audio, what was played, and how.
pub struct Rendered {
    pub audio: Audio,
    pub arrangement: Arrangement,
    pub plan: RenderPlan,
    /// Each onset's salience in dB, in the order of the onset labels, when it was measured.
    pub onset_salience: Option<Vec<f32>>,
}

/// Renders `score` with its labels as `plan` says, measuring each onset's salience if asked.
pub fn render(
    score: &Score,
    song_labels: &SongLabels,
    plan: RenderPlan,
    soundfont: &Arc<SoundFont>,
    measure_salience: bool,
) -> Result<Rendered, String> {
    let arrangement = arrange::arrange(score, song_labels, &plan)?;
    let mut channels = synth::synthesize(&arrangement, &plan, soundfont)?;
    mix::finish(&mut channels, &plan, synth::SAMPLE_RATE);
    let audio = Audio { sample_rate: synth::SAMPLE_RATE, channels: channels.to_vec() };
    let onset_salience = if measure_salience {
        let stems = plan
            .parts
            .iter()
            .map(|mix| {
                let [left, right] =
                    synth::synthesize_stem(&arrangement, &plan, soundfont, mix.part)?;
                Ok((mix.part, left.iter().zip(&right).map(|(l, r)| (l + r) / 2.0).collect()))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let onsets = labels::onsets(&arrangement, &plan);
        Some(salience::onset_salience(&onsets, &arrangement, &stems))
    } else {
        None
    };
    Ok(Rendered { audio, arrangement, plan, onset_salience })
}

impl Rendered {
    /// Writes `STEM.wav` and its labels into `dir`: `STEM.onsets.txt`, `STEM.beats.txt` (time,
    /// position in the bar), `STEM.chords.lab`, `STEM.key.txt`, `STEM.melody.lab` (`voice` or
    /// `lead` phrases), `STEM.notes.txt` (each pitched note's start and MIDI pitch), `STEM.json`
    /// (the plan and counts) and, when measured, `STEM.salience.txt` (onset time, salience in
    /// dB). The WAV is 16-bit, stereo or, with `mono`, the channels' average.
    pub fn write(&self, dir: &Path, stem: &str, mono: bool) -> Result<(), String> {
        let path = |suffix: &str| dir.join(format!("{stem}{suffix}"));
        let fail = |e: &dyn std::fmt::Display| e.to_string();
        let audio = if mono {
            Audio { sample_rate: self.audio.sample_rate, channels: vec![self.audio.mono()] }
        } else {
            self.audio.clone()
        };
        audio::write_wav_as(&path(".wav"), &audio, audio::WavFormat::Pcm16)
            .map_err(|e| fail(&e))?;
        let onsets = labels::onsets(&self.arrangement, &self.plan);
        events::write(&path(suffix::ONSETS), &onsets).map_err(|e| fail(&e))?;
        if let Some(salience) = &self.onset_salience {
            let scored: Vec<events::Event> = onsets
                .iter()
                .zip(salience)
                .map(|(onset, db)| events::Event {
                    time: onset.time,
                    value: Some(format!("{db:.1}")),
                })
                .collect();
            events::write(&path(suffix::SALIENCE), &scored).map_err(|e| fail(&e))?;
        }
        events::write(&path(suffix::NOTES), &labels::note_starts(&self.arrangement))
            .map_err(|e| fail(&e))?;
        events::write(&path(suffix::BEATS), &labels::beats(&self.arrangement))
            .map_err(|e| fail(&e))?;
        segments::write(&path(suffix::CHORDS), &self.arrangement.chords).map_err(|e| fail(&e))?;
        key::write(&path(suffix::KEY), &self.arrangement.key).map_err(|e| fail(&e))?;
        let melody = labels::melody_activity(&self.arrangement, &self.plan);
        segments::write(&path(suffix::MELODY), &melody).map_err(|e| fail(&e))?;
        let summary = serde_json::json!({
            "plan": self.plan,
            "duration_seconds": self.audio.duration(),
            "notes": self.arrangement.notes.len(),
            "onsets": onsets.len(),
            "beats": self.arrangement.beats.len(),
            "chords": self.arrangement.chords.len(),
            "melody_phrases": melody.len(),
        });
        let text = serde_json::to_string_pretty(&summary).expect("plans serialise");
        std::fs::write(path(".json"), text).map_err(|e| format!("{}: {e}", path(".json").display()))
    }
}
