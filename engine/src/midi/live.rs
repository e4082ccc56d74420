//! The plug-in's notes and control changes on the host's timeline: each at its event's sample
//! plus the engine's one latency, so that once the host compensates that latency the recorded
//! notes sit on the sounds they mark, whichever task found them.

use super::controls::{ControlMessage, ControlSchedule};
use super::mapping::Note;
use super::schedule::{NoteMessage, NoteSchedule};

/// A message due on the MIDI out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MidiMessage<'a> {
    Note(&'a NoteMessage),
    Control(&'a ControlMessage),
}

/// Notes and control changes scheduled `latency` samples after their events; sized once, never
/// allocates. Engine samples count from the engine's last reset, host samples from the plug-in's.
pub struct LiveMidi {
    schedule: NoteSchedule,
    controls: ControlSchedule,
    latency: u64,
    /// The host sample the engine's times count from: 0, or where the analysis last restarted.
    origin: u64,
    host_rate: f64,
    late: u64,
}

impl LiveMidi {
    /// Room for `capacity` note messages (two per note) and as many control changes, aligned to
    /// `latency` host samples at `host_rate`.
    pub fn new(capacity: usize, latency: usize, host_rate: f64) -> Self {
        LiveMidi {
            schedule: NoteSchedule::new(capacity),
            controls: ControlSchedule::new(capacity),
            latency: latency as u64,
            origin: 0,
            host_rate,
            late: 0,
        }
    }

    /// Counts the engine's times from host sample `origin` from now on, as after the engine
    /// was reset there; messages already scheduled keep their times, so notes already sent
    /// still end.
    pub fn restart_at(&mut self, origin: u64) {
        self.origin = origin;
    }

    /// Where an engine time `at` (samples since the engine's reset) falls on the host's
    /// timeline once the latency has passed.
    fn host_sample(&self, at: u64) -> u64 {
        self.origin + at + self.latency
    }

    /// Schedules controller `controller` on `channel` to `value` (0–1) at engine sample `at`;
    /// `false` when the schedule is full and it is dropped.
    pub fn control(&mut self, at: u64, channel: u8, controller: u8, value: f32) -> bool {
        let position = self.host_sample(at);
        self.controls.add(ControlMessage { position, channel, controller, value })
    }

    /// Schedules a note; `false` when the schedule is full and it is dropped.
    pub fn add(&mut self, note: &Note) -> bool {
        let start = self.host_sample(note.start.sample);
        let length = (note.length_seconds * self.host_rate).round() as u64;
        self.schedule.add(start, length, note.channel, note.key, note.velocity)
    }

    /// Starts a note at engine sample `start` held until
    /// [`LiveMidi::release`]; `false` when the schedule is full and it is dropped.
    pub fn hold(&mut self, start: u64, channel: u8, key: u8, velocity: f32) -> bool {
        self.schedule.hold(self.host_sample(start), channel, key, velocity)
    }

    /// Ends a held note at engine sample `at`.
    pub fn release(&mut self, at: u64, channel: u8, key: u8) {
        self.schedule.release(self.host_sample(at), channel, key);
    }

    /// Hands `send` every message due before host sample `end` with its offset from the block's
    /// first sample `start`, in time order (at one sample, notes before control changes).
    pub fn take_due(&mut self, start: u64, end: u64, mut send: impl FnMut(u32, MidiMessage<'_>)) {
        let Self { schedule, controls, late, .. } = self;
        let offset = |position: u64| position.saturating_sub(start) as u32;
        let mut due_controls = controls.due(end).iter().peekable();
        *late += schedule.take_due(start, end, |at, note| {
            while let Some(control) = due_controls.next_if(|c| c.position < note.position) {
                send(offset(control.position), MidiMessage::Control(control));
            }
            send(at, MidiMessage::Note(note));
        });
        for control in due_controls {
            send(offset(control.position), MidiMessage::Control(control));
        }
        *late += controls.due(end).iter().filter(|c| c.position < start).count() as u64;
        controls.forget_due(end);
    }

    /// Forgets every pending note and control change; times count from host sample 0 again.
    pub fn clear(&mut self) {
        self.schedule.clear();
        self.controls.clear();
        self.origin = 0;
    }

    /// Messages found after their time had passed (sent at the start of a block instead) since
    /// it was made; the latency bound keeps this at zero.
    pub fn late(&self) -> u64 {
        self.late
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Time;

    #[test]
    fn notes_and_control_changes_go_out_merged_in_time_order_after_the_latency() {
        let mut midi = LiveMidi::new(8, 100, 1000.0);
        assert!(midi.control(50, 3, 20, 0.5));
        let start = Time { sample: 40, seconds: 0.04 };
        let note = Note { start, length_seconds: 0.02, channel: 0, key: 60, velocity: 0.5 };
        assert!(midi.add(&note));
        assert!(midi.control(60, 3, 20, 0.6));
        let mut out = Vec::new();
        midi.take_due(100, 200, |offset, message| {
            out.push((offset, matches!(message, MidiMessage::Control(_))))
        });
        // The note from 140 to 160, the changes at 150 and 160 (after the note-off there).
        assert_eq!(out, [(40, false), (50, true), (60, false), (60, true)]);
        assert_eq!(midi.late(), 0);
        assert!(midi.control(10, 3, 20, 0.1), "at 110, after the block that sent up to 200");
        midi.take_due(200, 300, |_, _| {});
        assert_eq!(midi.late(), 1, "a change found after its time counts as late");
    }

    #[test]
    fn a_restart_moves_new_events_and_keeps_the_ends_of_notes_already_sent() {
        let mut midi = LiveMidi::new(8, 100, 1000.0);
        let note = |sample| Note {
            start: Time { sample, seconds: sample as f64 / 1000.0 },
            length_seconds: 0.05,
            channel: 0,
            key: 60,
            velocity: 0.5,
        };
        assert!(midi.add(&note(10)));
        let mut out = Vec::new();
        midi.take_due(0, 120, |offset, m| {
            out.push((offset, matches!(m, MidiMessage::Note(n) if n.velocity.is_some())))
        });
        assert_eq!(out, [(110, true)], "the note starts at 10 + 100");
        midi.restart_at(120);
        assert!(midi.add(&note(5)));
        out.clear();
        midi.take_due(120, 400, |offset, m| {
            out.push((offset + 120, matches!(m, MidiMessage::Note(n) if n.velocity.is_some())))
        });
        assert_eq!(
            out,
            [(160, false), (225, true), (275, false)],
            "the old note ends; the new one counts from 120"
        );
    }
}
