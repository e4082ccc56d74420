//! The plug-in's side of each analysis task, a folder each: nested parameters, the audio-thread
//! adapter that applies them to the engine and turns the task's events into editor feeds and
//! MIDI notes, and the editor's view.

pub mod beats;
pub mod chords;
pub mod key;
pub mod onsets;
pub mod voice;

use crate::feed;
use crate::params::EarshotParams;
use earshot_engine::midi::LiveMidi;
use earshot_engine::{Engine, Event, TaskKind};
use onsets::lane::LaneEvent;
use rtrb::Consumer;
use std::sync::Mutex;

/// The audio-thread side of a task. Nothing here allocates, locks or blocks.
pub trait TaskAdapter: Send {
    fn kind(&self) -> TaskKind;

    /// Applies the task's parameters to the engine before a block: whether it runs, its
    /// settings; ends notes a change of them leaves without an end.
    fn apply(&mut self, params: &EarshotParams, engine: &mut Engine, midi: &mut LiveMidi);

    /// Takes one of the task's events: to the editor's feed, and as notes to the MIDI out.
    fn on_event(&mut self, params: &EarshotParams, event: &Event, midi: &mut LiveMidi);

    /// After the analysis restarted (a host's reset, which also clears the MIDI schedule, or
    /// the transport starting): ends the notes the task holds. A task whose notes all have
    /// their ends scheduled has nothing to do.
    fn reset(&mut self, _midi: &mut LiveMidi) {}
}

/// The editor's ends of the tasks' feeds; only the editor's thread locks them.
pub struct TaskFeeds {
    pub onsets: Mutex<Consumer<LaneEvent>>,
    pub chords: Mutex<Consumer<chords::ChordMark>>,
    pub key: Mutex<Consumer<key::KeyReading>>,
    pub beats: Mutex<Consumer<beats::BeatMark>>,
    pub voice: Mutex<Consumer<voice::VoiceMark>>,
}

/// Every task's adapter, and the editor's ends of their feeds.
pub fn adapters() -> (Vec<Box<dyn TaskAdapter>>, TaskFeeds) {
    let (lane, lane_receiver) = onsets::lane::channel();
    let (chord_feed, chord_receiver) = feed::channel(chords::CHORD_FEED_CAPACITY);
    let (key_feed, key_receiver) = feed::channel(key::KEY_FEED_CAPACITY);
    let (beat_feed, beat_receiver) = feed::channel(beats::BEAT_FEED_CAPACITY);
    let (voice_feed, voice_receiver) = feed::channel(voice::VOICE_FEED_CAPACITY);
    let adapters: Vec<Box<dyn TaskAdapter>> = vec![
        Box::new(onsets::OnsetAdapter::new(lane)),
        Box::new(chords::ChordAdapter::new(chord_feed)),
        Box::new(key::KeyAdapter::new(key_feed)),
        Box::new(beats::BeatAdapter::new(beat_feed)),
        Box::new(voice::VoiceAdapter::new(voice_feed)),
    ];
    let feeds = TaskFeeds {
        onsets: Mutex::new(lane_receiver),
        chords: Mutex::new(chord_receiver),
        key: Mutex::new(key_receiver),
        beats: Mutex::new(beat_receiver),
        voice: Mutex::new(voice_receiver),
    };
    (adapters, feeds)
}

/// The tasks the plug-in runs and shows, in the order of [`adapters`]: those with an adapter
/// (a task without one would only cost time and latency).
pub const SHOWN: &[TaskKind] =
    &[TaskKind::Onsets, TaskKind::Chords, TaskKind::Key, TaskKind::Beats, TaskKind::Voice];

/// Why each shown task cannot run at `sample_rate` (rates outside 8 to 384 kHz are refused).
/// It builds engines: not for the audio thread.
pub fn refusals(sample_rate: f32) -> Vec<(TaskKind, String)> {
    SHOWN
        .iter()
        .filter_map(|&kind| {
            let refused = Engine::with_default_weights(sample_rate as f64, &[kind]).err()?;
            Some((kind, refused.to_string()))
        })
        .collect()
}

/// A task's name as the editor shows it.
pub fn title(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Onsets => "Onsets",
        TaskKind::Chords => "Chords",
        TaskKind::Key => "Key",
        TaskKind::Beats => "Beats",
        TaskKind::Voice => "Voice",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_tasks_are_those_with_adapters() {
        let (adapters, _) = adapters();
        let kinds: Vec<TaskKind> = adapters.iter().map(|adapter| adapter.kind()).collect();
        assert_eq!(kinds, SHOWN);
    }

    #[test]
    fn the_rates_a_task_refuses_are_named_with_the_reason() {
        for rate in [22_050.0, 32_000.0, 44_100.0, 48_000.0, 88_200.0, 96_000.0, 192_000.0] {
            assert_eq!(refusals(rate), [], "{rate} Hz");
        }
        for rate in [4_000.0, 705_600.0] {
            let refused = refusals(rate);
            let kinds: Vec<TaskKind> = refused.iter().map(|(kind, _)| *kind).collect();
            assert_eq!(kinds, SHOWN, "{rate} Hz: {refused:?}");
            for (_, reason) in &refused {
                assert!(reason.contains(&format!("{rate} Hz")), "{reason}");
            }
        }
    }
}
