//! Online chord decoding: forward filtering of a hidden Markov model over the network's frame
//! posteriors. Each frame, every chord keeps its belief with probability `stay` and hands the
//! rest evenly to the others, then the network's posterior weighs it. The chord shown is the
//! most believed one, so a chord holds through frames the network is unsure of and changes as
//! soon as the evidence outweighs the held belief. Nothing is allocated after `new`.

use super::vocabulary::{Chord, CLASSES};
use crate::tasks::ranking::two_largest;

/// A posterior below this counts as this (a network's 0 must not rule a chord out for good).
const FLOOR: f32 = 1e-6;

/// The chord shown after a frame that changed it, with the belief in it and in the runner-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChordChange {
    pub chord: Chord,
    pub confidence: f32,
    pub runner_up: Chord,
    pub runner_up_confidence: f32,
}

/// The forward filter and the chord it shows.
#[derive(Debug, Clone)]
pub struct ChordDecoder {
    stay: f32,
    belief: [f32; CLASSES],
    shown: Option<usize>,
}

impl ChordDecoder {
    /// A decoder whose chords stay from one frame to the next with probability `stay`
    /// (clamped to 0.5–0.999: higher holds chords through more doubt, and changes later).
    pub fn new(stay: f32) -> Self {
        let mut decoder = ChordDecoder { stay: 0.0, belief: [0.0; CLASSES], shown: None };
        decoder.set_stay(stay);
        decoder.reset();
        decoder
    }

    /// Sets the probability that a chord stays from one frame to the next.
    pub fn set_stay(&mut self, stay: f32) {
        self.stay = if stay.is_nan() { 0.9 } else { stay.clamp(0.5, 0.999) };
    }

    /// Forgets all frames: every chord equally believed, none shown.
    pub fn reset(&mut self) {
        self.belief = [1.0 / CLASSES as f32; CLASSES];
        self.shown = None;
    }

    /// Takes one frame's posteriors (one per class; NaN or a wrong count leave the belief as
    /// it is) and gives the chord shown when it changes, the first frame's included.
    pub fn push(&mut self, posteriors: &[f32]) -> Option<ChordChange> {
        if posteriors.len() != CLASSES || posteriors.iter().any(|p| p.is_nan()) {
            return None;
        }
        let leave = (1.0 - self.stay) / (CLASSES - 1) as f32;
        let mut total = 0.0;
        for (belief, posterior) in self.belief.iter_mut().zip(posteriors) {
            let predicted = self.stay * *belief + leave * (1.0 - *belief);
            *belief = predicted * posterior.clamp(FLOOR, 1.0);
            total += *belief;
        }
        if !(total.is_finite() && total > 0.0) {
            self.reset();
            return None;
        }
        self.belief.iter_mut().for_each(|b| *b /= total);
        let (best, runner_up) = two_largest(&self.belief);
        if self.shown == Some(best) {
            return None;
        }
        self.shown = Some(best);
        Some(ChordChange {
            chord: Chord::from_class(best).expect("a class"),
            confidence: self.belief[best],
            runner_up: Chord::from_class(runner_up).expect("a class"),
            runner_up_confidence: self.belief[runner_up],
        })
    }

    /// The chord shown, if any frame has come.
    pub fn shown(&self) -> Option<Chord> {
        self.shown.and_then(Chord::from_class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Posteriors that favour `class` by `weight` (the rest spread evenly).
    fn favouring(class: usize, weight: f32) -> [f32; CLASSES] {
        let mut p = [(1.0 - weight) / (CLASSES - 1) as f32; CLASSES];
        p[class] = weight;
        p
    }

    #[test]
    fn a_chord_holds_through_doubt_and_changes_on_evidence() {
        let mut decoder = ChordDecoder::new(0.95);
        let first = decoder.push(&favouring(1, 0.8)).expect("the first frame shows a chord");
        assert_eq!(first.chord, Chord::Major(0));
        for _ in 0..20 {
            assert_eq!(decoder.push(&favouring(1, 0.8)), None);
        }
        // One frame leaning elsewhere does not change it.
        assert_eq!(decoder.push(&favouring(22, 0.5)), None);
        assert_eq!(decoder.shown(), Some(Chord::Major(0)));
        // Steady evidence for A minor does, within a few frames.
        let changed =
            (1..=5).find_map(|frame| decoder.push(&favouring(22, 0.8)).map(|c| (frame, c)));
        let (frame, change) = changed.expect("A minor within 5 frames");
        assert!(frame <= 3, "after {frame} frames");
        assert_eq!((change.chord, change.runner_up), (Chord::Minor(9), Chord::Major(0)));
        assert!(change.confidence > change.runner_up_confidence);
    }

    #[test]
    fn hostile_posteriors_leave_the_belief_usable() {
        let mut decoder = ChordDecoder::new(f32::NAN);
        assert_eq!(decoder.push(&[f32::NAN; CLASSES]), None);
        assert_eq!(decoder.push(&[1.0; 3]), None);
        assert_eq!(decoder.push(&[0.0; CLASSES]).map(|c| c.chord), Some(Chord::NoChord));
        assert_eq!(decoder.push(&[f32::INFINITY; CLASSES]), None);
        assert_eq!(decoder.push(&favouring(5, 0.9)).map(|c| c.chord), Some(Chord::Major(4)));
        decoder.reset();
        assert_eq!(decoder.shown(), None);
    }
}
