//! What the editor's onset lane receives from the audio thread, through a [`crate::feed`].

use crate::feed::{self, FeedProducer};
use rtrb::Consumer;

/// Events the queue holds if the editor falls behind.
pub const LANE_CAPACITY: usize = 1024;

/// What the lane draws, at spectrogram column `index` ([`crate::spectrogram::column_at`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LaneEvent {
    Activation { index: u64, value: f32 },
    Onset { index: u64, strength: f32 },
}

/// The audio thread's end of the lane's feed.
pub type LaneProducer = FeedProducer<LaneEvent>;

/// A lane feed: the audio thread's end and the editor's.
pub fn channel() -> (LaneProducer, Consumer<LaneEvent>) {
    feed::channel(LANE_CAPACITY)
}
