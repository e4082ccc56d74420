//! What the editor's onset lane receives from the audio thread, through a [`crate::feed`].

use crate::feed::{self, FeedProducer};
use earshot_engine::Time;
use rtrb::Consumer;

/// Columns per second of the lane (the onset network's frame rate).
pub const LANE_RATE: f64 = 100.0;
/// Events the queue holds if the editor falls behind.
pub const LANE_CAPACITY: usize = 1024;

/// What the lane draws, at lane column `index` since the plug-in's last reset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LaneEvent {
    Activation { index: u64, value: f32 },
    Onset { index: u64, strength: f32 },
}

/// The lane column of a moment.
pub fn column(time: Time) -> u64 {
    (time.seconds * LANE_RATE).round().max(0.0) as u64
}

/// The audio thread's end of the lane's feed.
pub type LaneProducer = FeedProducer<LaneEvent>;

/// A lane feed: the audio thread's end and the editor's.
pub fn channel() -> (LaneProducer, Consumer<LaneEvent>) {
    feed::channel(LANE_CAPACITY)
}
