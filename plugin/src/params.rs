//! The plugin's parameters and the editor state that the host saves with the project.

use crate::meter::DEFAULT_HOLD_S;
use crate::tasks::beats::BeatParams;
use crate::tasks::chords::ChordParams;
use crate::tasks::key::KeyParams;
use crate::tasks::onsets::OnsetParams;
use crate::tasks::voice::VoiceParams;
use earshot_engine::SettingSpec;
use nice_plug::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, RwLock};

/// The editor's size in logical pixels, saved with the host's project.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EditorSize {
    pub width: u32,
    pub height: u32,
}

impl EditorSize {
    /// The size a new instance opens with.
    pub const DEFAULT: Self = Self { width: 1120, height: 720 };
    /// The smallest size the layout is designed for (the spectrogram keeps about 70 points,
    /// the chord card its controls row beside the beat and input cards).
    pub const MIN: Self = Self { width: 1000, height: 620 };
    /// The largest size a host may ask for.
    pub const MAX: Self = Self { width: 3840, height: 2160 };

    /// Clamps a size (possibly from an old or hand-edited state) into the supported range.
    pub fn clamped(self) -> Self {
        Self {
            width: self.width.clamp(Self::MIN.width, Self::MAX.width),
            height: self.height.clamp(Self::MIN.height, Self::MAX.height),
        }
    }
}

/// A MIDI key parameter (0–127) shown and typed as a note name (`C4` is 60).
pub fn midi_key_param(name: &str, key: u8) -> IntParam {
    IntParam::new(name, key as i32, IntRange::Linear { min: 0, max: 127 })
        .with_value_to_string(formatters::v2s_i32_key_formatter())
        .with_string_to_value(formatters::s2v_i32_key_formatter())
}

/// A 0–1 setting of a task shown and typed as a percentage, in steps of 1 %.
pub fn percent_param(name: &str, spec: &SettingSpec) -> FloatParam {
    FloatParam::new(name, spec.default, FloatRange::Linear { min: spec.min, max: spec.max })
        .with_step_size(0.01)
        .with_value_to_string(formatters::v2s_f32_percentage(0))
        .with_string_to_value(formatters::s2v_f32_percentage())
        .with_unit("%")
}

/// A MIDI channel parameter, shown 1–16, starting at `channel` (0–15, as MIDI numbers them).
pub fn midi_channel_param(name: &str, channel: u8) -> IntParam {
    IntParam::new(name, channel as i32 + 1, IntRange::Linear { min: 1, max: 16 })
}

/// The MIDI channel (0–15) a [`midi_channel_param`] holds.
pub fn midi_channel(param: &IntParam) -> u8 {
    (param.value() - 1).clamp(0, 15) as u8
}

/// Everything the host automates or stores for an Earshot instance.
#[derive(Params)]
pub struct EarshotParams {
    /// How long the meter's peak marker stays at the highest level before it falls, in seconds.
    #[id = "peak_hold"]
    pub peak_hold: FloatParam,

    /// The onset task's parameters.
    #[nested(group = "Onsets")]
    pub onsets: OnsetParams,
    /// The chord task's parameters.
    #[nested(group = "Chords")]
    pub chords: ChordParams,
    /// The key task's parameters.
    #[nested(group = "Key")]
    pub key: KeyParams,
    /// The beat task's parameters.
    #[nested(group = "Beats")]
    pub beats: BeatParams,
    /// The voice task's parameters.
    #[nested(group = "Voice")]
    pub voice: VoiceParams,
    /// Report the analysis latency to the host (and delay the audio by it), so recorded MIDI
    /// lines up with the audio exactly. Off, the audio passes untouched and notes come late by
    /// the latency.
    #[id = "report_latency"]
    pub report_latency: BoolParam,

    /// The editor window's size.
    #[persist = "editor-size"]
    pub editor_size: Arc<RwLock<EditorSize>>,
}

impl Default for EarshotParams {
    fn default() -> Self {
        Self {
            peak_hold: FloatParam::new(
                "Peak hold",
                DEFAULT_HOLD_S,
                FloatRange::Linear { min: 0.0, max: 10.0 },
            )
            .with_step_size(0.1)
            .with_unit(" s")
            .with_value_to_string(formatters::v2s_f32_rounded(1)),
            onsets: OnsetParams::default(),
            chords: ChordParams::default(),
            key: KeyParams::default(),
            beats: BeatParams::default(),
            voice: VoiceParams::default(),
            report_latency: BoolParam::new("Align MIDI (report latency)", false),
            editor_size: Arc::new(RwLock::new(EditorSize::DEFAULT)),
        }
    }
}
