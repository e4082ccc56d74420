//! The onset task on the audio thread: its parameters applied to the engine before each block,
//! its activations and onsets sent to the editor's lane, its onsets to the MIDI out.

use super::lane::{LaneEvent, LaneProducer};
use crate::params::EarshotParams;
use crate::spectrogram::column_at;
use crate::tasks::TaskAdapter;
use earshot_engine::midi::{note_for, LiveMidi};
use earshot_engine::tasks::onsets::SENSITIVITY_SETTING;
use earshot_engine::{Engine, Event, TaskKind};

/// The audio-thread side of the onset task.
pub struct OnsetAdapter {
    lane: LaneProducer,
}

impl OnsetAdapter {
    pub fn new(lane: LaneProducer) -> Self {
        OnsetAdapter { lane }
    }
}

impl TaskAdapter for OnsetAdapter {
    fn kind(&self) -> TaskKind {
        TaskKind::Onsets
    }

    fn apply(&mut self, params: &EarshotParams, engine: &mut Engine, _midi: &mut LiveMidi) {
        let params = &params.onsets;
        engine.set_enabled(TaskKind::Onsets, params.enabled.value());
        engine.set_index(TaskKind::Onsets, SENSITIVITY_SETTING, params.sensitivity.value());
    }

    fn on_event(&mut self, params: &EarshotParams, event: &Event, midi: &mut LiveMidi) {
        let lane_event = match *event {
            Event::Activation { time, value, .. } => {
                LaneEvent::Activation { index: column_at(time.seconds), value }
            }
            Event::Onset { time, strength } => {
                if let Some(note) = note_for(event, &params.onsets.mapping()) {
                    // A full schedule means absurd settings; the note is dropped, not queued.
                    midi.add(&note);
                }
                LaneEvent::Onset { index: column_at(time.seconds), strength }
            }
            Event::Chord { .. } | Event::Key { .. } | Event::Beat { .. } | Event::Voice { .. } => {
                return
            }
        };
        self.lane.send(lane_event);
    }
}
