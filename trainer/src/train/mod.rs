//! Training: examples (features and frame targets) from rendered audio, the losses, the
//! optimisation loop, validation, and a whole run from a config file, for any task behind
//! [`crate::tasks::TrainingTask`].

pub mod average;
pub mod cache;
pub mod checkpoint;
pub mod config;
pub mod curves;
pub mod examples;
pub mod fit;
pub mod loss;
pub mod pitch_shift;
pub mod run;
pub mod validation;
