//! A model as data: the task, the features it expects, its layers and their weights. The weight
//! file stores exactly this; [`crate::Network`] turns it into something that runs.

use crate::{Activation, ModelError, Shape};
use earshot_dsp::FrontendConfig;

/// Limits that keep a hostile or broken model from exhausting memory.
pub mod limits {
    /// Most layers in a model.
    pub const LAYERS: usize = 64;
    /// Most values in one frame between layers.
    pub const FRAME_VALUES: usize = 65_536;
    /// Most values in one weight tensor.
    pub const TENSOR_VALUES: usize = 1 << 22;
    /// Most values of state (histories, hidden states) in one layer.
    pub const STATE_VALUES: usize = 1 << 22;
    /// Largest kernel extent over time and over frequency.
    pub const KERNEL: usize = 64;
    /// Largest dilation over time.
    pub const DILATION: usize = 512;
    /// Longest text field (task, metadata, the frontend's JSON).
    pub const TEXT_BYTES: usize = 1 << 20;
    /// Most metadata entries.
    pub const METADATA_ENTRIES: usize = 64;
    /// Most values of state (histories, hidden states, outputs) in the whole model: 32 MB.
    pub const MODEL_STATE_VALUES: usize = 1 << 23;
    /// Most multiply-adds (or comparisons) the layers may do per frame: a few hundredths of a
    /// second of one core. The shipped onset model does about 380 000.
    pub const WORK_PER_FRAME: usize = 200_000_000;
    /// Most multiply-adds the layers may do per second of audio, at the frontend's frame rate:
    /// a hundred times the shipped onset model's 38 million, and about a third of what the
    /// engine's kernels do in a second on one core, so any model that loads runs in real time.
    pub const WORK_PER_SECOND: f64 = 4e9;
    /// Largest magnitude of any weight, bias, statistic, `eps` or ELU `alpha` (a variance may
    /// reach its square). Trained models stay far below (the shipped onset model's largest is
    /// 14); beyond it, single-precision arithmetic overflows within a few layers.
    pub const MAGNITUDE: f32 = 1e4;
}

/// A complete model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// What the model detects ("onsets", "beats", …).
    pub task: String,
    /// The features the model was trained on, with their standardisation statistics.
    pub frontend: FrontendConfig,
    /// Free-form facts: the command that produced the weights, the data, the seed, …
    pub metadata: Vec<(String, String)>,
    /// The shape of one input frame: the frontend's frame, split into channels.
    pub input: Shape,
    pub layers: Vec<LayerSpec>,
}

/// Max or average pooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolKind {
    Max,
    Average,
}

/// GRU (gates r, z, n) or LSTM (gates i, f, g, o), in PyTorch's layout and equations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Gru,
    Lstm,
}

impl CellKind {
    /// Gate blocks stacked in the weight matrices.
    pub fn gates(self) -> usize {
        match self {
            CellKind::Gru => 3,
            CellKind::Lstm => 4,
        }
    }
}

/// The weights of one recurrent direction, as PyTorch's `weight_ih_l0`, `weight_hh_l0`,
/// `bias_ih_l0`, `bias_hh_l0`: `[gates·hidden][input]`, `[gates·hidden][hidden]`, and two
/// `[gates·hidden]` biases.
#[derive(Debug, Clone, PartialEq)]
pub struct RecurrentWeights {
    pub weight_ih: Vec<f32>,
    pub weight_hh: Vec<f32>,
    pub bias_ih: Vec<f32>,
    pub bias_hh: Vec<f32>,
}

