//! MIDI controller changes waiting for their time on the host's timeline, in time order: a
//! task's continuous reading (the singing probability) as a control change (CC).

/// A control change at a host sample position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlMessage {
    /// Samples since the plug-in's last reset.
    pub position: u64,
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// MIDI controller number, 0–127.
    pub controller: u8,
    /// 0–1 (MIDI's 0–127).
    pub value: f32,
}

/// A fixed-capacity, time-ordered queue of control changes; it never allocates after `new`.
#[derive(Debug, Default)]
pub struct ControlSchedule {
    messages: Vec<ControlMessage>,
}

impl ControlSchedule {
    /// Room for `capacity` changes; changes beyond it are dropped.
    pub fn new(capacity: usize) -> Self {
        ControlSchedule { messages: Vec::with_capacity(capacity) }
    }

    /// Schedules a change; `false` when the schedule is full and it is dropped.
    pub fn add(&mut self, message: ControlMessage) -> bool {
        if self.messages.len() == self.messages.capacity() {
            return false;
        }
        let at = self.messages.partition_point(|m| m.position <= message.position);
        self.messages.insert(at, message);
        true
    }

    /// The changes due before host sample `end`, in time order.
    pub fn due(&self, end: u64) -> &[ControlMessage] {
        &self.messages[..self.messages.partition_point(|m| m.position < end)]
    }

    /// Forgets the changes due before `end` (after they were sent).
    pub fn forget_due(&mut self, end: u64) {
        let due = self.due(end).len();
        self.messages.drain(..due);
    }

    /// Forgets every pending change.
    pub fn clear(&mut self) {
        self.messages.clear();
    }
}

/// A 0–1 value as MIDI's 0–127 (NaN as 0).
pub fn value_7bit(value: f32) -> u8 {
    if value.is_nan() {
        0
    } else {
        (value * 127.0).round().clamp(0.0, 127.0) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(position: u64, value: f32) -> ControlMessage {
        ControlMessage { position, channel: 3, controller: 20, value }
    }

    #[test]
    fn changes_go_out_in_time_order_and_a_full_schedule_drops_without_allocating() {
        let mut schedule = ControlSchedule::new(3);
        let (_, allocations) = earshot_alloc_guard::allocations_in(|| {
            assert!(schedule.add(change(300, 0.5)));
            assert!(schedule.add(change(100, 0.2)));
            assert!(schedule.add(change(200, 0.3)));
            assert!(!schedule.add(change(50, 0.9)));
        });
        assert_eq!(allocations.count, 0);
        let positions: Vec<u64> = schedule.due(250).iter().map(|m| m.position).collect();
        assert_eq!(positions, [100, 200]);
        schedule.forget_due(250);
        assert_eq!(schedule.due(u64::MAX), [change(300, 0.5)]);
        schedule.clear();
        assert!(schedule.due(u64::MAX).is_empty());
    }

    #[test]
    fn values_become_seven_bits() {
        assert_eq!([0.0, 0.5, 1.0, 2.0, -1.0, f32::NAN].map(value_7bit), [0, 64, 127, 127, 0, 0]);
    }
}
