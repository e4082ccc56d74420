//! What the tasks report, each event stamped with its time in the input.

use crate::tasks::beats::tempo::TempoEstimate;
use crate::tasks::chords::vocabulary::Chord;
use crate::tasks::key::pooling::KeyEstimate;
use crate::tasks::TaskKind;

/// A moment in the input audio: host samples and seconds since the engine's last reset (for a
/// task that was switched off and on again, the host position it restarted at counts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Time {
    /// Host samples (rounded to the nearest).
    pub sample: u64,
    /// Seconds, exactly as the task computed them.
    pub seconds: f64,
}

/// Converts a task's own seconds (counted from its last reset) into [`Time`]s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// The host sample at which the task's clock reads zero.
    pub origin: u64,
    pub host_rate: f64,
}

impl Clock {
    /// The time `seconds` after the task's start (clamped at the start): sample
    /// `origin + round(seconds × rate)`.
    pub fn at(&self, seconds: f64) -> Time {
        self.at_unclamped(seconds.max(0.0))
    }

    /// Like [`Clock::at`], but a time before the start (the first frames of a network with
    /// look-ahead describe the silence before the input) keeps its negative seconds; its sample
    /// stops at 0.
    pub fn at_unclamped(&self, seconds: f64) -> Time {
        let offset = (seconds * self.host_rate).round() as i64;
        Time {
            sample: (self.origin as i64).saturating_add(offset).max(0) as u64,
            seconds: self.origin as f64 / self.host_rate + seconds,
        }
    }
}

/// An analysis result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// A note onset, with the activation of its peak (0–1).
    Onset { time: Time, strength: f32 },
    /// A task's frame-wise output (0–1) at the time in the audio it describes: what its decoder
    /// reads, for display and for decoders of one's own.
    Activation { task: TaskKind, time: Time, value: f32 },
    /// The chord from here on (until the next), with the decoder's belief in it and in the
    /// runner-up (0–1).
    Chord { time: Time, chord: Chord, confidence: f32, runner_up: Chord, runner_up_confidence: f32 },
    /// The key as of this frame: pooled over the running window, and over everything since the
    /// last reset (for a file, its last such event gives the whole file's key).
    Key { time: Time, windowed: KeyEstimate, overall: KeyEstimate },
    /// A beat: its place in the bar (1 the downbeat, of `beats_per_bar`), the tracker's belief
    /// that a beat sounds here (0–1), and the tempo as of it, pooled over the running window
    /// and over everything since the last reset.
    Beat {
        time: Time,
        bar_position: u8,
        beats_per_bar: u8,
        confidence: f32,
        windowed: TempoEstimate,
        overall: TempoEstimate,
    },
    /// Singing starts (`singing`) or stops here, with the segmenter's belief in the change (the
    /// mean singing probability of the frames that confirmed a start, one minus it for a stop).
    Voice { time: Time, singing: bool, confidence: f32 },
}

impl Event {
    /// The time the event marks.
    pub fn time(&self) -> Time {
        match *self {
            Event::Onset { time, .. }
            | Event::Activation { time, .. }
            | Event::Chord { time, .. }
            | Event::Key { time, .. }
            | Event::Beat { time, .. }
            | Event::Voice { time, .. } => time,
        }
    }

    /// The task that reported it.
    pub fn task(&self) -> TaskKind {
        match *self {
            Event::Onset { .. } => TaskKind::Onsets,
            Event::Activation { task, .. } => task,
            Event::Chord { .. } => TaskKind::Chords,
            Event::Key { .. } => TaskKind::Key,
            Event::Beat { .. } => TaskKind::Beats,
            Event::Voice { .. } => TaskKind::Voice,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_counts_from_its_origin_in_samples_and_seconds() {
        let clock = Clock { origin: 44_100, host_rate: 44_100.0 };
        assert_eq!(clock.at(0.5), Time { sample: 66_150, seconds: 1.5 });
        assert_eq!(clock.at(-0.03), Time { sample: 44_100, seconds: 1.0 });
        let early = clock.at_unclamped(-0.03);
        assert!((early.seconds - 0.97).abs() < 1e-12 && early.sample == 42_777, "{early:?}");
        let start = Clock { origin: 0, host_rate: 48_000.0 }.at_unclamped(-0.03);
        assert_eq!((start.sample, start.seconds), (0, -0.03));
    }
}
