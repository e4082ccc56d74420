//! Runtime layers: built once from a [`LayerSpec`] list with every buffer allocated, then
//! stepped frame by frame without allocating.

mod affine;
mod conv1d;
mod conv2d;
mod dense;
mod history;
mod pool;
mod recurrent;

use crate::{Activation, LayerSpec, Shape};
use affine::Affine;
use conv1d::Conv1d;
use conv2d::Conv2d;
use dense::Dense;
use history::History;
use pool::Pool;
pub(crate) use recurrent::Cell;

/// A layer ready to step, with its output shape.
#[derive(Debug, Clone)]
pub(crate) enum Layer {
    Dense(Dense),
    Conv1d(Conv1d),
    Conv2d(Conv2d),
    Pool(Pool),
    Affine(Affine),
    Activation(Activation),
    Recurrent(Cell),
}

/// What a layer carries from one frame to the next (see [`Layer::state`]).
#[derive(Debug, Clone)]
pub(crate) enum LayerState {
    Stateless,
    History(History),
    Recurrent { joint: Vec<f32>, cell: Vec<f32> },
}

/// A built layer and the shape of what it outputs.
#[derive(Debug, Clone)]
pub(crate) struct Built<L> {
    pub layer: L,
    pub output: Shape,
}

/// One stage of an offline network: a streaming layer, or a bidirectional recurrent layer that
/// runs forward and then backward over the whole sequence.
#[derive(Debug, Clone)]
pub(crate) enum Stage {
    Streaming(Layer),
    Bidirectional { forward: Cell, backward: Cell },
}

impl Layer {
    /// Computes `output` from `input`, advancing any state by one frame.
    pub fn step(&mut self, shape: Shape, input: &[f32], output: &mut [f32]) {
        match self {
            Layer::Dense(layer) => layer.step(input, output),
            Layer::Conv1d(layer) => layer.step(input, output),
            Layer::Conv2d(layer) => layer.step(input, output),
            Layer::Pool(layer) => layer.step(input, output),
            Layer::Affine(layer) => layer.step(input, output),
            Layer::Activation(activation) => {
                output.copy_from_slice(input);
                activation.apply(shape, output);
            }
            Layer::Recurrent(cell) => cell.step(input, output),
        }
    }

    /// Forgets all state, as before the first frame.
    pub fn reset(&mut self) {
        match self {
            Layer::Conv1d(layer) => layer.reset(),
            Layer::Conv2d(layer) => layer.reset(),
            Layer::Pool(layer) => layer.reset(),
            Layer::Recurrent(cell) => cell.reset(),
            Layer::Dense(_) | Layer::Affine(_) | Layer::Activation(_) => {}
        }
    }

    /// The frames a convolution or pooling layer looks back over.
    fn history_mut(&mut self) -> Option<&mut History> {
        match self {
            Layer::Conv1d(layer) => Some(&mut layer.history),
            Layer::Conv2d(layer) => Some(&mut layer.history),
            Layer::Pool(layer) => Some(&mut layer.history),
            _ => None,
        }
    }

    /// A copy of what the layer carries from frame to frame, for [`Layer::restore`].
    pub fn state(&self) -> LayerState {
        match self {
            Layer::Conv1d(layer) => LayerState::History(layer.history.clone()),
            Layer::Conv2d(layer) => LayerState::History(layer.history.clone()),
            Layer::Pool(layer) => LayerState::History(layer.history.clone()),
            Layer::Recurrent(cell) => {
                let [joint, memory] = cell.state();
                LayerState::Recurrent { joint: joint.to_vec(), cell: memory.to_vec() }
            }
            Layer::Dense(_) | Layer::Affine(_) | Layer::Activation(_) => LayerState::Stateless,
        }
    }

    /// Takes on a state this layer's [`Layer::state`] gave, without allocating.
    pub fn restore(&mut self, state: &LayerState) {
        match state {
            LayerState::History(history) => {
                if let Some(mine) = self.history_mut() {
                    mine.copy_from(history);
                }
            }
            LayerState::Recurrent { joint, cell } => {
                if let Layer::Recurrent(mine) = self {
                    mine.restore([joint, cell]);
                }
            }
            LayerState::Stateless => {}
        }
    }

