//! Helpers for the workspace-level tests in `tests/`: where the built artefacts are, a CLAP
//! host, Ardour run headless, a virtual display for the editor, and test signals. The tests expect the artefacts
//! that `cargo xtask test` builds before it runs them.

pub mod ardour;
pub mod clap_host;
pub mod display;
pub mod latency;
pub mod notes;
pub mod paths;
pub mod signals;
pub mod stress;
