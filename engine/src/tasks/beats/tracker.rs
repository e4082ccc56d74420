//! The online beat tracker: forward filtering of a hidden Markov model over the bar-pointer
//! state space (madmom's online `DBNBeatTrackingProcessor` and `DBNDownBeatTrackingProcessor`
//! models, run causally). The network's beat and downbeat posteriors are the observations; a
//! beat is reported when the most likely state enters a beat, so nothing after the frame is
//! needed. Everything is sized in `new`; `push` never allocates.

use super::state_space::{BarStateSpace, Block};

/// The share of a beat, from its start, that counts as the beat (madmom's
/// `observation_lambda` 16: the first 1/16).
pub const OBSERVATION_LAMBDA: usize = 16;

/// How strongly the tempo sticks at a beat: a change by ratio r has weight
/// exp(−λ |r − 1|) (madmom's `transition_lambda`).
pub const TEMPO_CHANGE_LAMBDA: f32 = 100.0;

/// How many times more belief another place in the bar needs than the place that follows the
/// last beat's for the count to jump there: the bar count goes on 1-2-3-4 unless the evidence
/// clearly says otherwise, instead of flipping between downbeat candidates that are nearly as
/// likely (beats 1 and 3 of a bar with a kick on both).
const RECOUNT: f32 = 2.0;

/// Tempo changes less likely than this (relative, before normalising) are left out.
const NEGLIGIBLE: f32 = 1e-7;

/// The share of belief spread over every state each frame, so that no state's belief dies out
/// and the tracker can take up any tempo and phase again (after silence, a tempo jump, or
/// nonsense input).
const RENEWAL: f32 = 1e-4;

/// A beat the tracker reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackedBeat {
    /// Which beat of the bar, from 1 (the downbeat).
    pub bar_position: u8,
    pub beats_per_bar: u8,
    /// The tracker's belief that a beat is sounding now (0–1).
    pub confidence: f32,
    /// Frames per beat of the most likely state.
    pub interval: usize,
}

/// The tracker's belief over the bar-pointer states, updated frame by frame.
pub struct BeatTracker {
    space: BarStateSpace,
    /// `tempo_change[from × tempi + to]`: the probability that a beat at tempo `from` is
    /// followed by one at tempo `to`.
    tempo_change: Vec<f32>,
    /// For each tempo `to`, the tempi it can be reached from (a band around it).
    reachable_from: Vec<(usize, usize)>,
    belief: Vec<f32>,
    next: Vec<f32>,
    /// Each block's belief in the last frame of each of its beats (before the step).
    beat_ends: Vec<f32>,
    /// The belief in each tempo after the last step.
    tempo_belief: Vec<f32>,
    /// Frames since the last reported beat, if any was.
    since_beat: Option<usize>,
    /// The meter (an index into [`METERS`]) and place in the bar (from 0) of the last beat.
    last_count: Option<(usize, usize)>,
}

const MAX_BEATS_PER_BAR: usize = 4;

impl BeatTracker {
    /// A tracker for beats `min_interval..=max_interval` frames apart, believing every state
    /// alike.
    pub fn new(min_interval: usize, max_interval: usize) -> Self {
        let space = BarStateSpace::new(min_interval, max_interval);
        let (tempo_change, reachable_from) = tempo_changes(space.intervals());
        let blocks = space.blocks().count();
        let mut tracker = BeatTracker {
            belief: vec![0.0; space.states()],
            next: vec![0.0; space.states()],
            beat_ends: vec![0.0; blocks * MAX_BEATS_PER_BAR],
            tempo_belief: vec![0.0; space.intervals().len()],
            tempo_change,
            reachable_from,
            since_beat: None,
            last_count: None,
            space,
        };
        tracker.reset();
        tracker
    }

    /// Believes every state alike again and forgets the last beat.
    pub fn reset(&mut self) {
        self.belief.fill(1.0 / self.space.states() as f32);
        self.tempo_belief.fill(1.0 / self.space.intervals().len() as f32);
        self.since_beat = None;
        self.last_count = None;
    }

