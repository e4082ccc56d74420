//! The shape of one frame as it flows between layers.

/// A frame is `channels × bins` values, channel-major (`value[c·bins + f]`): a spectrogram
/// column with one channel per input stream or feature map, or a plain vector (`bins == 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub channels: usize,
    pub bins: usize,
}

impl Shape {
    /// A plain vector of `len` values: `len` channels of one bin each.
    pub fn vector(len: usize) -> Self {
        Shape { channels: len, bins: 1 }
    }

    /// The number of values in a frame.
    pub fn len(&self) -> usize {
        self.channels * self.bins
    }

    /// Whether a frame has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
