//! The last few frames a layer looks back over, in a ring buffer allocated once.

/// A ring of `frames` frames of `frame_len` values, starting as zeros (the padding before the
/// first frame).
#[derive(Debug, Clone)]
pub struct History {
    values: Vec<f32>,
    frame_len: usize,
    frames: usize,
    newest: usize,
}

impl History {
    pub fn new(frames: usize, frame_len: usize) -> Self {
        History { values: vec![0.0; frames * frame_len], frame_len, frames, newest: frames - 1 }
    }

    /// Stores `frame` as the newest frame, dropping the oldest.
    pub fn push(&mut self, frame: &[f32]) {
        self.push_with(|slot| slot.copy_from_slice(frame));
    }

    /// Drops the oldest frame and lets `write` fill its slot, which becomes the newest frame
    /// (the slot still holds the dropped frame's values).
    pub fn push_with(&mut self, write: impl FnOnce(&mut [f32])) {
        self.newest = (self.newest + 1) % self.frames;
        let start = self.newest * self.frame_len;
        write(&mut self.values[start..start + self.frame_len]);
    }

    /// Where in [`History::values`] the frame pushed `age` pushes ago (0: the newest) starts.
    pub fn start(&self, age: usize) -> usize {
        let slot = (self.newest + self.frames - age % self.frames) % self.frames;
        slot * self.frame_len
    }

    /// The frame pushed `age` pushes ago (0: the newest).
    pub fn frame(&self, age: usize) -> &[f32] {
        let start = self.start(age);
        &self.values[start..start + self.frame_len]
    }

    /// All frames, in ring order.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// How many frames are kept.
    pub fn len(&self) -> usize {
        self.frames
    }

    /// Takes on `other`'s frames (same size), without allocating.
    pub fn copy_from(&mut self, other: &History) {
        self.values.copy_from_slice(&other.values);
        self.newest = other.newest;
    }

    /// Forgets every frame.
    pub fn reset(&mut self) {
        self.values.fill(0.0);
        self.newest = self.frames - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn frames_come_back_by_age_with_zeros_before_the_first() {
        let mut history = History::new(3, 2);
        assert_eq!(history.frame(2), &[0.0, 0.0]);
        for t in 0..5 {
            history.push(&[t as f32, -(t as f32)]);
        }
        assert_eq!(history.frame(0), &[4.0, -4.0]);
        assert_eq!(history.frame(2), &[2.0, -2.0]);
        history.reset();
        assert_eq!(history.frame(0), &[0.0, 0.0]);
    }
}
