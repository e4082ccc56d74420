//! Networks: a model's layers with every buffer allocated up front. [`Network`] steps frame by
//! frame in real time; [`OfflineNetwork`] runs whole sequences and also accepts bidirectional
//! layers, which the real-time type refuses.

use crate::layers::{self, Built, Layer, LayerState, Stage};
use crate::{format, ModelError, ModelSpec, Shape};

/// A model that runs frame by frame: `step` never allocates, locks or panics.
#[derive(Debug, Clone)]
pub struct Network {
    spec_header: Header,
    layers: Vec<Layer>,
    /// `shapes[0]` is the input's, `shapes[i + 1]` layer `i`'s output's.
    shapes: Vec<Shape>,
    /// `buffers[0]` holds the (cleaned) input, `buffers[i + 1]` layer `i`'s output.
    buffers: Vec<Vec<f32>>,
    non_finite_inputs: u64,
    /// The state [`Network::reset`] returns to, once [`Network::settle`] set one (else zeros).
    rest: Option<Vec<LayerState>>,
}

/// What a network knows of the model it was built from, besides the layers.
#[derive(Debug, Clone)]
struct Header {
    task: String,
    frontend: earshot_dsp::FrontendConfig,
    metadata: Vec<(String, String)>,
}

impl Header {
    fn of(spec: &ModelSpec) -> Self {
        Header {
            task: spec.task.clone(),
            frontend: spec.frontend.clone(),
            metadata: spec.metadata.clone(),
        }
    }
}

impl Network {
    /// Builds a real-time network from a model; refuses invalid and offline-only models.
    pub fn new(spec: &ModelSpec) -> Result<Self, ModelError> {
        spec.validate()?;
        if let Some(index) = spec.first_offline_layer() {
            return Err(ModelError::OfflineOnly { index });
        }
        let mut layers = Vec::new();
        let mut shapes = vec![spec.input];
        for Built { layer, output } in layers::build(&spec.layers, spec.input) {
            let Stage::Streaming(layer) = layer else {
                return Err(ModelError::OfflineOnly { index: layers.len() });
            };
            layers.push(layer);
            shapes.push(output);
        }
        let buffers = shapes.iter().map(|shape| vec![0.0; shape.len()]).collect();
        Ok(Network {
            spec_header: Header::of(spec),
            layers,
            shapes,
            buffers,
            non_finite_inputs: 0,
            rest: None,
        })
    }

