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

impl Architecture {
    /// The same layers with `extra` more units in the last dense layer: outputs that only
    /// training uses (auxiliary targets), dropped again on export by
    /// `TrainableNetwork::keeping_outputs_of`. Only element-wise activations other than a
    /// softmax may follow that layer, so the extra units cannot change the kept ones.
    pub fn with_extra_outputs(&self, extra: usize) -> Result<Architecture, String> {
        let last_dense = self
            .layers
            .iter()
            .rposition(|layer| matches!(layer, LayerConfig::Dense { .. }))
            .ok_or("extra outputs need a dense output layer")?;
        let element_wise = |layer: &LayerConfig| match layer {
            LayerConfig::Activation(activation) => *activation != ActivationConfig::Softmax,
            _ => false,
        };
        if !self.layers[last_dense + 1..].iter().all(element_wise) {
            return Err("extra outputs need a dense output layer followed only by element-wise \
                        activations"
                .into());
        }
        let mut architecture = self.clone();
        if let LayerConfig::Dense { units } = &mut architecture.layers[last_dense] {
            *units += extra;
        }
        Ok(architecture)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense_then(units: usize, after: LayerConfig) -> Architecture {
        Architecture { channels: 2, bins: 3, layers: vec![LayerConfig::Dense { units }, after] }
    }

    #[test]
    fn extra_outputs_widen_the_last_dense_layer() {
        let sigmoid = LayerConfig::Activation(ActivationConfig::Sigmoid);
        let wider = dense_then(1, sigmoid.clone()).with_extra_outputs(88).unwrap();
        assert_eq!(wider, dense_then(89, sigmoid));
        let softmax = dense_then(1, LayerConfig::Activation(ActivationConfig::Softmax));
        assert!(softmax.with_extra_outputs(2).is_err());
        assert!(dense_then(1, LayerConfig::BatchNorm).with_extra_outputs(2).is_err());
        let no_dense = Architecture { channels: 1, bins: 1, layers: vec![LayerConfig::BatchNorm] };
        assert!(no_dense.with_extra_outputs(2).is_err());
    }
}
