//! MIDI notes waiting for their time on the host's timeline, kept in the order they must go out.
//!
//! Hosts require a block's output events in time order (CLAP says so; VST3 hosts may drop or
//! reorder what is not). Notes are found out of that order — a note's end is known when it
//! starts, the next note may start before it — so every message is inserted at its place: by
//! position, and at one position note-offs before note-ons. A key never sounds twice at once on
//! a channel: a new note on a sounding key ends the old one where the new one starts, and two
//! notes starting together on one key are one note, at the louder velocity.

/// One MIDI message at a host sample position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteMessage {
    /// Samples since the plug-in's last reset.
    pub position: u64,
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// MIDI key, 0–127.
    pub key: u8,
    /// Velocity 0–1 for a note-on; `None` for a note-off.
    pub velocity: Option<f32>,
}

impl NoteMessage {
    /// The order messages go out in: by position, offs first.
    fn order(&self) -> (u64, bool) {
        (self.position, self.velocity.is_some())
    }

    fn same_note(&self, channel: u8, key: u8) -> bool {
        self.channel == channel && self.key == key
    }
}

/// A fixed-capacity, time-ordered queue of note messages; it never allocates after `new`.
#[derive(Debug, Default)]
pub struct NoteSchedule {
    messages: Vec<NoteMessage>,
    /// Notes held (see [`NoteSchedule::hold`]) whose note-off is still to come: room is kept
    /// for each.
    held: usize,
}

impl NoteSchedule {
    /// Room for `capacity` messages (two per note); notes beyond it are dropped.
    pub fn new(capacity: usize) -> Self {
        NoteSchedule { messages: Vec::with_capacity(capacity), held: 0 }
    }

    /// Forgets every pending message.
    pub fn clear(&mut self) {
        self.messages.clear();
        self.held = 0;
    }

    /// Messages waiting.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Schedules a note from `start` for `length` samples (at least one). Returns `false` when
    /// the schedule is full and the note is dropped.
    pub fn add(&mut self, start: u64, length: u64, channel: u8, key: u8, velocity: f32) -> bool {
        let starting_together = self
            .messages
            .iter_mut()
            .find(|m| m.same_note(channel, key) && m.position == start && m.velocity.is_some());
        if let Some(on) = starting_together {
            on.velocity = on.velocity.map(|v| v.max(velocity));
            return true;
        }
        if !self.has_room() {
            return false;
        }
        let sounding = self
            .messages
            .iter()
            .position(|m| m.same_note(channel, key) && m.velocity.is_none() && m.position > start);
        if let Some(index) = sounding {
            let mut off = self.messages.remove(index);
            off.position = start;
            self.insert(off);
        }
        self.insert(NoteMessage { position: start, channel, key, velocity: Some(velocity) });
        let end = start + length.max(1);
        self.insert(NoteMessage { position: end, channel, key, velocity: None });
        true
    }

    /// Starts a note at `start` that sounds until [`NoteSchedule::release`] ends it; room for
    /// its note-off is kept. Returns `false` when the schedule is full and it is dropped.
    pub fn hold(&mut self, start: u64, channel: u8, key: u8, velocity: f32) -> bool {
        if !self.has_room() {
            return false;
        }
        self.held += 1;
        self.insert(NoteMessage { position: start, channel, key, velocity: Some(velocity) });
        true
    }

    /// Ends a note [`NoteSchedule::hold`] started, at `position` (not before its start).
    pub fn release(&mut self, position: u64, channel: u8, key: u8) {
        if self.held == 0 {
            return;
        }
        self.held -= 1;
        self.insert(NoteMessage { position, channel, key, velocity: None });
    }

    /// Whether a note's two messages fit beside those queued and those kept for held notes.
    fn has_room(&self) -> bool {
        self.messages.len() + self.held + 2 <= self.messages.capacity()
    }

    /// Hands `send` every message before host sample `end`, in order, with its offset from the
    /// block's first sample `start` (0 for one whose time has passed), and forgets them.
    /// Returns how many were late.
    pub fn take_due(
        &mut self,
        start: u64,
        end: u64,
        mut send: impl FnMut(u32, &NoteMessage),
    ) -> u64 {
        let due = self.messages.partition_point(|m| m.position < end);
        let mut late = 0;
        for message in &self.messages[..due] {
            late += u64::from(message.position < start);
            send(message.position.saturating_sub(start) as u32, message);
        }
        self.messages.drain(..due);
        late
    }

