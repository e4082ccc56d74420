//! GRU and LSTM cells with PyTorch's gate layout and equations; the input and recurrent products
//! of all gates are each one matrix–vector product.

use crate::activation::sigmoid;
use crate::{kernels, CellKind, RecurrentWeights};

/// One recurrent direction and its state.
#[derive(Debug, Clone)]
pub struct Cell {
    kind: CellKind,
    hidden: usize,
    weight_ih: Vec<f32>,
    weight_hh: Vec<f32>,
    /// GRU: `b_ih`; LSTM: `b_ih + b_hh` (they are only ever added).
    bias_ih: Vec<f32>,
    /// GRU: `b_hh` (its `n` part is gated by `r`, so it stays apart); LSTM: unused.
    bias_hh: Vec<f32>,
    gates_input: Vec<f32>,
    gates_hidden: Vec<f32>,
    state: Vec<f32>,
    /// LSTM cell state.
    cell: Vec<f32>,
}

impl Cell {
    pub fn new(kind: CellKind, hidden: usize, weights: &RecurrentWeights) -> Self {
        let rows = kind.gates() * hidden;
        let (bias_ih, bias_hh) = match kind {
            CellKind::Gru => (weights.bias_ih.clone(), weights.bias_hh.clone()),
            CellKind::Lstm => {
                let sum = weights.bias_ih.iter().zip(&weights.bias_hh).map(|(a, b)| a + b);
                (sum.collect(), Vec::new())
            }
        };
        Cell {
            kind,
            hidden,
            weight_ih: weights.weight_ih.clone(),
            weight_hh: weights.weight_hh.clone(),
            bias_ih,
            bias_hh,
            gates_input: vec![0.0; rows],
            gates_hidden: vec![0.0; rows],
            state: vec![0.0; hidden],
            cell: vec![0.0; if kind == CellKind::Lstm { hidden } else { 0 }],
        }
    }

    /// Advances one frame; `output` receives the new hidden state.
    pub fn step(&mut self, input: &[f32], output: &mut [f32]) {
        match self.kind {
            CellKind::Gru => self.step_gru(input),
            CellKind::Lstm => self.step_lstm(input),
        }
        output.copy_from_slice(&self.state);
    }

    /// `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(…)`, `n = tanh(W_in x + b_in + r·(W_hn h +
    /// b_hn))`, `h' = (1 − z)·n + z·h`.
    fn step_gru(&mut self, input: &[f32]) {
        let h = self.hidden;
        kernels::matvec(&self.weight_ih, input, &self.bias_ih, &mut self.gates_input);
        kernels::matvec(&self.weight_hh, &self.state, &self.bias_hh, &mut self.gates_hidden);
        let (gi, gh) = (&self.gates_input, &self.gates_hidden);
        for (j, state) in self.state.iter_mut().enumerate() {
            let r = sigmoid(gi[j] + gh[j]);
            let z = sigmoid(gi[h + j] + gh[h + j]);
            let n = (gi[2 * h + j] + r * gh[2 * h + j]).tanh();
            *state = n + z * (*state - n);
        }
    }

    /// `i, f, o = σ(…)`, `g = tanh(…)`, `c' = f·c + i·g`, `h' = o·tanh(c')`.
    fn step_lstm(&mut self, input: &[f32]) {
        let h = self.hidden;
        kernels::matvec(&self.weight_ih, input, &self.bias_ih, &mut self.gates_input);
        kernels::matvec_add(&self.weight_hh, &self.state, &mut self.gates_input);
        let g = &self.gates_input;
        for (j, (state, cell)) in self.state.iter_mut().zip(&mut self.cell).enumerate() {
            let input_gate = sigmoid(g[j]);
            let forget_gate = sigmoid(g[h + j]);
            let candidate = g[2 * h + j].tanh();
            let output_gate = sigmoid(g[3 * h + j]);
            *cell = forget_gate * *cell + input_gate * candidate;
            *state = output_gate * cell.tanh();
        }
    }

    pub fn reset(&mut self) {
        self.state.fill(0.0);
        self.cell.fill(0.0);
    }
}
