//! Whole signals through the live engine, block by block, so that a file gives exactly what the
//! plug-in would report for it.

use crate::engine::Engine;
use crate::event::Event;
use crate::tasks::beats::tempo::TempoEstimate;
use crate::tasks::chords::vocabulary::Chord;
use crate::tasks::key::pooling::KeyEstimate;

/// Block size a signal is fed in (any size gives the same events).
pub const BLOCK: usize = 4096;

/// Feeds `channels` (audio at the engine's rate) to `engine` from a reset, block by block, then
/// silence as long as the latency lets the last sounds through every task; hands `on_event`
/// every event up to the end of the signal.
pub fn run<S: AsRef<[f32]>>(engine: &mut Engine, channels: &[S], mut on_event: impl FnMut(Event)) {
    let length = channels.iter().map(|c| c.as_ref().len()).max().unwrap_or(0);
    let duration = length as f64 / engine.host_rate();
    let mut keep = |event: Event| {
        if event.time().seconds <= duration {
            on_event(event);
        }
    };
    engine.reset();
    for start in (0..length).step_by(BLOCK) {
        let end = (start + BLOCK).min(length);
        let block: Vec<&[f32]> =
            channels.iter().map(|c| c.as_ref().get(start..end).unwrap_or(&[])).collect();
        engine.push(&block, end - start, &mut keep);
    }
    let tail = vec![0.0f32; engine.latency_samples() + BLOCK];
    engine.push(&[&tail], tail.len(), &mut keep);
}

/// Every event `engine` reports for `channels`, in the order reported.
pub fn events<S: AsRef<[f32]>>(engine: &mut Engine, channels: &[S]) -> Vec<Event> {
    let mut events = Vec::new();
    run(engine, channels, |event| events.push(event));
    events
}

/// A stretch of one chord in a whole signal: from its change to the next change (the last to
/// the end of the signal), with the decoder's belief in it and in the runner-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportedChord {
    pub start: f64,
    pub end: f64,
    pub chord: Chord,
    pub confidence: f32,
    pub runner_up: Chord,
    pub runner_up_confidence: f32,
}

/// The chords `events` report over a signal `end` seconds long; stretches that last no time are
/// left out.
pub fn reported_chords(events: &[Event], end: f64) -> Vec<ReportedChord> {
    let changes: Vec<ReportedChord> = events
        .iter()
        .filter_map(|event| match *event {
            Event::Chord { time, chord, confidence, runner_up, runner_up_confidence } => {
                let start = time.seconds;
                Some(ReportedChord {
                    start,
                    end: start,
                    chord,
                    confidence,
                    runner_up,
                    runner_up_confidence,
                })
            }
            _ => None,
        })
        .collect();
    lasting(changes, |c| c.start, end)
        .into_iter()
        .map(|(chord, end)| ReportedChord { end, ..chord })
        .collect()
}

/// Each change with where it ends: at the next change's start, the last at `end`; changes that
/// last no time are left out.
fn lasting<T>(changes: Vec<T>, start: impl Fn(&T) -> f64, end: f64) -> Vec<(T, f64)> {
    let ends: Vec<f64> = changes.iter().skip(1).map(&start).chain([end]).collect();
    changes.into_iter().zip(ends).filter(|(change, end)| *end > start(change)).collect()
}

/// The key of a whole signal: the last key event's pooling over everything before it (none
/// when no key frame came).
pub fn whole_key(events: &[Event]) -> Option<KeyEstimate> {
    events.iter().rev().find_map(|event| match *event {
        Event::Key { overall, .. } => Some(overall),
        _ => None,
    })
}

/// A beat as files list it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportedBeat {
    /// Seconds.
    pub time: f64,
    /// Its place in the bar, 1 the downbeat.
    pub bar_position: u8,
    pub beats_per_bar: u8,
    pub confidence: f32,
    /// The tempo over the running window as of the beat.
    pub tempo: TempoEstimate,
}

/// Every beat reported, in time order.
pub fn beats(events: &[Event]) -> Vec<ReportedBeat> {
    let beats = events.iter().filter_map(|event| match *event {
        Event::Beat { time, bar_position, beats_per_bar, confidence, windowed, .. } => {
            Some(ReportedBeat {
                time: time.seconds,
                bar_position,
                beats_per_bar,
                confidence,
                tempo: windowed,
            })
        }
        _ => None,
    });
    beats.collect()
}

/// The tempo of everything heard, as of the last beat; none without a beat.
pub fn whole_tempo(events: &[Event]) -> Option<TempoEstimate> {
    events.iter().rev().find_map(|event| match *event {
        Event::Beat { overall, .. } => Some(overall),
        _ => None,
    })
}

/// The running-window key where it changes: the time of each change (the first key event's
/// included) and the estimate then.
pub fn key_changes(events: &[Event]) -> Vec<(f64, KeyEstimate)> {
    let mut changes: Vec<(f64, KeyEstimate)> = Vec::new();
    for event in events {
        if let Event::Key { time, windowed, .. } = *event {
            if changes.last().is_none_or(|(_, last)| last.key != windowed.key) {
                changes.push((time.seconds, windowed));
            }
        }
    }
    changes
}

/// A stretch of a whole signal with or without singing: from one change to the next (the first
/// from the start, the last to the end), with the segmenter's belief in the change that began it
/// (1 for the silence before the first change).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VocalSegment {
    pub start: f64,
    pub end: f64,
    pub singing: bool,
    pub confidence: f32,
}

/// The signal, `end` seconds long, cut where the voice events say singing starts and stops;
/// stretches that last no time are left out.
pub fn vocal_segments(events: &[Event], end: f64) -> Vec<VocalSegment> {
    let start = VocalSegment { start: 0.0, end: 0.0, singing: false, confidence: 1.0 };
    let changes: Vec<VocalSegment> = std::iter::once(start)
        .chain(events.iter().filter_map(|event| match *event {
            Event::Voice { time, singing, confidence } => {
                Some(VocalSegment { start: time.seconds, end: time.seconds, singing, confidence })
            }
            _ => None,
        }))
        .collect();
    lasting(changes, |s| s.start, end)
        .into_iter()
        .map(|(segment, end)| VocalSegment { end, ..segment })
        .collect()
}