    fn insert(&mut self, message: NoteMessage) {
        let at = self.messages.partition_point(|m| m.order() <= message.order());
        self.messages.insert(at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message due before `end`, as (position, key, is on).
    fn drain(schedule: &mut NoteSchedule, end: u64) -> Vec<(u64, u8, bool)> {
        let mut out = Vec::new();
        schedule.take_due(0, end, |_, m| out.push((m.position, m.key, m.velocity.is_some())));
        out
    }

    #[test]
    fn notes_found_out_of_order_go_out_in_time_order() {
        let mut schedule = NoteSchedule::new(16);
        schedule.add(500, 100, 0, 60, 0.5);
        schedule.add(200, 100, 0, 61, 0.5);
        schedule.add(550, 100, 0, 62, 0.5);
        assert_eq!(
            drain(&mut schedule, 1000),
            [
                (200, 61, true),
                (300, 61, false),
                (500, 60, true),
                (550, 62, true),
                (600, 60, false),
                (650, 62, false)
            ]
        );
    }

    #[test]
    fn a_new_note_on_a_sounding_key_ends_the_old_one_first() {
        let mut schedule = NoteSchedule::new(16);
        schedule.add(100, 882, 0, 60, 0.5);
        schedule.add(541, 882, 0, 60, 0.7);
        // Another key or channel is left alone.
        schedule.add(541, 882, 1, 60, 0.7);
        assert_eq!(
            drain(&mut schedule, 10_000),
            [
                (100, 60, true),
                (541, 60, false),
                (541, 60, true),
                (541, 60, true),
                (1423, 60, false),
                (1423, 60, false)
            ]
        );
    }

    #[test]
    fn notes_starting_together_on_one_key_are_one_note_at_the_louder_velocity() {
        let mut schedule = NoteSchedule::new(16);
        schedule.add(157, 882, 0, 60, 0.4);
        schedule.add(157, 882, 0, 60, 0.9);
        let mut out = Vec::new();
        schedule.take_due(0, 2000, |offset, m| out.push((offset, m.velocity)));
        assert_eq!(out, [(157, Some(0.9)), (1039, None)]);
    }

    #[test]
    fn due_messages_are_offsets_in_the_block_and_late_ones_go_first() {
        let mut schedule = NoteSchedule::new(16);
        schedule.add(90, 20, 0, 60, 0.5);
        schedule.add(130, 20, 0, 61, 0.5);
        let mut offsets = Vec::new();
        let late = schedule.take_due(100, 140, |offset, m| offsets.push((offset, m.key)));
        assert_eq!(late, 1);
        assert_eq!(offsets, [(0, 60), (10, 60), (30, 61)]);
        assert_eq!(schedule.len(), 1, "the last note-off waits for its block");
    }

    #[test]
    fn held_notes_end_where_released_and_keep_room_for_their_end() {
        let mut schedule = NoteSchedule::new(6);
        let mut sent = Vec::with_capacity(8);
        let (_, allocations) = earshot_alloc_guard::allocations_in(|| {
            assert!(schedule.hold(100, 1, 48, 0.8));
            assert!(schedule.hold(100, 1, 52, 0.8));
            // Four messages queued or kept: one more note fits, a third held one does not.
            assert!(schedule.add(150, 10, 0, 60, 0.5));
            assert!(!schedule.hold(160, 1, 55, 0.8));
            schedule.take_due(0, 200, |_, m| sent.push((m.position, m.key, m.velocity.is_some())));
            schedule.release(400, 1, 48);
            schedule.release(400, 1, 52);
            assert!(schedule.hold(400, 1, 48, 0.6), "room frees as messages go out");
        });
        assert_eq!(allocations.count, 0);
        assert_eq!(sent, [(100, 48, true), (100, 52, true), (150, 60, true), (160, 60, false)]);
        assert_eq!(
            drain(&mut schedule, 1000),
            [(400, 48, false), (400, 52, false), (400, 48, true)]
        );
        schedule.release(900, 1, 48);
        schedule.release(900, 1, 60);
        assert_eq!(drain(&mut schedule, 1000), [(900, 48, false)], "only held notes end");
    }

    #[test]
    fn a_full_schedule_drops_whole_notes_without_allocating() {
        let mut schedule = NoteSchedule::new(4);
        let (_, allocations) = earshot_alloc_guard::allocations_in(|| {
            assert!(schedule.add(0, 10, 0, 60, 0.5));
            assert!(schedule.add(5, 10, 0, 60, 0.5));
            assert!(!schedule.add(8, 10, 0, 61, 0.5));
        });
        assert_eq!(allocations.count, 0);
        assert_eq!(schedule.len(), 4);
        schedule.clear();
        assert!(schedule.is_empty());
    }
}
