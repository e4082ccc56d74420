//! The engine: the enabled tasks, one shared input stage per analysis rate, one latency.

use crate::event::{Clock, Event};
use crate::task::LiveTask;
use crate::tasks::TaskKind;
use earshot_dsp::InputStage;

/// Why an engine could not be built or a setting not applied.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineError(pub String);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EngineError {}

/// Host audio downmixed, cleaned and resampled once for every task at its analysis rate.
struct Stage {
    input: InputStage,
    /// The host sample at which the stage last started from silence.
    origin: u64,
}

struct Slot {
    task: Box<dyn LiveTask>,
    stage: usize,
    enabled: bool,
    /// The host sample the task's clock starts at.
    origin: u64,
    latency: usize,
}

/// Earshot's analysis of one audio stream: every task sized at construction; `push`, `set_index`,
/// `set_enabled` and `reset` never allocate, lock or panic.
pub struct Engine {
    host_rate: f64,
    stages: Vec<Stage>,
    slots: Vec<Slot>,
    /// Host samples pushed since the last reset.
    position: u64,
}

impl Engine {
    /// An engine running `tasks`, each with its weights (`None`: the shipped ones), on audio at
    /// `host_rate` Hz. Allocates: not for the audio thread.
    pub fn new(host_rate: f64, tasks: &[(TaskKind, Option<&[u8]>)]) -> Result<Self, EngineError> {
        let mut engine = Engine { host_rate, stages: Vec::new(), slots: Vec::new(), position: 0 };
        for (index, &(kind, weights)) in tasks.iter().enumerate() {
            if tasks[..index].iter().any(|(other, _)| *other == kind) {
                return Err(EngineError(format!("{kind} is asked for twice")));
            }
            let entry = kind.entry();
            let task = (entry.build)(weights.unwrap_or(entry.default_weights))
                .map_err(|e| EngineError(format!("{kind} weights: {e}")))?;
            let rate = task.analysis_rate();
            let stage = match engine.stages.iter().position(|s| s.input.analysis_rate() == rate) {
                Some(index) => index,
                None => {
                    let input = InputStage::new(host_rate, rate).map_err(EngineError)?;
                    engine.stages.push(Stage { input, origin: 0 });
                    engine.stages.len() - 1
                }
            };
            let latency = task.latency_samples(&engine.stages[stage].input);
            engine.slots.push(Slot { task, stage, enabled: true, origin: 0, latency });
        }
        Ok(engine)
    }

    /// An engine running `kinds` with their shipped weights.
    pub fn with_default_weights(host_rate: f64, kinds: &[TaskKind]) -> Result<Self, EngineError> {
        let tasks: Vec<(TaskKind, Option<&[u8]>)> = kinds.iter().map(|&k| (k, None)).collect();
        Self::new(host_rate, &tasks)
    }

    /// The host rate it was built for.
    pub fn host_rate(&self) -> f64 {
        self.host_rate
    }

    /// Its tasks, in the order they were given.
    pub fn tasks(&self) -> impl Iterator<Item = TaskKind> + '_ {
        self.slots.iter().map(|slot| slot.task.kind())
    }

    /// The latency to report, in host samples: the largest of its tasks', whether enabled or
    /// not, so that it never changes while the engine lives.
    pub fn latency_samples(&self) -> usize {
        self.slots.iter().map(|slot| slot.latency).max().unwrap_or(0)
    }

    /// One task's own latency.
    pub fn task_latency_samples(&self, kind: TaskKind) -> Option<usize> {
        self.slot(kind).map(|slot| slot.latency)
    }

    /// A task's weights' metadata (the command that trained them, …).
    pub fn metadata(&self, kind: TaskKind) -> Option<&[(String, String)]> {
        self.slot(kind).map(|slot| slot.task.metadata())
    }

    /// Host samples pushed since the last reset.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Sets a task's setting by name, refusing a value outside its range (for the command line).
    pub fn set(&mut self, kind: TaskKind, name: &str, value: f32) -> Result<(), EngineError> {
        let settings = kind.entry().settings;
        let (index, spec) = settings
            .iter()
            .enumerate()
            .find(|(_, spec)| spec.name == name)
            .ok_or_else(|| EngineError(format!("{kind} has no setting {name:?}")))?;
        if !(spec.min..=spec.max).contains(&value) {
            return Err(EngineError(format!(
                "{kind} {name} {value} is not between {} and {}",
                spec.min, spec.max
            )));
        }
        self.set_index(kind, index, value);
        Ok(())
    }

    /// Sets setting `index` of a task (clamped to its range): for the audio thread.
    pub fn set_index(&mut self, kind: TaskKind, index: usize, value: f32) {
        if let Some(slot) = self.slots.iter_mut().find(|slot| slot.task.kind() == kind) {
            slot.task.set(index, value);
        }
    }

    /// Whether a task runs. Switched on again, it starts afresh at the current position.
    pub fn set_enabled(&mut self, kind: TaskKind, enabled: bool) {
        let Some(index) = self.slots.iter().position(|slot| slot.task.kind() == kind) else {
            return;
        };
        if self.slots[index].enabled == enabled {
            return;
        }
        let stage = self.slots[index].stage;
        if enabled && !self.stage_in_use(stage) {
            let stage = &mut self.stages[stage];
            stage.input.reset();
            stage.origin = self.position;
        }
        let stage = &self.stages[stage];
        let slot = &mut self.slots[index];
        slot.task.reset();
        slot.enabled = enabled;
        // The next sample the stage hands on, on the host's clock.
        let ratio = self.host_rate / stage.input.analysis_rate() as f64;
        slot.origin = stage.origin + (stage.input.produced() as f64 * ratio).round() as u64;
    }

    /// Whether a task runs.
    pub fn is_enabled(&self, kind: TaskKind) -> bool {
        self.slot(kind).is_some_and(|slot| slot.enabled)
    }

    /// Forgets all audio: every task and stage as at the start, the position back to 0.
    pub fn reset(&mut self) {
        self.stages.iter_mut().for_each(|stage| {
            stage.input.reset();
            stage.origin = 0;
        });
        self.slots.iter_mut().for_each(|slot| {
            slot.task.reset();
            slot.origin = 0;
        });
        self.position = 0;
    }

    /// Takes a block of host audio (one slice per channel, `frames` long) and emits every event
    /// the enabled tasks complete in it.
    pub fn push<S: AsRef<[f32]>>(
        &mut self,
        channels: &[S],
        frames: usize,
        mut emit: impl FnMut(Event),
    ) {
        let host_rate = self.host_rate;
        for (index, stage) in self.stages.iter_mut().enumerate() {
            let slots = &mut self.slots;
            if !slots.iter().any(|slot| slot.enabled && slot.stage == index) {
                continue;
            }
            stage.input.push(channels, frames, &mut |samples: &[f32]| {
                for slot in slots.iter_mut().filter(|slot| slot.enabled && slot.stage == index) {
                    let clock = Clock { origin: slot.origin, host_rate };
                    slot.task.push(samples, &clock, &mut emit);
                }
            });
        }
        self.position += frames as u64;
    }

    fn slot(&self, kind: TaskKind) -> Option<&Slot> {
        self.slots.iter().find(|slot| slot.task.kind() == kind)
    }

    fn stage_in_use(&self, stage: usize) -> bool {
        self.slots.iter().any(|slot| slot.enabled && slot.stage == stage)
    }
}
