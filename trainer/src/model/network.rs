//! The trainable twin of an `earshot-nn` network in burn: the same layers, the same causal
//! padding in time, the same pooling, so that exporting the weights is a mechanical copy.
//! Tensors are `[batch, time, channels, bins]` sequences throughout.

use super::architecture::{ActivationConfig, Architecture, LayerConfig, PoolConfig};
use burn::module::{Module, Param};
use burn::nn::conv::{Conv1d, Conv1dConfig, Conv2d, Conv2dConfig};
use burn::nn::gru::{Gru, GruConfig};
use burn::nn::lstm::{Lstm, LstmConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Dropout, DropoutConfig, Linear, LinearConfig};
use burn::tensor::module::{avg_pool2d, max_pool2d};
use burn::tensor::ops::{AvgPoolOptions, MaxPoolOptions, PadMode};
use burn::tensor::{activation, Device, Tensor};

/// Settings of a layer that has no weights, kept with the module.
#[derive(Module, Debug)]
pub struct Stateless {
    #[module(skip)]
    kind: LayerConfig,
}

/// One trainable layer. (burn's `Module` derive needs the modules inline, so the variants differ
/// in size; a network holds only a handful.)
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Layer {
    Dense(Linear),
    Conv1d(Conv1d),
    Conv2d(Conv2d),
    BatchNorm(BatchNorm),
    Dropout(Dropout),
    Gru(Gru),
    Lstm(Lstm),
    /// Pooling and activations.
    Stateless(Stateless),
}

/// A network of [`Layer`]s with the configuration each was built from.
#[derive(Module, Debug)]
pub struct TrainableNetwork {
    pub layers: Vec<Layer>,
    #[module(skip)]
    pub architecture: Architecture,
}

/// `[batch, time, channels, bins]` → `[batch, time, channels · bins]`.
fn flatten(x: Tensor<4>) -> Tensor<3> {
    let [b, t, c, f] = x.dims();
    x.reshape([b, t, c * f])
}

/// `[batch, time, n]` → `[batch, time, n, 1]`.
fn as_vectors(x: Tensor<3>) -> Tensor<4> {
    x.unsqueeze_dim(3)
}

impl TrainableNetwork {
    /// Builds a network with fresh (random) weights on `device`.
    pub fn new(architecture: &Architecture, device: &Device) -> Result<Self, String> {
        let (mut channels, mut bins) = (architecture.channels, architecture.bins);
        let mut layers = Vec::new();
        for (index, config) in architecture.layers.iter().enumerate() {
            let fail = |message: String| format!("layer {index} ({config:?}): {message}");
            let flat = channels * bins;
            let layer = match config {
                LayerConfig::Dense { units } => {
                    (channels, bins) = (*units, 1);
                    Layer::Dense(LinearConfig::new(flat, *units).init(device))
                }
                LayerConfig::Conv1d { out_channels, kernel, dilation } => {
                    (channels, bins) = (*out_channels, 1);
                    Layer::Conv1d(
                        Conv1dConfig::new(flat, *out_channels, *kernel)
                            .with_dilation(*dilation)
                            .init(device),
                    )
                }
                LayerConfig::Conv2d { out_channels, kernel_time, kernel_freq, freq_padding } => {
                    let padded = bins + 2 * freq_padding;
                    if padded < *kernel_freq {
                        return Err(fail(format!("kernel_freq exceeds {padded} padded bins")));
                    }
                    let conv =
                        Conv2dConfig::new([channels, *out_channels], [*kernel_time, *kernel_freq])
                            .init(device);
                    (channels, bins) = (*out_channels, padded - kernel_freq + 1);
                    Layer::Conv2d(conv)
                }
                LayerConfig::Pool { freq, freq_stride, .. } => {
                    if *freq > bins || *freq_stride == 0 {
                        return Err(fail(format!("cannot pool {freq} of {bins} bins")));
                    }
                    bins = (bins - freq) / freq_stride + 1;
                    Layer::Stateless(Stateless { kind: config.clone() })
                }
                LayerConfig::BatchNorm => {
                    Layer::BatchNorm(BatchNormConfig::new(channels).init(device))
                }
                LayerConfig::Activation(_) => Layer::Stateless(Stateless { kind: config.clone() }),
                LayerConfig::Dropout { p } => Layer::Dropout(DropoutConfig::new(*p).init()),
                LayerConfig::Gru { hidden } => {
                    (channels, bins) = (*hidden, 1);
                    Layer::Gru(GruConfig::new(flat, *hidden, true).init(device))
                }
                LayerConfig::Lstm { hidden } => {
                    (channels, bins) = (*hidden, 1);
                    Layer::Lstm(LstmConfig::new(flat, *hidden, true).init(device))
                }
            };
            layers.push(layer);
        }
        Ok(TrainableNetwork { layers, architecture: architecture.clone() })
    }

