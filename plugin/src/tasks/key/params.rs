//! The key task's parameters: whether it runs and how far back the live key listens.

use earshot_engine::tasks::key::WINDOW;
use nice_plug::prelude::*;

#[derive(Params)]
pub struct KeyParams {
    /// Whether the key finder runs (the key shown, and the spelling and colours of chords).
    #[id = "key"]
    pub enabled: BoolParam,
    /// Seconds the live key is pooled over: shorter follows a modulation sooner, longer is
    /// steadier.
    #[id = "key_window"]
    pub window: FloatParam,
}

impl Default for KeyParams {
    fn default() -> Self {
        Self {
            enabled: BoolParam::new("Key", true),
            window: FloatParam::new(
                "Key window",
                WINDOW.default,
                FloatRange::Skewed {
                    min: WINDOW.min,
                    max: WINDOW.max,
                    factor: FloatRange::skew_factor(-2.0),
                },
            )
            .with_step_size(1.0)
            .with_unit(" s")
            .with_value_to_string(formatters::v2s_f32_rounded(0)),
        }
    }
}