    /// Absorbs a per-channel scale and shift of this layer's output, if the layer can.
    fn absorb_affine(&mut self, affine: &Affine) -> bool {
        let (scale, shift) = (affine.scale(), affine.shift());
        match self {
            Layer::Dense(dense) if dense.activation == Activation::Identity => {
                fold_into_rows(&mut dense.weight, &mut dense.bias, scale, shift);
                true
            }
            Layer::Conv1d(conv) if conv.activation == Activation::Identity => {
                conv.fold_affine(scale, shift);
                true
            }
            Layer::Conv2d(conv) if conv.activation == Activation::Identity => {
                conv.fold_affine(scale, shift);
                true
            }
            _ => false,
        }
    }

    /// Takes on an activation of this layer's output, if the layer can.
    fn absorb_activation(&mut self, activation: Activation) -> bool {
        let slot = match self {
            Layer::Dense(dense) => &mut dense.activation,
            Layer::Conv1d(conv) => &mut conv.activation,
            Layer::Conv2d(conv) => &mut conv.activation,
            _ => return false,
        };
        if *slot != Activation::Identity {
            return false;
        }
        *slot = activation;
        true
    }
}

/// Folds `y[o]·scale[o] + shift[o]` into a layer computing `y = weight·x + bias`, whose weights
/// for output `o` are the `o`-th of `bias.len()` equal row blocks.
fn fold_into_rows(weight: &mut [f32], bias: &mut [f32], scale: &[f32], shift: &[f32]) {
    let per_output = weight.len() / bias.len();
    for (rows, s) in weight.chunks_exact_mut(per_output).zip(scale) {
        rows.iter_mut().for_each(|w| *w *= s);
    }
    for ((b, s), t) in bias.iter_mut().zip(scale).zip(shift) {
        *b = *b * s + t;
    }
}

/// Builds the stages of a validated model. Batch norms directly after a dense or convolutional
/// layer are folded into its weights, and activations after one become part of it.
pub(crate) fn build(specs: &[LayerSpec], input: Shape) -> Vec<Built<Stage>> {
    let mut built: Vec<Built<Stage>> = Vec::with_capacity(specs.len());
    let mut shape = input;
    for spec in specs {
        let stage = match spec {
            LayerSpec::Dense { weight, bias, .. } => Stage::Streaming(Layer::Dense(Dense {
                weight: weight.clone(),
                bias: bias.clone(),
                activation: Activation::Identity,
            })),
            LayerSpec::Conv1d { kernel, dilation, weight, bias, .. } => Stage::Streaming(
                Layer::Conv1d(Conv1d::new(weight, bias.clone(), *kernel, *dilation, shape.len())),
            ),
            LayerSpec::Conv2d { kernel_time, kernel_freq, freq_padding, weight, bias, .. } => {
                Stage::Streaming(Layer::Conv2d(Conv2d::new(
                    weight.clone(),
                    bias.clone(),
                    shape,
                    *kernel_time,
                    *kernel_freq,
                    *freq_padding,
                )))
            }
            LayerSpec::Pool { kind, time, freq, freq_stride } => {
                Stage::Streaming(Layer::Pool(Pool::new(*kind, shape, *time, *freq, *freq_stride)))
            }
            LayerSpec::BatchNorm { eps, mean, variance, scale, shift } => {
                let affine = Affine::from_batch_norm(*eps, mean, variance, scale, shift, shape);
                if let Some(Built { layer: Stage::Streaming(previous), .. }) = built.last_mut() {
                    if previous.absorb_affine(&affine) {
                        continue;
                    }
                }
                Stage::Streaming(Layer::Affine(affine))
            }
            LayerSpec::Activation(activation) => {
                if let Some(Built { layer: Stage::Streaming(previous), .. }) = built.last_mut() {
                    if previous.absorb_activation(*activation) {
                        continue;
                    }
                }
                Stage::Streaming(Layer::Activation(*activation))
            }
            LayerSpec::Recurrent { cell, hidden, directions } => match directions.as_slice() {
                [forward] => Stage::Streaming(Layer::Recurrent(Cell::new(*cell, *hidden, forward))),
                [forward, backward, ..] => Stage::Bidirectional {
                    forward: Cell::new(*cell, *hidden, forward),
                    backward: Cell::new(*cell, *hidden, backward),
                },
                [] => unreachable!("validated models have one or two directions"),
            },
        };
        shape = spec.output_shape(shape).expect("validated model");
        built.push(Built { layer: stage, output: shape });
    }
    built
}