/// One layer. Weights are row-major in PyTorch's layout. Time runs causally: a layer's output
/// at frame `t` depends on frames `≤ t` only, with zeros before the first frame.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerSpec {
    /// Fully connected over the whole (flattened) frame: `weight` is `[units][input len]`.
    /// Output: a vector of `units`.
    Dense {
        units: usize,
        weight: Vec<f32>,
        bias: Vec<f32>,
    },
    /// Causal convolution over time of the flattened frame: `weight` is
    /// `[out_channels][input len][kernel]`, tap `k` seeing frame `t − (kernel−1−k)·dilation`.
    /// Output: a vector of `out_channels`.
    Conv1d {
        out_channels: usize,
        kernel: usize,
        dilation: usize,
        weight: Vec<f32>,
        bias: Vec<f32>,
    },
    /// Convolution over a time × frequency patch, causal in time, stride 1, `freq_padding` zero
    /// bins on both sides: `weight` is `[out_channels][in channels][kernel_time][kernel_freq]`.
    /// Output: `out_channels × (bins + 2·freq_padding − kernel_freq + 1)`.
    Conv2d {
        out_channels: usize,
        kernel_time: usize,
        kernel_freq: usize,
        freq_padding: usize,
        weight: Vec<f32>,
        bias: Vec<f32>,
    },
    /// Pooling per channel over `time` frames (stride 1, causal) × `freq` bins (stride
    /// `freq_stride`, no padding). Output: `channels × ((bins − freq) / freq_stride + 1)`.
    Pool {
        kind: PoolKind,
        time: usize,
        freq: usize,
        freq_stride: usize,
    },
    /// Batch normalisation per channel with running statistics (inference form).
    BatchNorm {
        eps: f32,
        mean: Vec<f32>,
        variance: Vec<f32>,
        scale: Vec<f32>,
        shift: Vec<f32>,
    },
    Activation(Activation),
    /// A recurrent layer over the flattened frame. `directions` holds one set of weights, or two
    /// for a bidirectional layer (forward, then backward; outputs concatenated in that order),
    /// which needs the whole sequence and so runs offline only. Output: a vector of
    /// `hidden × directions`.
    Recurrent {
        cell: CellKind,
        hidden: usize,
        directions: Vec<RecurrentWeights>,
    },
}