    /// Sets how fast every batch norm's running statistics follow the batches: each training
    /// batch moves them by `momentum` of the way to its own statistics.
    pub fn with_batch_norm_momentum(mut self, momentum: f64) -> Self {
        for layer in &mut self.layers {
            if let Layer::BatchNorm(norm) = layer {
                norm.momentum = momentum;
            }
        }
        self
    }

    /// The network cut down to `architecture`: the one it was built from without the extra
    /// outputs of [`Architecture::with_extra_outputs`]. The last dense layer keeps its first
    /// units (weights and biases); every other layer is unchanged.
    pub fn keeping_outputs_of(mut self, architecture: &Architecture) -> Result<Self, String> {
        let units = architecture
            .layers
            .iter()
            .rev()
            .find_map(|layer| match layer {
                LayerConfig::Dense { units } => Some(*units),
                _ => None,
            })
            .ok_or("no dense output layer to cut down")?;
        let Some(Layer::Dense(linear)) =
            self.layers.iter_mut().rev().find(|layer| matches!(layer, Layer::Dense(_)))
        else {
            return Err("no dense output layer to cut down".into());
        };
        let [_, outputs] = linear.weight.val().dims();
        if units > outputs {
            return Err(format!("cannot keep {units} of {outputs} outputs"));
        }
        linear.weight = Param::from_tensor(linear.weight.val().narrow(1, 0, units));
        linear.bias = linear.bias.take().map(|b| Param::from_tensor(b.val().narrow(0, 0, units)));
        self.architecture = architecture.clone();
        Ok(self)
    }