    /// Frames per beat of each tempo, as [`BeatTracker::tempo_belief`] orders them.
    pub fn intervals(&self) -> &[usize] {
        self.space.intervals()
    }

    /// The belief in each tempo now.
    pub fn tempo_belief(&self) -> &[f32] {
        &self.tempo_belief
    }

    /// Takes one frame's posteriors of a beat that is not a downbeat and of a downbeat (NaN
    /// and out-of-range values count as 0), and reports a beat if one starts now.
    pub fn push(&mut self, beat: f32, downbeat: f32) -> Option<TrackedBeat> {
        let clean = |p: f32| if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 };
        let (beat, downbeat) = (clean(beat), clean(downbeat));
        let neither = (1.0 - beat - downbeat).max(0.0) / (OBSERVATION_LAMBDA - 1) as f32;
        self.predict();
        let (in_beats, best) = self.observe(beat, downbeat, neither);
        self.since_beat = self.since_beat.map(|frames| frames + 1);
        self.report(in_beats, best)
    }

    /// Moves the belief one frame on: positions advance; at each beat's start the tempo may
    /// change.
    fn predict(&mut self) {
        let Self { space, belief, next, beat_ends, .. } = self;
        for (index, block) in space.blocks().enumerate() {
            let (start, len) = (block.offset, block.bar_frames());
            next[start + 1..start + len].copy_from_slice(&belief[start..start + len - 1]);
            for beat in 0..block.beats_per_bar {
                let last_frame = (beat * block.interval + len - 1) % len;
                beat_ends[index * MAX_BEATS_PER_BAR + beat] = belief[start + last_frame];
            }
        }
        let tempi = space.intervals().len();
        for block in space.blocks() {
            let (from_first, from_last) = self.reachable_from[block.tempo];
            for beat in 0..block.beats_per_bar {
                let mut arriving = 0.0;
                for from in from_first..=from_last {
                    let from_block = block.meter * tempi + from;
                    arriving += beat_ends[from_block * MAX_BEATS_PER_BAR + beat]
                        * self.tempo_change[from * tempi + block.tempo];
                }
                next[block.state(beat * block.interval)] = arriving;
            }
        }
    }

    /// Weighs the predicted belief by the observation, normalises it into the belief, and
    /// gives the belief that a beat is sounding and the most likely state (the first on a tie).
    fn observe(&mut self, beat: f32, downbeat: f32, neither: f32) -> (f32, usize) {
        let Self { space, belief, next, tempo_belief, .. } = self;
        let floor = 1e-6;
        let (mut total, mut in_beats) = (0.0f32, 0.0f32);
        tempo_belief.fill(0.0);
        for block in space.blocks() {
            let states = &mut next[block.offset..block.offset + block.bar_frames()];
            let region = beat_region(block.interval);
            let mut block_total = 0.0;
            for (index, chunk) in states.chunks_exact_mut(block.interval).enumerate() {
                let on_beat = if index == 0 { downbeat } else { beat };
                let (head, tail) = chunk.split_at_mut(region);
                let head_sum: f32 = head
                    .iter_mut()
                    .map(|p| {
                        *p *= on_beat.max(floor);
                        *p
                    })
                    .sum();
                let tail_sum: f32 = tail
                    .iter_mut()
                    .map(|p| {
                        *p *= neither.max(floor);
                        *p
                    })
                    .sum();
                in_beats += head_sum;
                block_total += head_sum + tail_sum;
            }
            tempo_belief[block.tempo] += block_total;
            total += block_total;
        }
        if !(total.is_finite() && total > 0.0) {
            self.reset();
            return (0.0, 0);
        }
        let (keep, spread) = ((1.0 - RENEWAL) / total, RENEWAL / belief.len() as f32);
        let (mut best, mut best_belief) = (0, f32::NEG_INFINITY);
        for (state, (b, n)) in belief.iter_mut().zip(next.iter()).enumerate() {
            *b = n * keep + spread;
            if *b > best_belief {
                (best, best_belief) = (state, *b);
            }
        }
        tempo_belief.iter_mut().for_each(|t| *t /= total);
        (in_beats / total, best)
    }

    /// A beat, if the most likely state has just entered one (at most one per half beat), with
    /// its place in the bar (see [`RECOUNT`]).
    fn report(&mut self, confidence: f32, best: usize) -> Option<TrackedBeat> {
        let (block, position): (Block, usize) = self.space.locate(best);
        let within = position % block.interval;
        let recent = self.since_beat.is_some_and(|frames| 2 * frames < block.interval);
        if within >= beat_region(block.interval) || recent {
            return None;
        }
        let place = self.place_in_bar(block, position / block.interval);
        self.since_beat = Some(0);
        self.last_count = Some((block.meter, place));
        Some(TrackedBeat {
            bar_position: place as u8 + 1,
            beats_per_bar: block.beats_per_bar as u8,
            confidence,
            interval: block.interval,
        })
    }

    /// The place in the bar (from 0) of a beat starting now in `block`'s meter, where the most
    /// likely state says `proposed`: the place the last beat's count reaches now (a beat on,
    /// or more if beats went unreported), unless another has [`RECOUNT`] times its belief (the
    /// belief of being at the start of that beat of the bar, at any tempo). After a bar with
    /// no beat the count starts afresh from the belief.
    fn place_in_bar(&self, block: Block, proposed: usize) -> usize {
        let beats = block.beats_per_bar;
        let mut belief = [0.0f32; MAX_BEATS_PER_BAR];
        for tempo in 0..self.space.intervals().len() {
            let other = self.space.block(block.meter, tempo);
            let region = beat_region(other.interval);
            for (beat, sum) in belief.iter_mut().take(beats).enumerate() {
                let start = other.state(beat * other.interval);
                *sum += self.belief[start..start + region].iter().sum::<f32>();
            }
        }
        let best = (0..beats).fold(proposed, |b, k| if belief[k] > belief[b] { k } else { b });
        let elapsed = self
            .since_beat
            .map(|frames| ((frames as f32 / block.interval as f32).round() as usize).max(1));
        match (self.last_count, elapsed) {
            (Some((meter, last)), Some(elapsed)) if meter == block.meter && elapsed <= beats => {
                let expected = (last + elapsed) % beats;
                if belief[best] > RECOUNT * belief[expected] {
                    best
                } else {
                    expected
                }
            }
            _ => best,
        }
    }
}