impl LayerSpec {
    /// A short name for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            LayerSpec::Dense { .. } => "dense",
            LayerSpec::Conv1d { .. } => "conv1d",
            LayerSpec::Conv2d { .. } => "conv2d",
            LayerSpec::Pool { .. } => "pool",
            LayerSpec::BatchNorm { .. } => "batch-norm",
            LayerSpec::Activation(_) => "activation",
            LayerSpec::Recurrent { cell: CellKind::Gru, .. } => "gru",
            LayerSpec::Recurrent { cell: CellKind::Lstm, .. } => "lstm",
        }
    }

    /// Whether the layer needs the whole sequence (a bidirectional recurrent layer).
    pub fn is_offline_only(&self) -> bool {
        matches!(self, LayerSpec::Recurrent { directions, .. } if directions.len() > 1)
    }

    /// The values of past frames the layer keeps (`None` when that overflows `usize`); sizes as
    /// checked by [`Self::output_shape`].
    fn history_values(&self, input: Shape) -> Option<usize> {
        match self {
            LayerSpec::Conv1d { kernel, dilation, .. } => kernel
                .checked_sub(1)?
                .checked_mul(*dilation)?
                .checked_add(1)?
                .checked_mul(input.len()),
            LayerSpec::Conv2d { kernel_time, .. } => kernel_time.checked_mul(input.len()),
            LayerSpec::Pool { time, .. } => time.checked_mul(input.len()),
            LayerSpec::Recurrent { hidden, directions, cell, .. } => {
                Some(hidden * directions.len() * (cell.gates() + 2))
            }
            _ => Some(0),
        }
    }

    /// Multiply-adds (comparisons, for pooling) per frame of a layer that fits `input` and
    /// gives `output` (both checked by [`Self::output_shape`]).
    fn work_per_frame(&self, input: Shape, output: Shape) -> usize {
        match self {
            LayerSpec::Dense { units, .. } => units * input.len(),
            LayerSpec::Conv1d { out_channels, kernel, .. } => out_channels * input.len() * kernel,
            LayerSpec::Conv2d { kernel_time, kernel_freq, .. } => {
                output.len() * input.channels * kernel_time * kernel_freq
            }
            LayerSpec::Pool { time, freq, .. } => output.len() * time * freq,
            LayerSpec::BatchNorm { .. } | LayerSpec::Activation(_) => input.len(),
            LayerSpec::Recurrent { cell, hidden, directions } => {
                directions.len() * cell.gates() * hidden * (input.len() + hidden)
            }
        }
    }

    /// Checks the layer against its input shape (sizes, tensor lengths, limits, finite weights
    /// of bounded magnitude) and gives its output shape.
    pub fn output_shape(&self, input: Shape) -> Result<Shape, String> {
        let output = match self {
            LayerSpec::Dense { units, weight, bias } => {
                width("units", *units)?;
                tensor("weight", weight, units.checked_mul(input.len()))?;
                tensor("bias", bias, Some(*units))?;
                Shape::vector(*units)
            }
            LayerSpec::Conv1d { out_channels, kernel, dilation, weight, bias } => {
                width("out_channels", *out_channels)?;
                within("kernel", *kernel, limits::KERNEL)?;
                within("dilation", *dilation, limits::DILATION)?;
                state("history", self.history_values(input))?;
                let len =
                    out_channels.checked_mul(input.len()).and_then(|n| n.checked_mul(*kernel));
                tensor("weight", weight, len)?;
                tensor("bias", bias, Some(*out_channels))?;
                Shape::vector(*out_channels)
            }
            LayerSpec::Conv2d {
                out_channels,
                kernel_time,
                kernel_freq,
                freq_padding,
                weight,
                bias,
            } => {
                width("out_channels", *out_channels)?;
                within("kernel_time", *kernel_time, limits::KERNEL)?;
                within("kernel_freq", *kernel_freq, limits::KERNEL)?;
                if *freq_padding >= *kernel_freq {
                    return Err(format!(
                        "freq_padding {freq_padding} must be smaller than kernel_freq {kernel_freq}"
                    ));
                }
                let padded = input.bins + 2 * freq_padding;
                if padded < *kernel_freq {
                    return Err(format!("kernel_freq {kernel_freq} exceeds {padded} padded bins"));
                }
                state("history", self.history_values(input))?;
                let len = [input.channels, *kernel_time, *kernel_freq]
                    .iter()
                    .try_fold(*out_channels, |n, m| n.checked_mul(*m));
                tensor("weight", weight, len)?;
                tensor("bias", bias, Some(*out_channels))?;
                Shape { channels: *out_channels, bins: padded - kernel_freq + 1 }
            }
            LayerSpec::Pool { time, freq, freq_stride, .. } => {
                within("time", *time, limits::KERNEL)?;
                within("freq", *freq, limits::KERNEL)?;
                within("freq_stride", *freq_stride, limits::KERNEL)?;
                if *freq > input.bins {
                    return Err(format!("pools {freq} bins of a {}-bin input", input.bins));
                }
                state("history", self.history_values(input))?;
                Shape { channels: input.channels, bins: (input.bins - freq) / freq_stride + 1 }
            }
            LayerSpec::BatchNorm { eps, mean, variance, scale, shift } => {
                if !(0.0..=limits::MAGNITUDE).contains(eps) {
                    return Err(format!("eps {eps} is outside 0..={}", limits::MAGNITUDE));
                }
                for (name, values) in [("mean", mean), ("scale", scale), ("shift", shift)] {
                    tensor(name, values, Some(input.channels))?;
                }
                let squared = limits::MAGNITUDE * limits::MAGNITUDE;
                check_length("variance", variance, Some(input.channels))?;
                check_magnitude("variance", variance, squared)?;
                if variance.iter().any(|v| *v < 0.0 || *v + *eps <= 0.0) {
                    return Err("variance + eps must be positive".into());
                }
                input
            }
            LayerSpec::Activation(activation) => {
                if let Activation::Elu { alpha } = activation {
                    if alpha.is_nan() || alpha.abs() > limits::MAGNITUDE {
                        return Err(format!("ELU alpha {alpha} is outside ±{}", limits::MAGNITUDE));
                    }
                }
                input
            }
            LayerSpec::Recurrent { cell, hidden, directions } => {
                width("hidden", *hidden)?;
                if !(1..=2).contains(&directions.len()) {
                    return Err(format!("{} directions; 1 or 2 are allowed", directions.len()));
                }
                let rows = cell.gates() * hidden;
                for weights in directions {
                    tensor("weight_ih", &weights.weight_ih, rows.checked_mul(input.len()))?;
                    tensor("weight_hh", &weights.weight_hh, Some(rows * hidden))?;
                    tensor("bias_ih", &weights.bias_ih, Some(rows))?;
                    tensor("bias_hh", &weights.bias_hh, Some(rows))?;
                }
                Shape::vector(hidden * directions.len())
            }
        };
        if output.is_empty() || output.len() > limits::FRAME_VALUES {
            return Err(format!(
                "output of {} values; 1..={} are allowed",
                output.len(),
                limits::FRAME_VALUES
            ));
        }
        Ok(output)
    }
}

fn within(name: &str, value: usize, limit: usize) -> Result<(), String> {
    if (1..=limit).contains(&value) {
        Ok(())
    } else {
        Err(format!("{name} {value} is outside 1..={limit}"))
    }
}

fn width(name: &str, value: usize) -> Result<(), String> {
    within(name, value, limits::FRAME_VALUES)
}

fn state(name: &str, values: Option<usize>) -> Result<(), String> {
    match values {
        Some(n) if n <= limits::STATE_VALUES => Ok(()),
        _ => Err(format!("{name} would exceed {} values", limits::STATE_VALUES)),
    }
}