    /// Runs whole sequences: `[batch, time, channels, bins]` in, the same layout out, causal in
    /// time with zeros before the first frame (as `earshot_nn::Network` steps).
    pub fn forward(&self, mut x: Tensor<4>) -> Tensor<4> {
        for (layer, config) in self.layers.iter().zip(&self.architecture.layers) {
            x = match (layer, config) {
                (Layer::Dense(linear), _) => as_vectors(linear.forward(flatten(x))),
                (Layer::Conv1d(conv), LayerConfig::Conv1d { kernel, dilation, .. }) => {
                    let sequence = flatten(x).swap_dims(1, 2);
                    let padded = sequence.pad(
                        [(0, 0), (0, 0), ((kernel - 1) * dilation, 0)],
                        PadMode::Constant(0.0),
                    );
                    as_vectors(conv.forward(padded).swap_dims(1, 2))
                }
                (Layer::Conv2d(conv), LayerConfig::Conv2d { kernel_time, freq_padding, .. }) => {
                    let image = x.swap_dims(1, 2);
                    let pads =
                        [(0, 0), (0, 0), (kernel_time - 1, 0), (*freq_padding, *freq_padding)];
                    conv.forward(image.pad(pads, PadMode::Constant(0.0))).swap_dims(1, 2)
                }
                (Layer::BatchNorm(norm), _) => norm.forward(x.swap_dims(1, 2)).swap_dims(1, 2),
                (Layer::Dropout(dropout), _) => dropout.forward(x),
                (Layer::Gru(gru), _) => as_vectors(gru.forward(flatten(x), None)),
                (Layer::Lstm(lstm), _) => as_vectors(lstm.forward(flatten(x), None).0),
                (Layer::Stateless(_), LayerConfig::Pool { kind, time, freq, freq_stride }) => {
                    let image = x
                        .swap_dims(1, 2)
                        .pad([(0, 0), (0, 0), (time - 1, 0), (0, 0)], PadMode::Constant(0.0));
                    let (kernel, stride) = ([*time, *freq], [1, *freq_stride]);
                    let pooled = match kind {
                        PoolConfig::Max => {
                            max_pool2d(image, MaxPoolOptions::new(kernel).with_stride(stride))
                        }
                        PoolConfig::Average => {
                            avg_pool2d(image, AvgPoolOptions::new(kernel).with_stride(stride))
                        }
                    };
                    pooled.swap_dims(1, 2)
                }
                (Layer::Stateless(_), LayerConfig::Activation(activation)) => match activation {
                    ActivationConfig::Identity => x,
                    ActivationConfig::Relu => activation::relu(x),
                    ActivationConfig::Elu { alpha } => activation::elu(x, *alpha as f64),
                    ActivationConfig::Tanh => activation::tanh(x),
                    ActivationConfig::Sigmoid => activation::sigmoid(x),
                    ActivationConfig::Softmax => activation::softmax(x, 2),
                },
                (layer, config) => unreachable!("layer {layer:?} was built from {config:?}"),
            };
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_cut_down_to_its_outputs_computes_them_as_before() {
        let architecture = Architecture {
            channels: 2,
            bins: 3,
            layers: vec![
                LayerConfig::Dense { units: 4 },
                LayerConfig::Activation(ActivationConfig::Relu),
                LayerConfig::Dense { units: 1 },
                LayerConfig::Activation(ActivationConfig::Sigmoid),
            ],
        };
        let device = Device::flex();
        let wider = architecture.with_extra_outputs(3).unwrap();
        let network = TrainableNetwork::new(&wider, &device).unwrap();
        let x = Tensor::<1>::from_floats(
            [0.5, -1.0, 2.0, 0.1, 0.0, -0.3, 1.5, 0.2, -2.0, 0.7, 0.4, 1.0],
            &device,
        )
        .reshape([1, 2, 2, 3]);
        let all = network.forward(x.clone());
        assert_eq!(all.dims(), [1, 2, 4, 1]);
        let cut = network.keeping_outputs_of(&architecture).unwrap();
        assert_eq!(cut.architecture, architecture);
        let kept = cut.forward(x);
        assert_eq!(kept.dims(), [1, 2, 1, 1]);
        let difference: f32 = (kept - all.narrow(2, 0, 1)).abs().max().into_scalar();
        assert_eq!(difference, 0.0);
    }

    #[test]
    fn batch_norm_running_mean_moves_by_the_momentum() {
        let architecture =
            Architecture { channels: 2, bins: 1, layers: vec![LayerConfig::BatchNorm] };
        let device = Device::flex().autodiff();
        let network =
            TrainableNetwork::new(&architecture, &device).unwrap().with_batch_norm_momentum(0.25);
        // One sequence of two frames: channel 0 has mean 2, channel 1 mean −4.
        let x = Tensor::<1>::from_floats([1.0, -3.0, 3.0, -5.0], &device).reshape([1, 2, 2, 1]);
        network.forward(x);
        let Layer::BatchNorm(norm) = &network.layers[0] else { panic!("a batch norm") };
        let mean: Vec<f32> = norm.running_mean.value_sync().into_data().try_into_vec().unwrap();
        assert_eq!(mean, vec![0.5, -1.0]);
    }
}
