//! What an analysis runs: the tasks, their settings, any weights replacing the shipped ones and
//! the onset notes' key, all checked before any audio is read.

use earshot_engine::midi::NoteMapping;
use earshot_engine::{task_of_weights, Engine, TaskKind};

/// The rate weights are tried at before any file is read.
const CHECK_RATE: f64 = 44_100.0;
/// Larger weight files are refused before they are read (the shipped ones are under 1 MB).
const MAX_WEIGHTS_BYTES: u64 = 64 << 20;

/// A weight file's bytes (checked by [`Plan::new`]); a file larger than any weights (or
/// endless, as a device) is refused after reading that much. Errors name the file.
pub fn read_weights(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let fail = |e: String| format!("{}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_WEIGHTS_BYTES + 1).read_to_end(&mut bytes).map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_WEIGHTS_BYTES {
        return Err(fail("larger than any weight file (at most 64 MB)".into()));
    }
    Ok(bytes)
}

/// The tasks' settings, as the plug-in's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Onset sensitivity, 0–1.
    pub sensitivity: f32,
    /// Chord steadiness, 0–1.
    pub steadiness: f32,
    /// Seconds the running key is pooled over.
    pub key_window: f32,
    /// Seconds the running tempo is pooled over.
    pub tempo_window: f32,
    /// Voice sensitivity, 0–1.
    pub voice_sensitivity: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            sensitivity: 0.5,
            steadiness: 0.5,
            key_window: 30.0,
            tempo_window: 10.0,
            voice_sensitivity: 0.5,
        }
    }
}

impl Settings {
    /// Each setting with its task and the name the engine knows it by.
    fn named(&self) -> [(TaskKind, &'static str, f32); 5] {
        [
            (TaskKind::Onsets, "sensitivity", self.sensitivity),
            (TaskKind::Chords, "steadiness", self.steadiness),
            (TaskKind::Key, "window", self.key_window),
            (TaskKind::Beats, "tempo-window", self.tempo_window),
            (TaskKind::Voice, "sensitivity", self.voice_sensitivity),
        ]
    }

    /// Refuses a value out of its range: the option's name (`voice-sensitivity`) and what is
    /// wrong (`2 is not between 0 and 1`), for each front end to word.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let windows = [
            ("key-window", earshot_engine::tasks::key::WINDOW, self.key_window),
            ("tempo-window", earshot_engine::tasks::beats::WINDOW, self.tempo_window),
        ];
        for (option, window, value) in windows {
            if !(window.min..=window.max).contains(&value) {
                let (min, max) = (window.min, window.max);
                return Err((option, format!("{value} is not between {min} and {max} s")));
            }
        }
        let fractions = [
            ("sensitivity", self.sensitivity),
            ("steadiness", self.steadiness),
            ("voice-sensitivity", self.voice_sensitivity),
        ];
        for (option, value) in fractions {
            if !(0.0..=1.0).contains(&value) {
                return Err((option, format!("{value} is not between 0 and 1")));
            }
        }
        Ok(())
    }
}

/// Everything a file's analysis needs, checked before any file is read.
pub struct Plan {
    pub tasks: Vec<TaskKind>,
    pub weights: Vec<(TaskKind, Vec<u8>)>,
    pub settings: Vec<(TaskKind, &'static str, f32)>,
    pub mappings: Vec<(TaskKind, NoteMapping)>,
}

impl Plan {
    /// A plan for `tasks` (all when empty; repeats dropped) with `settings` (already
    /// [checked](Settings::check)), weights replacing the shipped ones (each with its file's
    /// name, one per task) and the onset notes' key.
    pub fn new(
        tasks: &[TaskKind],
        settings: &Settings,
        weights: Vec<(String, Vec<u8>)>,
        onset_key: Option<u8>,
    ) -> Result<Plan, String> {
        let mut chosen: Vec<TaskKind> =
            if tasks.is_empty() { TaskKind::all().collect() } else { tasks.to_vec() };
        chosen.dedup();
        let mut checked: Vec<(TaskKind, Vec<u8>)> = Vec::new();
        for (name, bytes) in weights {
            let task = task_of_weights(&bytes).map_err(|e| format!("{name}: {e}"))?;
            if !chosen.contains(&task) {
                return Err(format!("{name}: weights for {task}, which is not among the tasks"));
            }
            if checked.iter().any(|(t, _)| *t == task) {
                return Err(format!("{name}: a second set of weights for {task}"));
            }
            // Unusable weights fail once, naming the file, before any audio is read.
            Engine::new(CHECK_RATE, &[(task, Some(&bytes))]).map_err(|e| format!("{name}: {e}"))?;
            checked.push((task, bytes));
        }
        let mut onset_notes = NoteMapping::default_for(TaskKind::Onsets).expect("onsets are notes");
        if let Some(key) = onset_key {
            onset_notes.key = key;
        }
        Ok(Plan {
            settings: settings
                .named()
                .into_iter()
                .filter(|(task, ..)| chosen.contains(task))
                .collect(),
            mappings: vec![(TaskKind::Onsets, onset_notes)],
            tasks: chosen,
            weights: checked,
        })
    }

    /// An engine for audio at `rate` Hz, set up as planned.
    pub fn engine(&self, rate: f64) -> Result<Engine, String> {
        let tasks: Vec<(TaskKind, Option<&[u8]>)> = self
            .tasks
            .iter()
            .map(|&task| {
                let weights = self.weights.iter().find(|(t, _)| *t == task);
                (task, weights.map(|(_, bytes)| bytes.as_slice()))
            })
            .collect();
        let mut engine = Engine::new(rate, &tasks).map_err(|e| e.to_string())?;
        for &(task, name, value) in &self.settings {
            engine.set(task, name, value).map_err(|e| e.to_string())?;
        }
        Ok(engine)
    }
}
