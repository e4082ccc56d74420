//! The onset task on the audio thread: the shipped detector, MIDI notes scheduled so that they
//! line up with the audio once the host compensates the reported latency, and the activation
//! lane and onset marks for the editor.
//!
//! Every onset becomes a note at `onset position + latency` on the host's timeline. The latency
//! is the detector's worst-case delay, so the note is always still in the future when the onset
//! is found; with latency reporting on, the host shifts the plug-in's output (audio, delayed by
//! the same amount here, and MIDI) back by it, and the recorded notes sit on the onsets.

use crate::note_schedule::{NoteMessage, NoteSchedule};
use earshot_nn::tasks::onsets::{OnsetDetector, OnsetEvent};

/// Columns per second of the onset lane (the detector's frame rate).
pub const LANE_RATE: f64 = 100.0;
/// A note lasts 20 ms, or less when the next onset comes sooner (see [`NoteSchedule::add`]).
const NOTE_SECONDS: f64 = 0.02;
/// Notes waiting for their time; more than this many at once means absurd settings, and the
/// extra ones are dropped rather than allocating.
const SCHEDULE_CAPACITY: usize = 64;
/// Lane messages the editor's queue holds if the editor falls behind.
pub const LANE_CAPACITY: usize = 1024;

/// What the editor's onset lane receives, at lane column `index` since the last reset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LaneEvent {
    Activation { index: u64, value: f32 },
    Onset { index: u64, strength: f32 },
}

/// The MIDI note the onsets go out on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnsetNote {
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// MIDI key, 0–127.
    pub key: u8,
}

/// Why the onset task cannot run at `sample_rate` (the frontend refuses rates with no small
/// ratio to its own, whose resampling would delay the analysis by up to half a second, and the
/// most extreme ones), or `None` when it can. It builds a detector, as [`OnsetEngine::new`]
/// does: not for the audio thread.
pub fn unsupported_rate(sample_rate: f32) -> Option<String> {
    OnsetDetector::with_default_weights(sample_rate as f64, 0.5).err().map(|e| e.to_string())
}

/// The audio-thread side of the onset task.
pub struct OnsetEngine {
    detector: OnsetDetector,
    sample_rate: f64,
    latency: u64,
    /// The host sample at which the detector's clock starts (its last reset).
    origin: u64,
    /// The host sample the next block should start at; a block starting elsewhere (the task was
    /// switched off meanwhile) restarts the detector there.
    next: u64,
    schedule: NoteSchedule,
    /// Notes found after their time had passed (sent at the start of the block instead); the
    /// latency bound makes this zero.
    late_notes: u64,
}

impl OnsetEngine {
    /// An engine for audio at `sample_rate` (allocates: call from `activate`); `None` for a rate
    /// the frontend cannot take.
    pub fn new(sample_rate: f32, sensitivity: f32) -> Option<Self> {
        let detector = OnsetDetector::with_default_weights(sample_rate as f64, sensitivity).ok()?;
        let latency = detector.latency_samples() as u64;
        Some(OnsetEngine {
            detector,
            sample_rate: sample_rate as f64,
            latency,
            origin: 0,
            next: 0,
            schedule: NoteSchedule::new(SCHEDULE_CAPACITY),
            late_notes: 0,
        })
    }

    /// The delay, in host samples, between a sound and its note (what the plug-in reports).
    pub fn latency_samples(&self) -> u32 {
        self.latency.min(u32::MAX as u64) as u32
    }

    pub fn set_sensitivity(&mut self, sensitivity: f32) {
        self.detector.set_sensitivity(sensitivity);
    }

    /// Notes that were found too late to go out at their time, since the start.
    pub fn late_notes(&self) -> u64 {
        self.late_notes
    }

    /// Forgets all audio and pending notes; the detector's clock starts again at host sample
    /// `at`.
    pub fn restart(&mut self, at: u64) {
        self.detector.reset();
        self.schedule.clear();
        (self.origin, self.next) = (at, at);
    }

