//! `earshot-nn`: neural-network inference for Earshot's analysis tasks, built for the audio
//! thread. A model ([`ModelSpec`], read from a weight file by [`format::read`]) becomes a
//! [`Network`] whose every buffer is allocated once; [`Network::step`] then takes one feature
//! frame and returns one output frame without allocating, locking or panicking.
//!
//! Layers follow PyTorch's definitions and weight layouts (so trained weights copy over
//! unchanged) but run causally, frame by frame: convolutions and pooling over time keep the last
//! few frames in ring buffers, recurrent layers keep their hidden state.

mod activation;
mod error;
pub mod format;
mod kernels;
mod layers;
mod network;
mod shape;
mod spec;

pub use activation::Activation;
pub use error::ModelError;
pub use network::{Network, OfflineNetwork};
pub use shape::Shape;
pub use spec::{limits, CellKind, LayerSpec, ModelSpec, PoolKind, RecurrentWeights};
