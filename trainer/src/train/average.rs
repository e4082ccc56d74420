//! An exponential moving average of a network's weights over the training steps (Polyak
//! averaging). Late in a run every epoch moves the weights enough to shift the activation's
//! scale, so the validation score swings from one epoch to the next; the average moves slowly
//! and is what gets validated and exported when a config asks for it.
//!
//! Every float tensor is averaged: the parameters and the batch norms' running statistics
//! (themselves averages, so averaging them again only smooths them further).

use crate::model::network::TrainableNetwork;
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};

/// The running average, one flat vector per float tensor in the network's visiting order.
#[derive(Debug, Clone)]
pub struct WeightAverage {
    decay: f64,
    updates: u64,
    values: Vec<Vec<f32>>,
}

/// Collects every float tensor's values in visiting order.
struct Collect(Vec<Vec<f32>>);

impl ModuleVisitor for Collect {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let data = param.val().into_data().convert::<f32>();
        self.0.push(data.try_into_vec::<f32>().expect("float tensors convert to f32"));
    }
}

/// Replaces every float tensor by the next of `values`, in visiting order.
struct Replace<'a> {
    values: std::slice::Iter<'a, Vec<f32>>,
}

impl ModuleMapper for Replace<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let values = self.values.next().expect("the average covers every tensor").clone();
        param.map(|tensor| {
            let data = TensorData::new(values, tensor.shape());
            Tensor::from_data(data, &tensor.device())
        })
    }
}

fn collect(network: &TrainableNetwork) -> Vec<Vec<f32>> {
    let mut visitor = Collect(Vec::new());
    network.visit(&mut visitor);
    visitor.0
}

impl WeightAverage {
    /// An average starting at `network`'s weights, `updates` steps into it (0 for a new one;
    /// the steps of the epochs a checkpoint holds when resuming). `decay` is the weight the
    /// average keeps per step.
    pub fn new(decay: f64, network: &TrainableNetwork, updates: u64) -> Self {
        WeightAverage { decay, updates, values: collect(network) }
    }

    /// Blends in `network`'s current weights. Early steps use a smaller decay,
    /// `(1 + n) / (10 + n)` after `n` steps, so the random initial weights fade out fast.
    pub fn update(&mut self, network: &TrainableNetwork) {
        let n = self.updates as f64;
        let keep = self.decay.min((1.0 + n) / (10.0 + n)) as f32;
        for (average, current) in self.values.iter_mut().zip(collect(network)) {
            for (a, c) in average.iter_mut().zip(current) {
                *a = keep * *a + (1.0 - keep) * c;
            }
        }
        self.updates += 1;
    }

    /// A copy of `network` (without autodiff, so nothing is shared with the live network)
    /// holding the averaged weights.
    pub fn averaged(&self, network: &TrainableNetwork) -> TrainableNetwork {
        network.valid().map(&mut Replace { values: self.values.iter() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::architecture::Architecture;
    use burn::tensor::Device;

    fn network(seed: u64) -> TrainableNetwork {
        let device = Device::flex();
        device.seed(seed);
        let architecture: Architecture = serde_json::from_str(
            r#"{"channels": 1, "bins": 4, "layers": [{"dense": {"units": 3}}, "batch_norm"]}"#,
        )
        .unwrap();
        TrainableNetwork::new(&architecture, &device).unwrap()
    }

    #[test]
    fn averages_every_tensor_with_the_warm_up_decay() {
        let (a, b) = (network(1), network(2));
        let mut average = WeightAverage::new(0.99, &a, 0);
        average.update(&b);
        // After no step the average keeps 1/10 of its start and takes 9/10 of the new weights.
        let expected: Vec<Vec<f32>> = collect(&a)
            .iter()
            .zip(collect(&b))
            .map(|(x, y)| x.iter().zip(y).map(|(x, y)| 0.1 * x + 0.9 * y).collect())
            .collect();
        let got = collect(&average.averaged(&a));
        assert_eq!(got.len(), 6, "weight, bias, gamma, beta, running mean and variance");
        for (g, e) in got.iter().flatten().zip(expected.iter().flatten()) {
            assert!((g - e).abs() < 1e-6, "{g} vs {e}");
        }
        assert_eq!(average.updates, 1);
    }

    #[test]
    fn settles_on_the_decay_and_leaves_the_live_network_alone() {
        let (a, b) = (network(3), network(4));
        let before = collect(&a);
        let mut average = WeightAverage::new(0.5, &a, 1000);
        average.update(&b);
        let got = collect(&average.averaged(&a));
        for ((g, x), y) in
            got.iter().flatten().zip(before.iter().flatten()).zip(collect(&b).iter().flatten())
        {
            assert!((g - (0.5 * x + 0.5 * y)).abs() < 1e-6);
        }
        assert_eq!(collect(&a), before, "the averaged copy shares nothing with the network");
    }
}
