//! The key task on the audio thread: its parameters applied to the engine before each block,
//! each frame's key estimates sent to the editor.

use crate::feed::FeedProducer;
use crate::params::EarshotParams;
use crate::tasks::TaskAdapter;
use earshot_engine::midi::LiveMidi;
use earshot_engine::tasks::key::pooling::KeyEstimate;
use earshot_engine::tasks::key::WINDOW_SETTING;
use earshot_engine::{Engine, Event, TaskKind};

/// The key as of one frame: over the running window, and over everything since the reset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyReading {
    pub windowed: KeyEstimate,
    pub overall: KeyEstimate,
}

/// Readings the feed holds if the editor falls behind (several seconds' worth).
pub const KEY_FEED_CAPACITY: usize = 128;

/// The audio-thread side of the key task.
pub struct KeyAdapter {
    feed: FeedProducer<KeyReading>,
}

impl KeyAdapter {
    pub fn new(feed: FeedProducer<KeyReading>) -> Self {
        KeyAdapter { feed }
    }
}

impl TaskAdapter for KeyAdapter {
    fn kind(&self) -> TaskKind {
        TaskKind::Key
    }

    fn apply(&mut self, params: &EarshotParams, engine: &mut Engine, _midi: &mut LiveMidi) {
        engine.set_enabled(TaskKind::Key, params.key.enabled.value());
        engine.set_index(TaskKind::Key, WINDOW_SETTING, params.key.window.value());
    }

    fn on_event(&mut self, _params: &EarshotParams, event: &Event, _midi: &mut LiveMidi) {
        if let Event::Key { windowed, overall, .. } = *event {
            self.feed.send(KeyReading { windowed, overall });
        }
    }
}
