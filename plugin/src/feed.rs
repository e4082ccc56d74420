//! What a task's editor view receives from the audio thread: a bounded lock-free queue the
//! editor polls; when it is full (the editor behind or closed) new items are dropped.

use rtrb::{Consumer, Producer, RingBuffer};

/// The audio thread's end of a feed.
pub struct FeedProducer<T>(Producer<T>);

impl<T> FeedProducer<T> {
    /// Queues an item, or drops it when the queue is full.
    pub fn send(&mut self, item: T) {
        let _ = self.0.push(item);
    }
}

/// A feed holding up to `capacity` items: the audio thread's end and the editor's.
pub fn channel<T>(capacity: usize) -> (FeedProducer<T>, Consumer<T>) {
    let (producer, consumer) = RingBuffer::new(capacity);
    (FeedProducer(producer), consumer)
}
