//! GRU and LSTM cells with PyTorch's gate layout and equations. All gates' products are fused:
//! the GRU does one matrix–vector product for the input and one for the hidden state, the LSTM
//! one for both (its weights side by side, `[W_ih | W_hh]`, times `[x; h]`); the activations
//! then run over whole gate blocks.

use crate::{kernels, CellKind, RecurrentWeights};

/// One recurrent direction and its state.
#[derive(Debug, Clone)]
pub struct Cell {
    kind: CellKind,
    hidden: usize,
    inputs: usize,
    /// GRU: `W_ih`, `[3·hidden][inputs]`; LSTM: `[W_ih | W_hh]`, `[4·hidden][inputs + hidden]`.
    weight: Vec<f32>,
    /// GRU: `W_hh`; LSTM: empty.
    weight_hh: Vec<f32>,
    /// GRU: `b_ih`; LSTM: `b_ih + b_hh`.
    bias: Vec<f32>,
    /// GRU: `b_hh` (its `n` block is gated by `r`, so it stays apart); LSTM: empty.
    bias_hh: Vec<f32>,
    /// Gate pre-activations from the input (GRU) or from both (LSTM).
    gates: Vec<f32>,
    /// GRU: gate pre-activations from the hidden state; LSTM: `tanh(c)`.
    scratch: Vec<f32>,
    /// GRU: the hidden state; LSTM: `[x; h]`, the hidden state in its second part.
    joint: Vec<f32>,
    /// LSTM cell state (empty for a GRU).
    cell: Vec<f32>,
}

impl Cell {
    pub fn new(kind: CellKind, hidden: usize, weights: &RecurrentWeights) -> Self {
        let rows = kind.gates() * hidden;
        let inputs = weights.weight_ih.len() / rows;
        let mut cell = Cell {
            kind,
            hidden,
            inputs,
            weight: weights.weight_ih.clone(),
            weight_hh: weights.weight_hh.clone(),
            bias: weights.bias_ih.clone(),
            bias_hh: weights.bias_hh.clone(),
            gates: vec![0.0; rows],
            scratch: vec![0.0; if kind == CellKind::Gru { rows } else { hidden }],
            joint: vec![0.0; hidden],
            cell: Vec::new(),
        };
        if kind == CellKind::Lstm {
            let ih = weights.weight_ih.chunks_exact(inputs);
            let hh = weights.weight_hh.chunks_exact(hidden);
            cell.weight = ih.zip(hh).flat_map(|(a, b)| a.iter().chain(b).copied()).collect();
            cell.bias = weights.bias_ih.iter().zip(&weights.bias_hh).map(|(a, b)| a + b).collect();
            cell.weight_hh = Vec::new();
            cell.bias_hh = Vec::new();
            cell.joint = vec![0.0; inputs + hidden];
            cell.cell = vec![0.0; hidden];
        }
        cell
    }

    /// Advances one frame; `output` receives the new hidden state.
    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        match self.kind {
            CellKind::Gru => self.step_gru(input),
            CellKind::Lstm => self.step_lstm(input),
        }
        output.copy_from_slice(&self.joint[self.joint.len() - self.hidden..]);
    }

    /// `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(…)`, `n = tanh(W_in x + b_in + r·(W_hn h +
    /// b_hn))`, `h' = (1 − z)·n + z·h`.
    fn step_gru(&mut self, input: &[f32]) {
        let h = self.hidden;
        kernels::matvec(&self.weight, input, &self.bias, &mut self.gates);
        kernels::matvec(&self.weight_hh, &self.joint, &self.bias_hh, &mut self.scratch);
        let (reset_update, candidate) = self.gates.split_at_mut(2 * h);
        for (g, s) in reset_update.iter_mut().zip(&self.scratch) {
            *g += s;
        }
        kernels::sigmoid(reset_update);
        for ((n, r), s) in candidate.iter_mut().zip(&reset_update[..h]).zip(&self.scratch[2 * h..])
        {
            *n += r * s;
        }
        kernels::tanh(candidate);
        for ((state, z), n) in self.joint.iter_mut().zip(&reset_update[h..]).zip(&*candidate) {
            *state = n + z * (*state - n);
        }
    }

    /// `i, f, o = σ(…)`, `g = tanh(…)`, `c' = f·c + i·g`, `h' = o·tanh(c')`.
    fn step_lstm(&mut self, input: &[f32]) {
        let h = self.hidden;
        self.joint[..self.inputs].copy_from_slice(input);
        kernels::matvec(&self.weight, &self.joint, &self.bias, &mut self.gates);
        let (input_forget, rest) = self.gates.split_at_mut(2 * h);
        let (candidate, output_gate) = rest.split_at_mut(h);
        kernels::sigmoid(input_forget);
        kernels::tanh(candidate);
        kernels::sigmoid(output_gate);
        let (input_gate, forget_gate) = input_forget.split_at(h);
        for (j, c) in self.cell.iter_mut().enumerate() {
            *c = forget_gate[j] * *c + input_gate[j] * candidate[j];
        }
        self.scratch.copy_from_slice(&self.cell);
        kernels::tanh(&mut self.scratch);
        let state = &mut self.joint[self.inputs..];
        for ((s, o), t) in state.iter_mut().zip(&*output_gate).zip(&self.scratch) {
            *s = o * t;
        }
    }

    pub fn reset(&mut self) {
        self.joint.fill(0.0);
        self.cell.fill(0.0);
    }

    /// The state carried between frames: the joint input-and-hidden vector and the LSTM cell.
    pub fn state(&self) -> [&[f32]; 2] {
        [&self.joint, &self.cell]
    }

    /// Takes on a state [`Cell::state`] gave (same sizes), without allocating.
    pub fn restore(&mut self, [joint, cell]: [&[f32]; 2]) {
        self.joint.copy_from_slice(joint);
        self.cell.copy_from_slice(cell);
    }
}
