//! A fixed delay per channel, so the audio can be held back by the latency the plug-in reports
//! and the host's compensation keeps it in line with the MIDI notes.

/// Delay lines sized once (in `activate`); `process` never allocates.
#[derive(Debug, Default)]
pub struct DelayLine {
    rings: Vec<Vec<f32>>,
    head: usize,
}

impl DelayLine {
    /// Delay lines of `delay` samples for `channels` channels, silent.
    pub fn new(channels: usize, delay: usize) -> Self {
        DelayLine { rings: vec![vec![0.0; delay]; channels], head: 0 }
    }

    /// The delay in samples.
    pub fn delay(&self) -> usize {
        self.rings.first().map_or(0, Vec::len)
    }

    /// Silences the lines.
    pub fn reset(&mut self) {
        self.rings.iter_mut().for_each(|ring| ring.fill(0.0));
        self.head = 0;
    }

    /// Delays every channel of the block in place.
    pub fn process(&mut self, channels: &mut [&mut [f32]]) {
        let delay = self.delay();
        if delay == 0 {
            return;
        }
        let frames = channels.first().map_or(0, |c| c.len());
        for (channel, ring) in channels.iter_mut().zip(&mut self.rings) {
            let mut head = self.head;
            for sample in channel.iter_mut() {
                std::mem::swap(sample, &mut ring[head]);
                head = if head + 1 == delay { 0 } else { head + 1 };
            }
        }
        self.head = (self.head + frames) % delay;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_exactly_at_any_block_size() {
        let input: Vec<f32> = (1..=1000).map(|i| i as f32).collect();
        for sizes in [[1usize, 1, 1], [7, 64, 3], [500, 13, 1000]] {
            let mut line = DelayLine::new(2, 37);
            let (mut left, mut right) = (input.clone(), input.clone());
            let (mut start, mut k) = (0, 0);
            while start < input.len() {
                let end = (start + sizes[k % 3]).min(input.len());
                line.process(&mut [&mut left[start..end], &mut right[start..end]]);
                (start, k) = (end, k + 1);
            }
            assert_eq!(&left[..37], &[0.0; 37]);
            assert_eq!(&left[37..], &input[..1000 - 37]);
            assert_eq!(left, right);
        }
    }
}
