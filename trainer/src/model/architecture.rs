//! A network's architecture as configuration (what a task's config file holds): the layers of
//! `earshot-nn`, without weights, plus dropout, which only training uses.

use serde::{Deserialize, Serialize};

/// An activation, as `earshot_nn::Activation`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationConfig {
    Identity,
    Relu,
    Elu { alpha: f32 },
    Tanh,
    Sigmoid,
    Softmax,
}

/// Max or average pooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolConfig {
    Max,
    Average,
}

/// One layer; shapes and semantics as in `earshot_nn::LayerSpec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerConfig {
    Dense {
        units: usize,
    },
    Conv1d {
        out_channels: usize,
        kernel: usize,
        dilation: usize,
    },
    Conv2d {
        out_channels: usize,
        kernel_time: usize,
        kernel_freq: usize,
        freq_padding: usize,
    },
    Pool {
        kind: PoolConfig,
        time: usize,
        freq: usize,
        freq_stride: usize,
    },
    BatchNorm,
    Activation(ActivationConfig),
    /// Zeroes each value with probability `p` while training; not exported.
    Dropout {
        p: f64,
    },
    Gru {
        hidden: usize,
    },
    Lstm {
        hidden: usize,
    },
}

/// Input frame shape and layers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Architecture {
    /// Input channels (e.g. one per frontend stream) and bins per channel.
    pub channels: usize,
    pub bins: usize,
    pub layers: Vec<LayerConfig>,
}
