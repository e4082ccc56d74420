//! The plug-in's notes on the host's timeline: every note at its event's sample plus the engine's
//! one latency, so that once the host compensates that latency the recorded notes sit on the
//! sounds they mark, whichever task found them.

use super::mapping::Note;
use super::schedule::{NoteMessage, NoteSchedule};

/// Notes scheduled `latency` samples after their events; sized once, never allocates.
pub struct LiveMidi {
    schedule: NoteSchedule,
    latency: u64,
    host_rate: f64,
    late: u64,
}

impl LiveMidi {
    /// Room for `capacity` messages (two per note), aligned to `latency` host samples at
    /// `host_rate`.
    pub fn new(capacity: usize, latency: usize, host_rate: f64) -> Self {
        LiveMidi {
            schedule: NoteSchedule::new(capacity),
            latency: latency as u64,
            host_rate,
            late: 0,
        }
    }

    /// Schedules a note; `false` when the schedule is full and it is dropped.
    pub fn add(&mut self, note: &Note) -> bool {
        let start = note.start.sample + self.latency;
        let length = (note.length_seconds * self.host_rate).round() as u64;
        self.schedule.add(start, length, note.channel, note.key, note.velocity)
    }

    /// Starts a note at host sample `start` (since the last reset) held until
    /// [`LiveMidi::release`]; `false` when the schedule is full and it is dropped.
    pub fn hold(&mut self, start: u64, channel: u8, key: u8, velocity: f32) -> bool {
        self.schedule.hold(start + self.latency, channel, key, velocity)
    }

    /// Ends a held note at host sample `at`.
    pub fn release(&mut self, at: u64, channel: u8, key: u8) {
        self.schedule.release(at + self.latency, channel, key);
    }

    /// Hands `send` every message due before host sample `end` with its offset from the block's
    /// first sample `start`, in time order.
    pub fn take_due(&mut self, start: u64, end: u64, send: impl FnMut(u32, &NoteMessage)) {
        self.late += self.schedule.take_due(start, end, send);
    }

    /// Forgets every pending note.
    pub fn clear(&mut self) {
        self.schedule.clear();
    }

    /// Messages found after their time had passed (sent at the start of a block instead) since
    /// it was made; the latency bound keeps this at zero.
    pub fn late(&self) -> u64 {
        self.late
    }
}
