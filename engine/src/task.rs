//! The seam every analysis task implements.

use crate::event::{Clock, Event};
use crate::tasks::TaskKind;
use earshot_dsp::InputStage;

/// A setting of a task that may change while it runs: a plug-in parameter, a CLI option.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SettingSpec {
    pub name: &'static str,
    /// One line on what it does.
    pub help: &'static str,
    pub min: f32,
    pub max: f32,
    pub default: f32,
}

impl SettingSpec {
    /// `value` as the task uses it: NaN counts as the default, and the rest is clamped to the
    /// range.
    pub fn sanitise(&self, value: f32) -> f32 {
        if value.is_nan() {
            self.default
        } else {
            value.clamp(self.min, self.max)
        }
    }
}

/// A live analysis task: analysis-rate samples in, [`Event`]s out. Everything is sized when it
/// is built; `push`, `set` and `reset` never allocate, lock or panic.
pub trait LiveTask: Send {
    fn kind(&self) -> TaskKind;

    /// The rate its samples must arrive at (its frontend's analysis rate).
    fn analysis_rate(&self) -> u32;

    /// The worst delay, in host samples, from a sound in the input to the event that marks it,
    /// when `input` feeds the task.
    fn latency_samples(&self, input: &InputStage) -> usize;

    /// Forgets all audio: as at the start.
    fn reset(&mut self);

    /// Sets setting `index` of its [`TaskEntry::settings`](crate::TaskEntry) (clamped to its
    /// range; NaN counts as the default).
    fn set(&mut self, index: usize, value: f32);

    /// Takes analysis-rate samples and emits every event they complete, timed by `clock`.
    fn push(&mut self, samples: &[f32], clock: &Clock, emit: &mut dyn FnMut(Event));

    /// The weights' metadata: how they were trained (the `command` key), their look-ahead, …
    fn metadata(&self) -> &[(String, String)];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_takes_nan_as_its_default_and_clamps_the_rest() {
        let spec = SettingSpec { name: "x", help: "", min: 2.0, max: 120.0, default: 10.0 };
        assert_eq!(spec.sanitise(f32::NAN), 10.0);
        assert_eq!(spec.sanitise(500.0), 120.0);
        assert_eq!(spec.sanitise(f32::NEG_INFINITY), 2.0);
        assert_eq!(spec.sanitise(30.0), 30.0);
    }
}
