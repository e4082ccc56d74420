//! `earshot-engine`: Earshot's analysis tasks behind one seam, the same in the plug-in, the
//! `earshot` CLI and the trainer's validation.
//!
//! A task ([`LiveTask`]) takes analysis-rate samples and emits typed [`Event`]s; it is sized when
//! it is built and never allocates, locks or panics afterwards. The [`Engine`] holds the enabled
//! tasks and one shared input stage per analysis rate (downmix, clean-up and resampling done
//! once, not once per task), reports one latency — the largest — and stamps every event with its
//! time in host samples and seconds. [`midi`] turns events into notes the same way for the
//! plug-in's MIDI out and the CLI's MIDI files. Adding a task is one folder in [`tasks`] and one
//! entry in its registry.

mod engine;
mod event;
pub mod midi;
pub mod offline;
mod task;
pub mod tasks;

pub use engine::{Engine, EngineError};
pub use event::{Clock, Event, Time};
pub use task::{LiveTask, SettingSpec};
pub use tasks::{task_of_weights, TaskEntry, TaskKind};

/// Unit tests count allocations, to show that the audio-thread paths make none.
#[cfg(test)]
#[global_allocator]
static ALLOCATOR: earshot_alloc_guard::CountingAllocator = earshot_alloc_guard::CountingAllocator;
