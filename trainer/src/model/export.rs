//! Copies a trained network into an `earshot-nn` model: each layer's weights rearranged into
//! PyTorch's layout (which `earshot-nn` reads), dropout left out.

use super::architecture::{ActivationConfig, LayerConfig, PoolConfig};
use super::network::{Layer, TrainableNetwork};
use burn::nn::GateController;
use burn::tensor::Tensor;
use earshot_dsp::FrontendConfig;
use earshot_nn::{Activation, CellKind, LayerSpec, ModelSpec, PoolKind, RecurrentWeights, Shape};

fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().convert::<f32>().try_into_vec::<f32>().expect("float tensors convert to f32")
}

/// A linear map's weight as `[out][in]` (burn stores `[in][out]`).
fn rows(linear: &burn::nn::Linear) -> Vec<f32> {
    values(linear.weight.val().transpose())
}

fn bias_or_zeros(bias: &Option<burn::module::Param<Tensor<1>>>, len: usize) -> Vec<f32> {
    bias.as_ref().map_or_else(|| vec![0.0; len], |b| values(b.val()))
}

/// PyTorch's stacked recurrent weights from burn's per-gate controllers, in PyTorch's gate order.
fn recurrent(gates: &[&GateController], hidden: usize) -> RecurrentWeights {
    let mut weights = RecurrentWeights {
        weight_ih: Vec::new(),
        weight_hh: Vec::new(),
        bias_ih: Vec::new(),
        bias_hh: Vec::new(),
    };
    for gate in gates {
        weights.weight_ih.extend(rows(&gate.input_transform));
        weights.weight_hh.extend(rows(&gate.hidden_transform));
        weights.bias_ih.extend(bias_or_zeros(&gate.input_transform.bias, hidden));
        weights.bias_hh.extend(bias_or_zeros(&gate.hidden_transform.bias, hidden));
    }
    weights
}

/// The `earshot-nn` model of a network, for `task`, fed by `frontend`.
pub fn to_spec(
    network: &TrainableNetwork,
    task: &str,
    frontend: FrontendConfig,
    metadata: Vec<(String, String)>,
) -> Result<ModelSpec, String> {
    let architecture = &network.architecture;
    let mut layers = Vec::new();
    for (layer, config) in network.layers.iter().zip(&architecture.layers) {
        let spec = match (layer, config) {
            (Layer::Dense(linear), LayerConfig::Dense { units }) => LayerSpec::Dense {
                units: *units,
                weight: rows(linear),
                bias: bias_or_zeros(&linear.bias, *units),
            },
            (Layer::Conv1d(conv), LayerConfig::Conv1d { out_channels, kernel, dilation }) => {
                LayerSpec::Conv1d {
                    out_channels: *out_channels,
                    kernel: *kernel,
                    dilation: *dilation,
                    weight: values(conv.weight.val()),
                    bias: bias_or_zeros(&conv.bias, *out_channels),
                }
            }
            (
                Layer::Conv2d(conv),
                LayerConfig::Conv2d { out_channels, kernel_time, kernel_freq, freq_padding },
            ) => LayerSpec::Conv2d {
                out_channels: *out_channels,
                kernel_time: *kernel_time,
                kernel_freq: *kernel_freq,
                freq_padding: *freq_padding,
                weight: values(conv.weight.val()),
                bias: bias_or_zeros(&conv.bias, *out_channels),
            },
            (Layer::BatchNorm(norm), LayerConfig::BatchNorm) => LayerSpec::BatchNorm {
                eps: norm.epsilon as f32,
                mean: values(norm.running_mean.value_sync()),
                variance: values(norm.running_var.value_sync()),
                scale: values(norm.gamma.val()),
                shift: values(norm.beta.val()),
            },
            (Layer::Dropout(_), _) => continue,
            (Layer::Gru(gru), LayerConfig::Gru { hidden }) => LayerSpec::Recurrent {
                cell: CellKind::Gru,
                hidden: *hidden,
                directions: vec![recurrent(
                    &[&gru.reset_gate, &gru.update_gate, &gru.new_gate],
                    *hidden,
                )],
            },
            (Layer::Lstm(lstm), LayerConfig::Lstm { hidden }) => {
                let forget = lstm
                    .forget_gate
                    .as_ref()
                    .ok_or("a coupled-gate LSTM has no earshot-nn equivalent")?;
                LayerSpec::Recurrent {
                    cell: CellKind::Lstm,
                    hidden: *hidden,
                    directions: vec![recurrent(
                        &[&lstm.input_gate, forget, &lstm.cell_gate, &lstm.output_gate],
                        *hidden,
                    )],
                }
            }
            (Layer::Stateless(_), LayerConfig::Pool { kind, time, freq, freq_stride }) => {
                LayerSpec::Pool {
                    kind: match kind {
                        PoolConfig::Max => PoolKind::Max,
                        PoolConfig::Average => PoolKind::Average,
                    },
                    time: *time,
                    freq: *freq,
                    freq_stride: *freq_stride,
                }
            }
            (Layer::Stateless(_), LayerConfig::Activation(activation)) => {
                LayerSpec::Activation(match activation {
                    ActivationConfig::Identity => Activation::Identity,
                    ActivationConfig::Relu => Activation::Relu,
                    ActivationConfig::Elu { alpha } => Activation::Elu { alpha: *alpha },
                    ActivationConfig::Tanh => Activation::Tanh,
                    ActivationConfig::Sigmoid => Activation::Sigmoid,
                    ActivationConfig::Softmax => Activation::Softmax,
                })
            }
            (layer, config) => {
                return Err(format!("layer {layer:?} does not match its configuration {config:?}"))
            }
        };
        layers.push(spec);
    }
    let spec = ModelSpec {
        task: task.to_string(),
        frontend,
        metadata,
        input: Shape { channels: architecture.channels, bins: architecture.bins },
        layers,
    };
    spec.validate().map_err(|e| e.to_string())?;
    Ok(spec)
}
