//! Training: examples (features and frame targets) from rendered audio, the losses, and the
//! optimisation loop.

pub mod examples;
pub mod fit;
pub mod loss;
