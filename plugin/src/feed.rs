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

/// The editor's memory of a feed: its latest `capacity` items, oldest first.
pub struct Recent<T> {
    items: std::collections::VecDeque<T>,
    capacity: usize,
}

impl<T> Recent<T> {
    pub fn new(capacity: usize) -> Self {
        Recent { items: std::collections::VecDeque::with_capacity(capacity), capacity }
    }

    /// Takes every item waiting in the feed, forgetting the oldest beyond the capacity.
    pub fn receive(&mut self, feed: &mut Consumer<T>) {
        while let Ok(item) = feed.pop() {
            if self.items.len() == self.capacity {
                self.items.pop_front();
            }
            self.items.push_back(item);
        }
    }

    /// Forgets every item (after the plug-in was reset).
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The newest item.
    pub fn latest(&self) -> Option<&T> {
        self.items.back()
    }

    /// The items, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recent_items_are_the_newest_up_to_the_capacity() {
        let (mut producer, mut consumer) = channel(16);
        (0..10).for_each(|k| producer.send(k));
        let mut recent = Recent::new(4);
        recent.receive(&mut consumer);
        assert_eq!(recent.iter().copied().collect::<Vec<_>>(), [6, 7, 8, 9]);
        assert_eq!(recent.latest(), Some(&9));
        recent.clear();
        assert_eq!(recent.latest(), None);
    }
}
