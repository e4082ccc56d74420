//! `earshot-trainer`: everything Earshot does offline — audio and annotation I/O, the rendered
//! training corpus, evaluation metrics, training, and the `earshot` command-line tool.

pub mod analysis;
pub mod cli;
pub mod dataset;
pub mod model;
pub mod render;
pub mod train;
