//! The analysis tasks and their registry. A task is a folder here (its live task, decoder and
//! shipped weights), one [`TaskKind`] and one [`TaskEntry`] in [`REGISTRY`].

pub mod beats;
pub mod chords;
pub mod framed_network;
pub mod key;
pub mod onsets;
mod ranking;
pub mod running_pool;
pub mod voice;

use crate::task::{LiveTask, SettingSpec};

/// Which analysis a task does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskKind {
    Onsets,
    Chords,
    Key,
    Beats,
    Voice,
}

/// Makes a task from weights; the error says what is wrong with them.
pub type BuildTask = fn(weights: &[u8]) -> Result<Box<dyn LiveTask>, String>;

/// What the engine, the plug-in and the CLI know of a task.
pub struct TaskEntry {
    pub kind: TaskKind,
    /// Its name in files (`STEM.onsets.txt`), on the command line and in weight files.
    pub name: &'static str,
    /// One line on what it finds.
    pub summary: &'static str,
    /// The weights Earshot ships (made by the trainer; the command is in their metadata).
    pub default_weights: &'static [u8],
    /// What may change while it runs, in the order [`LiveTask::set`] numbers them.
    pub settings: &'static [SettingSpec],
    /// Whether it reports its network's frame-wise output as [`crate::Event::Activation`]s.
    pub activations: bool,
    pub build: BuildTask,
}

/// Every task, in the order the engine runs and reports them.
pub const REGISTRY: &[TaskEntry] =
    &[onsets::ENTRY, chords::ENTRY, key::ENTRY, beats::ENTRY, voice::ENTRY];

impl TaskKind {
    /// Every task.
    pub fn all() -> impl Iterator<Item = TaskKind> {
        REGISTRY.iter().map(|entry| entry.kind)
    }

    /// The task's registry entry.
    pub fn entry(self) -> &'static TaskEntry {
        REGISTRY.iter().find(|entry| entry.kind == self).expect("every kind is registered")
    }

    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The task of this name, if there is one.
    pub fn from_name(name: &str) -> Option<TaskKind> {
        REGISTRY.iter().find(|entry| entry.name == name).map(|entry| entry.kind)
    }
}

/// The task a weight file is for, from its header.
pub fn task_of_weights(bytes: &[u8]) -> Result<TaskKind, String> {
    let spec = earshot_nn::format::read(bytes).map_err(|e| e.to_string())?;
    TaskKind::from_name(&spec.task)
        .ok_or_else(|| format!("the weights are for {:?}, which Earshot does not know", spec.task))
}

impl std::fmt::Display for TaskKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_is_registered_once_under_its_name() {
        for entry in REGISTRY {
            assert_eq!(TaskKind::from_name(entry.name), Some(entry.kind));
            assert_eq!(REGISTRY.iter().filter(|e| e.kind == entry.kind).count(), 1);
            let names: Vec<&str> = entry.settings.iter().map(|s| s.name).collect();
            assert!(entry.settings.iter().all(|s| s.min <= s.default && s.default <= s.max));
            assert_eq!(names.len(), names.iter().collect::<std::collections::HashSet<_>>().len());
        }
        assert_eq!(TaskKind::from_name("tempo"), None);
    }
}
