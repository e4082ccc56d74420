//! One file's analysis as Earshot reports it, for the `earshot` command and the Python package
//! alike: a [`Plan`] (tasks, settings, weights) checked before any audio is read, the run of a
//! decoded signal through the engine ([`Engines::analyse`]), the result files, and live events
//! as plain records.

pub mod analysis;
pub mod events;
pub mod files;
pub mod plan;

pub use analysis::{Engines, Report};
pub use files::Analysis;
pub use plan::{Plan, Settings};