    /// Analyses one block, which starts at host sample `start` (samples since the plug-in's last
    /// reset), handing `lane` what the editor shows, then hands `send` every MIDI message due in
    /// the block, in time order, with its sample offset in the block. Onsets found in this block
    /// go out on `note`.
    pub fn process(
        &mut self,
        channels: &[&mut [f32]],
        frames: usize,
        start: u64,
        note: OnsetNote,
        mut lane: impl FnMut(LaneEvent),
        send: impl FnMut(u32, &NoteMessage),
    ) {
        if start != self.next {
            self.restart(start);
        }
        let Self { detector, sample_rate, latency, schedule, origin, .. } = self;
        let origin_seconds = *origin as f64 / *sample_rate;
        let lane_index = |time: f64| ((origin_seconds + time) * LANE_RATE).round().max(0.0) as u64;
        detector.push(channels, frames, |event| match event {
            OnsetEvent::Activation { time, value } => {
                lane(LaneEvent::Activation { index: lane_index(time), value });
            }
            OnsetEvent::Onset { time, strength } => {
                lane(LaneEvent::Onset { index: lane_index(time), strength });
                let position = *origin + (time * *sample_rate).round() as u64 + *latency;
                let length = (NOTE_SECONDS * *sample_rate).round() as u64;
                schedule.add(position, length, note.channel, note.key, strength);
            }
        });
        let end = start + frames as u64;
        self.late_notes += self.schedule.take_due(start, end, send);
        self.next = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use earshot_test_signals::add_decaying_tone;

    #[test]
    fn the_rates_the_onset_task_refuses_are_named_with_the_reason() {
        for rate in [22_050.0, 32_000.0, 44_100.0, 48_000.0, 88_200.0, 96_000.0, 192_000.0] {
            assert_eq!(unsupported_rate(rate), None, "{rate} Hz");
        }
        for rate in [44_101.0, 705_600.0] {
            let reason = unsupported_rate(rate).expect("refused");
            assert!(reason.contains(&format!("{rate} Hz")), "{reason}");
            assert!(OnsetEngine::new(rate, 0.5).is_none(), "{rate} Hz: the engine runs");
        }
    }

    const NOTE: OnsetNote = OnsetNote { channel: 0, key: 60 };

    /// Decaying harmonic tones every half second, alternating pitches: (audio, onset positions).
    fn tones(rate: f64, seconds: f64) -> (Vec<f32>, Vec<u64>) {
        let mut audio = vec![0.0f32; (rate * seconds) as usize];
        let positions: Vec<u64> =
            (1..(2.0 * seconds) as u64 - 1).map(|k| (k as f64 * 0.5 * rate) as u64).collect();
        for (k, &p) in positions.iter().enumerate() {
            let pitch = [220.0, 330.0, 277.2][k % 3];
            add_decaying_tone(&mut audio[p as usize..], rate, pitch, 0.3, 0.15);
        }
        (audio, positions)
    }

    /// Every note the engine sends for `audio` fed in blocks of `sizes` (cycled), as absolute
    /// positions.
    fn notes(rate: f64, audio: &[f32], sizes: &[usize]) -> (Vec<(u64, Option<f32>)>, u64) {
        let mut engine = OnsetEngine::new(rate as f32, 0.5).unwrap();
        let mut block = audio.to_vec();
        let (mut start, mut sent, mut k) = (0usize, Vec::with_capacity(1000), 0);
        while start < block.len() {
            let size = sizes[k % sizes.len()].min(block.len() - start);
            k += 1;
            let base = start as u64;
            nice_assert_no_alloc::assert_no_alloc(|| {
                let channels = [&mut block[start..start + size]];
                engine.process(
                    &channels,
                    size,
                    base,
                    NOTE,
                    |_| {},
                    |offset, note| {
                        assert!((offset as usize) < size, "timing outside the block");
                        sent.push((base + offset as u64, note.velocity));
                    },
                );
            });
            start += size;
        }
        assert_eq!(engine.late_notes(), 0, "{rate} Hz, blocks {sizes:?}: notes found too late");
        (sent, engine.latency)
    }

    #[test]
    fn notes_land_at_onset_plus_latency_at_any_block_size_without_allocating() {
        for rate in [44_100.0, 48_000.0, 96_000.0] {
            let (audio, positions) = tones(rate, 4.0);
            let (reference, latency) = notes(rate, &audio, &[audio.len()]);
            let ons: Vec<u64> =
                reference.iter().filter(|n| n.1.is_some()).map(|n| n.0 - latency).collect();
            assert_eq!(ons.len(), positions.len(), "{rate} Hz: {ons:?} for tones at {positions:?}");
            for (found, truth) in ons.iter().zip(&positions) {
                let error = (*found as f64 - *truth as f64) / rate;
                assert!(error.abs() <= 0.02, "{rate} Hz: onset {error:+.3} s off");
            }
            for sizes in [&[64usize][..], &[1, 511, 37, 4096, 3]] {
                assert_eq!(notes(rate, &audio, sizes).0, reference, "{rate} Hz, blocks {sizes:?}");
            }
        }
    }

    #[test]
    fn a_gap_in_the_blocks_restarts_the_detector_on_the_host_clock() {
        let rate = 44_100.0;
        let (audio, _) = tones(rate, 2.0);
        let mut engine = OnsetEngine::new(rate as f32, 0.5).unwrap();
        let channels = [&mut audio.clone()[..]];
        engine.process(&channels, audio.len(), 0, NOTE, |_| {}, |_, _| {});
        // The task was off for 10 s: the next block starts at 12 s on the host's clock.
        let start = (12.0 * rate) as u64;
        let mut first = None;
        engine.process(
            &channels,
            audio.len(),
            start,
            NOTE,
            |e| {
                if let (None, LaneEvent::Activation { index, .. }) = (first, e) {
                    first = Some(index);
                }
            },
            |_, _| {},
        );
        // The first activation describes the audio the look-ahead's frames before 12 s.
        let look_ahead = engine.detector.look_ahead_frames();
        assert_eq!(first, Some(1200 - look_ahead), "the lane continues on the host's clock");
    }
}