/// Checks a weight tensor's length and that every value is finite and within
/// [`limits::MAGNITUDE`].
fn tensor(name: &str, values: &[f32], expected: Option<usize>) -> Result<(), String> {
    check_length(name, values, expected)?;
    check_magnitude(name, values, limits::MAGNITUDE)
}

fn check_length(name: &str, values: &[f32], expected: Option<usize>) -> Result<(), String> {
    match expected {
        Some(n) if n == values.len() && n <= limits::TENSOR_VALUES => Ok(()),
        Some(n) if n == values.len() => {
            Err(format!("{name} has {n} values, more than {}", limits::TENSOR_VALUES))
        }
        Some(n) => Err(format!("{name} has {} values, expected {n}", values.len())),
        None => Err(format!("{name} would be larger than memory")),
    }
}

fn check_magnitude(name: &str, values: &[f32], limit: f32) -> Result<(), String> {
    match values.iter().position(|v| v.is_nan() || v.abs() > limit) {
        Some(position) if values[position].is_finite() => {
            Err(format!("{name}[{position}] is {:e}, outside ±{limit}", values[position]))
        }
        Some(position) => Err(format!("{name}[{position}] is {}", values[position])),
        None => Ok(()),
    }
}

impl ModelSpec {
    /// Checks the whole model: the frontend config, that its frame fills the input shape, and
    /// every layer against the shape before it. Gives the output shape.
    pub fn validate(&self) -> Result<Shape, ModelError> {
        text("task", &self.task)?;
        if self.metadata.len() > limits::METADATA_ENTRIES {
            return Err(ModelError::field(
                "metadata",
                format!("{} entries, at most {}", self.metadata.len(), limits::METADATA_ENTRIES),
            ));
        }
        for (key, value) in &self.metadata {
            text("metadata key", key)?;
            text("metadata value", value)?;
        }
        self.frontend.validate().map_err(|e| ModelError::field("frontend", e.0))?;
        let frame_len = self.frontend.frame_len();
        if self.input.is_empty() || self.input.len() != frame_len {
            return Err(ModelError::field(
                "input shape",
                format!(
                    "{}×{} does not hold the frontend's {frame_len}-value frame",
                    self.input.channels, self.input.bins
                ),
            ));
        }
        if self.layers.is_empty() || self.layers.len() > limits::LAYERS {
            return Err(ModelError::field(
                "layers",
                format!("{} layers; 1..={} are allowed", self.layers.len(), limits::LAYERS),
            ));
        }
        let mut shape = self.input;
        let (mut work, mut state) = (0usize, 0usize);
        for (index, layer) in self.layers.iter().enumerate() {
            let output = layer.output_shape(shape).map_err(|message| ModelError::InvalidLayer {
                index,
                kind: layer.kind_name(),
                message,
            })?;
            work = work.saturating_add(layer.work_per_frame(shape, output));
            let history = layer.history_values(shape).unwrap_or(usize::MAX);
            state = state.saturating_add(history).saturating_add(output.len());
            shape = output;
        }
        self.check_cost(work, state)?;
        Ok(shape)
    }

    /// Refuses a model whose layers would take more memory or time than the limits allow.
    fn check_cost(&self, work_per_frame: usize, state: usize) -> Result<(), ModelError> {
        if state > limits::MODEL_STATE_VALUES {
            return Err(ModelError::field(
                "layers",
                format!(
                    "would keep {state} values of state, more than {}",
                    limits::MODEL_STATE_VALUES
                ),
            ));
        }
        let per_second = work_per_frame as f64 * self.frontend.frame_rate();
        if work_per_frame > limits::WORK_PER_FRAME || per_second > limits::WORK_PER_SECOND {
            return Err(ModelError::field(
                "layers",
                format!(
                    "need {work_per_frame} operations per frame, {per_second:.3e} per second of                      audio; at most {} and {:.0e} are allowed",
                    limits::WORK_PER_FRAME,
                    limits::WORK_PER_SECOND
                ),
            ));
        }
        Ok(())
    }

    /// The index of the first layer that needs the whole sequence, if any.
    pub fn first_offline_layer(&self) -> Option<usize> {
        self.layers.iter().position(LayerSpec::is_offline_only)
    }
}

fn text(field: &str, value: &str) -> Result<(), ModelError> {
    if value.len() > limits::TEXT_BYTES {
        return Err(ModelError::field(field, format!("longer than {} bytes", limits::TEXT_BYTES)));
    }
    Ok(())
}