/// Frames at the start of each beat that count as the beat, for beats `interval` frames apart.
fn beat_region(interval: usize) -> usize {
    (interval - 1) / OBSERVATION_LAMBDA + 1
}

/// The tempo-change probabilities, row by row, and for each tempo the band of tempi it can be
/// reached from.
fn tempo_changes(intervals: &[usize]) -> (Vec<f32>, Vec<(usize, usize)>) {
    let tempi = intervals.len();
    let mut change = vec![0.0f32; tempi * tempi];
    for (from, row) in change.chunks_exact_mut(tempi).enumerate() {
        for (to, p) in row.iter_mut().enumerate() {
            let ratio = intervals[to] as f32 / intervals[from] as f32;
            *p = (-TEMPO_CHANGE_LAMBDA * (ratio - 1.0).abs()).exp();
        }
        row.iter_mut().for_each(|p| *p = if *p < NEGLIGIBLE { 0.0 } else { *p });
        let sum: f32 = row.iter().sum();
        row.iter_mut().for_each(|p| *p /= sum);
    }
    let reachable = (0..tempi)
        .map(|to| {
            let from = |from: &usize| change[from * tempi + to] > 0.0;
            let first = (0..tempi).find(from).unwrap_or(to);
            let last = (0..tempi).rev().find(from).unwrap_or(to);
            (first, last)
        })
        .collect();
    (change, reachable)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index of the largest value (the first on a tie).
    fn argmax(values: &[f32]) -> usize {
        (0..values.len()).fold(0, |best, i| if values[i] > values[best] { i } else { best })
    }

    /// Posteriors of a steady beat every `interval` frames, a downbeat every `per_bar` beats,
    /// from frame `phase` on.
    fn steady(frames: usize, interval: usize, per_bar: usize, phase: usize) -> Vec<(f32, f32)> {
        (0..frames)
            .map(|frame| match frame.checked_sub(phase) {
                Some(f) if f % interval == 0 && (f / interval).is_multiple_of(per_bar) => {
                    (0.05, 0.9)
                }
                Some(f) if f % interval == 0 => (0.9, 0.05),
                _ => (0.02, 0.01),
            })
            .collect()
    }

    #[test]
    fn a_steady_beat_is_followed_with_its_downbeats_and_tempo() {
        for (interval, per_bar) in [(50, 4), (37, 3), (31, 4)] {
            let mut tracker = BeatTracker::new(28, 109);
            let mut beats = Vec::new();
            for (frame, (beat, downbeat)) in
                steady(3000, interval, per_bar, 13).into_iter().enumerate()
            {
                if let Some(found) = tracker.push(beat, downbeat) {
                    beats.push((frame, found));
                }
            }
            let late: Vec<_> = beats.iter().filter(|(frame, _)| *frame > 1000).collect();
            assert!(late.len() >= 2000 / interval - 1, "{interval}: {} beats", late.len());
            for (frame, beat) in late {
                assert_eq!((frame - 13) % interval, 0, "{interval}: a beat at {frame}");
                let expected = ((frame - 13) / interval % per_bar + 1) as u8;
                assert_eq!((beat.bar_position, beat.beats_per_bar), (expected, per_bar as u8));
                assert_eq!(beat.interval, interval);
                assert!(beat.confidence > 0.5, "{beat:?}");
            }
            let tempo = argmax(tracker.tempo_belief());
            assert_eq!(tracker.intervals()[tempo], interval);
        }
    }

    #[test]
    fn the_bar_count_goes_on_when_two_downbeat_candidates_are_nearly_as_likely() {
        // A kick on beats 1 and 3: the network is nearly as sure of a downbeat on either, and
        // leans one way in one bar and the other way in the next.
        let mut tracker = BeatTracker::new(28, 109);
        let mut places = Vec::new();
        for frame in 0..4000 {
            let (beat, bar) = (frame / 40 % 4, frame / 160);
            let (beat, downbeat) = match (frame % 40, beat) {
                (0, 0 | 2) if (beat == 0) == (bar % 2 == 0) => (0.45, 0.5),
                (0, 0 | 2) => (0.5, 0.45),
                (0, _) => (0.9, 0.05),
                _ => (0.02, 0.01),
            };
            if let Some(found) = tracker.push(beat, downbeat) {
                places.push((frame, found.bar_position));
            }
        }
        let late: Vec<u8> = places.iter().filter(|(f, _)| *f > 1000).map(|p| p.1).collect();
        for pair in late.windows(2) {
            assert_eq!(pair[1], pair[0] % 4 + 1, "the count jumped: {late:?}");
        }
    }

    #[test]
    fn nonsense_posteriors_neither_panic_nor_stop_the_tracker() {
        let mut tracker = BeatTracker::new(28, 109);
        for value in [f32::NAN, f32::INFINITY, -1.0, 2.0, 0.0] {
            for _ in 0..200 {
                tracker.push(value, value);
            }
        }
        let beats: Vec<usize> = steady(1500, 40, 4, 0)
            .into_iter()
            .enumerate()
            .filter_map(|(frame, (beat, downbeat))| tracker.push(beat, downbeat).map(|_| frame))
            .collect();
        // Back on the beat within three beats, and on every beat from then on.
        assert!(beats.len() >= 1500 / 40 - 3, "{beats:?}");
    }

    #[test]
    fn tempo_changes_are_rows_of_probabilities_in_a_band() {
        let intervals: Vec<usize> = (28..=109).collect();
        let (change, reachable) = tempo_changes(&intervals);
        for row in change.chunks_exact(intervals.len()) {
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
        let (first, last) = reachable[22];
        assert!(first < 22 && 22 < last && last - first < 20, "{first}..={last}");
        assert_eq!(change[22 * intervals.len()], 0.0, "no jump from 120 to 200 bpm");
    }
}
