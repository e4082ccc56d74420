//! The bar-pointer state space of the beat tracker (Whiteley, Cemgil & Godsill; madmom's
//! `BarStateSpace`): a state is a meter (beats per bar), a tempo (frames per beat) and a
//! position in the bar, in frames. Within a bar the position moves one frame per frame; the
//! tempo may change only where a beat begins.

/// Beats per bar the tracker tells apart.
pub const METERS: [usize; 2] = [3, 4];

/// Every (meter, tempo, position) state, laid out as one block per meter and tempo.
#[derive(Debug, Clone)]
pub struct BarStateSpace {
    /// Frames per beat of each tempo, shortest (fastest) first.
    intervals: Vec<usize>,
    /// The first state of each block, meter by meter, tempo by tempo.
    offsets: Vec<usize>,
    states: usize,
}

/// One block of states: a meter at a tempo, its positions from `offset` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub meter: usize,
    pub beats_per_bar: usize,
    pub tempo: usize,
    pub interval: usize,
    pub offset: usize,
}

impl Block {
    /// Frames in its bar.
    pub fn bar_frames(&self) -> usize {
        self.beats_per_bar * self.interval
    }

    /// The state of position `position` (frames into the bar).
    pub fn state(&self, position: usize) -> usize {
        self.offset + position
    }
}

impl BarStateSpace {
    /// The states for beats `min_interval..=max_interval` frames apart (each integer).
    pub fn new(min_interval: usize, max_interval: usize) -> Self {
        let intervals: Vec<usize> =
            (min_interval.max(1)..=max_interval.max(min_interval)).collect();
        let mut offsets = Vec::with_capacity(METERS.len() * intervals.len());
        let mut states = 0;
        for beats_per_bar in METERS {
            for interval in &intervals {
                offsets.push(states);
                states += beats_per_bar * interval;
            }
        }
        BarStateSpace { intervals, offsets, states }
    }

    /// How many states there are.
    pub fn states(&self) -> usize {
        self.states
    }

    /// Frames per beat of each tempo.
    pub fn intervals(&self) -> &[usize] {
        &self.intervals
    }

    /// The block of `meter` (an index into [`METERS`]) at tempo index `tempo`.
    pub fn block(&self, meter: usize, tempo: usize) -> Block {
        Block {
            meter,
            beats_per_bar: METERS[meter],
            tempo,
            interval: self.intervals[tempo],
            offset: self.offsets[meter * self.intervals.len() + tempo],
        }
    }

    /// Every block, meter by meter, tempo by tempo.
    pub fn blocks(&self) -> impl Iterator<Item = Block> + '_ {
        (0..METERS.len())
            .flat_map(move |m| (0..self.intervals.len()).map(move |t| self.block(m, t)))
    }

    /// The block a state lies in and its position there.
    pub fn locate(&self, state: usize) -> (Block, usize) {
        let index = self.offsets.partition_point(|offset| *offset <= state) - 1;
        let block = self.block(index / self.intervals.len(), index % self.intervals.len());
        (block, state - block.offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_tile_the_states_and_locate_inverts_them() {
        let space = BarStateSpace::new(3, 5);
        assert_eq!(space.states(), (3 + 4) * (3 + 4 + 5));
        let mut next = 0;
        for block in space.blocks() {
            assert_eq!(block.offset, next);
            for position in 0..block.bar_frames() {
                assert_eq!(space.locate(block.state(position)), (block, position));
            }
            next += block.bar_frames();
        }
        assert_eq!(next, space.states());
    }
}