    /// Reads a weight file and builds the network.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        Network::new(&format::read(bytes)?)
    }

    /// What the model detects.
    pub fn task(&self) -> &str {
        &self.spec_header.task
    }

    /// The features the model expects.
    pub fn frontend(&self) -> &earshot_dsp::FrontendConfig {
        &self.spec_header.frontend
    }

    /// The model's free-form facts (the command that produced it, …).
    pub fn metadata(&self) -> &[(String, String)] {
        &self.spec_header.metadata
    }

    /// The shape of one input frame.
    pub fn input_shape(&self) -> Shape {
        self.shapes[0]
    }

    /// The shape of one output frame.
    pub fn output_shape(&self) -> Shape {
        self.shapes[self.shapes.len() - 1]
    }

    /// How many non-finite input values were replaced by zero since the network was built.
    pub fn non_finite_inputs(&self) -> u64 {
        self.non_finite_inputs
    }

    /// Runs one frame and returns the output frame. `input` should hold
    /// `input_shape().len()` values: missing values count as zero and extra ones are ignored.
    /// Non-finite inputs are replaced by zero (and counted), so they cannot poison the state;
    /// if the output still overflows to a non-finite value, the state is reset and that frame's
    /// output is all zeros.
    pub fn step(&mut self, input: &[f32]) -> &[f32] {
        let cleaned = &mut self.buffers[0];
        cleaned.fill(0.0);
        let mut non_finite = 0;
        for (slot, value) in cleaned.iter_mut().zip(input) {
            let finite = value.is_finite();
            *slot = if finite { *value } else { 0.0 };
            non_finite += u64::from(!finite);
        }
        self.non_finite_inputs += non_finite;
        for (index, layer) in self.layers.iter_mut().enumerate() {
            let (done, rest) = self.buffers.split_at_mut(index + 1);
            layer.step(self.shapes[index + 1], &done[index], &mut rest[0]);
        }
        let last = self.buffers.len() - 1;
        if !self.buffers[last].iter().fold(true, |finite, v| finite & v.is_finite()) {
            self.reset();
            self.buffers[last].fill(0.0);
        }
        &self.buffers[last]
    }

    /// Forgets all state: back to zeros as before the first frame, or to the state
    /// [`Network::settle`] set.
    pub fn reset(&mut self) {
        match &self.rest {
            Some(rest) => self.layers.iter_mut().zip(rest).for_each(|(l, s)| l.restore(s)),
            None => self.layers.iter_mut().for_each(Layer::reset),
        }
    }

    /// Steps `frames` frames of the constant `input` from zeros and makes the state they leave
    /// the one [`Network::reset`] returns to: the network then starts as if it had been fed
    /// `input` all along (exactly so for convolutions once `frames` covers what they see).
    /// Allocates; `reset` then does not.
    pub fn settle(&mut self, input: &[f32], frames: usize) {
        self.rest = None;
        self.reset();
        for _ in 0..frames {
            self.step(input);
        }
        self.rest = Some(self.layers.iter().map(Layer::state).collect());
    }

    /// Resets, then steps through `frames` (row-major, one input frame per row); returns the
    /// output frames row-major. Identical to calling [`Network::step`] on each row.
    pub fn run(&mut self, frames: &[f32]) -> Vec<f32> {
        self.reset();
        let (inputs, outputs) = (self.input_shape().len(), self.output_shape().len());
        let mut result = Vec::with_capacity(frames.len() / inputs * outputs);
        for frame in frames.chunks_exact(inputs) {
            result.extend_from_slice(self.step(frame));
        }
        result
    }
}

/// A model run over whole sequences, layer by layer; bidirectional layers are allowed.
#[derive(Debug, Clone)]
pub struct OfflineNetwork {
    input: Shape,
    stages: Vec<Built<Stage>>,
}

impl OfflineNetwork {
    /// Builds an offline network from a model.
    pub fn new(spec: &ModelSpec) -> Result<Self, ModelError> {
        spec.validate()?;
        Ok(OfflineNetwork { input: spec.input, stages: layers::build(&spec.layers, spec.input) })
    }

    /// The shape of one output frame.
    pub fn output_shape(&self) -> Shape {
        self.stages.last().map_or(self.input, |stage| stage.output)
    }

    /// Runs `frames` (row-major) from a clean state and returns the output frames row-major.
    /// Non-finite inputs count as zero. For a model without bidirectional layers the result is
    /// identical to [`Network::run`].
    pub fn run(&mut self, frames: &[f32]) -> Vec<f32> {
        let count = frames.len() / self.input.len();
        let mut current: Vec<f32> = frames[..count * self.input.len()]
            .iter()
            .map(|v| if v.is_finite() { *v } else { 0.0 })
            .collect();
        let mut shape = self.input;
        for Built { layer, output } in &mut self.stages {
            let mut next = vec![0.0; count * output.len()];
            let rows = current.chunks_exact(shape.len()).zip(next.chunks_exact_mut(output.len()));
            match layer {
                Stage::Streaming(layer) => {
                    layer.reset();
                    for (input, out) in rows {
                        layer.step(*output, input, out);
                    }
                }
                Stage::Bidirectional { forward, backward } => {
                    let hidden = output.len() / 2;
                    forward.reset();
                    backward.reset();
                    let rows: Vec<_> = rows.collect();
                    for (input, out) in rows.into_iter().rev() {
                        backward.step(input, &mut out[hidden..]);
                    }
                    let rows =
                        current.chunks_exact(shape.len()).zip(next.chunks_exact_mut(output.len()));
                    for (input, out) in rows {
                        forward.step(input, &mut out[..hidden]);
                    }
                }
            }
            current = next;
            shape = *output;
        }
        current
    }
}
