//! Trainer/engine parity: networks built in burn with random weights (batch-norm statistics
//! randomised too), exported to the weight format, read back by `earshot-nn` and stepped frame by
//! frame, must give burn's whole-sequence output within 1e-4 (the bound the design sets; both
//! compute in float32, so the real differences are around 1e-6).

use burn::module::{Param, RunningState};
use burn::tensor::{Device, Distribution, Tensor};
use earshot_dsp::{FrontendConfig, StreamConfig};
use earshot_nn::{format, Network};
use earshot_trainer::model::architecture::{
    ActivationConfig, Architecture, LayerConfig, PoolConfig,
};
use earshot_trainer::model::export::to_spec;
use earshot_trainer::model::network::{Layer, TrainableNetwork};

const BOUND: f32 = 1e-4;

fn frontend(bands: usize) -> FrontendConfig {
    FrontendConfig {
        sample_rate: 44_100,
        hop_length: 441,
        streams: vec![StreamConfig::log_mel(2048, bands, 0.0, 16_000.0)],
        standardisation: None,
    }
}

/// Gives every batch norm non-trivial statistics and affine parameters.
fn randomise_batch_norms(network: &mut TrainableNetwork, device: &Device) {
    for layer in &mut network.layers {
        if let Layer::BatchNorm(norm) = layer {
            let [channels] = norm.gamma.val().dims();
            let random = |low: f64, high: f64| {
                Tensor::<1>::random([channels], Distribution::Uniform(low, high), device)
            };
            norm.gamma = Param::from_tensor(random(0.5, 1.5));
            norm.beta = Param::from_tensor(random(-0.3, 0.3));
            norm.running_mean = RunningState::new(random(-0.5, 0.5));
            norm.running_var = RunningState::new(random(0.5, 2.0));
        }
    }
}

fn check(name: &str, architecture: Architecture) {
    let device = Device::flex();
    let mut network = TrainableNetwork::new(&architecture, &device).unwrap();
    randomise_batch_norms(&mut network, &device);
    let frames = 25;
    let (channels, bins) = (architecture.channels, architecture.bins);
    let input =
        Tensor::<4>::random([1, frames, channels, bins], Distribution::Normal(0.0, 1.0), &device);
    let expected: Vec<f32> =
        network.forward(input.clone()).into_data().convert::<f32>().try_into_vec().unwrap();
    let spec =
        to_spec(&network, "test", frontend(channels * bins), vec![("source".into(), name.into())])
            .unwrap();
    let bytes = format::write(&spec);
    let mut engine = Network::from_bytes(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let frames_in: Vec<f32> = input.into_data().convert::<f32>().try_into_vec().unwrap();
    let got = engine.run(&frames_in);
    assert_eq!(got.len(), expected.len(), "{name}: output size");
    let worst = got.iter().zip(&expected).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    let spread = expected.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    println!("{name:12} worst |error| {worst:.2e} (outputs up to {spread:.2})");
    assert!(worst <= BOUND, "{name}: worst error {worst:e} exceeds {BOUND:e}");
    assert!(spread > 0.05, "{name}: degenerate outputs");
}

#[test]
fn a_cnn_with_batch_norm_pooling_and_dropout() {
    check(
        "cnn",
        Architecture {
            channels: 3,
            bins: 20,
            layers: vec![
                LayerConfig::Conv2d {
                    out_channels: 4,
                    kernel_time: 3,
                    kernel_freq: 3,
                    freq_padding: 1,
                },
                LayerConfig::BatchNorm,
                LayerConfig::Activation(ActivationConfig::Relu),
                LayerConfig::Pool { kind: PoolConfig::Max, time: 1, freq: 3, freq_stride: 3 },
                LayerConfig::Conv2d {
                    out_channels: 6,
                    kernel_time: 2,
                    kernel_freq: 6,
                    freq_padding: 0,
                },
                LayerConfig::Dropout { p: 0.3 },
                LayerConfig::Dense { units: 2 },
                LayerConfig::Activation(ActivationConfig::Sigmoid),
            ],
        },
    );
}

#[test]
fn recurrent_layers_and_every_activation() {
    check(
        "recurrent",
        Architecture {
            channels: 1,
            bins: 10,
            layers: vec![
                LayerConfig::Dense { units: 8 },
                LayerConfig::Activation(ActivationConfig::Elu { alpha: 0.8 }),
                LayerConfig::Gru { hidden: 6 },
                LayerConfig::Lstm { hidden: 5 },
                LayerConfig::Dense { units: 4 },
                LayerConfig::Activation(ActivationConfig::Softmax),
            ],
        },
    );
}

#[test]
fn dilated_conv1d_average_pooling_over_time_and_a_standalone_batch_norm() {
    check(
        "conv1d-pool",
        Architecture {
            channels: 2,
            bins: 8,
            layers: vec![
                LayerConfig::Pool { kind: PoolConfig::Average, time: 2, freq: 2, freq_stride: 2 },
                LayerConfig::Activation(ActivationConfig::Tanh),
                LayerConfig::BatchNorm,
                LayerConfig::Conv1d { out_channels: 6, kernel: 3, dilation: 2 },
                LayerConfig::Activation(ActivationConfig::Identity),
                LayerConfig::Pool { kind: PoolConfig::Max, time: 3, freq: 1, freq_stride: 1 },
            ],
        },
    );
}

#[test]
fn the_onset_shape_conv_stages_then_a_dilated_context_stage_with_batch_norm() {
    check(
        "onset-shape",
        Architecture {
            channels: 3,
            bins: 18,
            layers: vec![
                LayerConfig::Conv2d {
                    out_channels: 4,
                    kernel_time: 4,
                    kernel_freq: 3,
                    freq_padding: 1,
                },
                LayerConfig::BatchNorm,
                LayerConfig::Activation(ActivationConfig::Relu),
                LayerConfig::Pool { kind: PoolConfig::Max, time: 1, freq: 3, freq_stride: 3 },
                LayerConfig::Conv1d { out_channels: 5, kernel: 3, dilation: 4 },
                LayerConfig::BatchNorm,
                LayerConfig::Activation(ActivationConfig::Relu),
                LayerConfig::Dropout { p: 0.5 },
                LayerConfig::Dense { units: 1 },
                LayerConfig::Activation(ActivationConfig::Sigmoid),
            ],
        },
    );
}

/// The exported statistics are the running state after the last training step, not the one
/// before it (burn keeps a step's update pending until the state is next read in sync), even for
/// a network exported straight from the training backend.
#[test]
fn batch_norm_statistics_include_the_last_training_step() {
    let architecture = Architecture { channels: 2, bins: 1, layers: vec![LayerConfig::BatchNorm] };
    let device = Device::flex().autodiff();
    let network =
        TrainableNetwork::new(&architecture, &device).unwrap().with_batch_norm_momentum(0.25);
    // One sequence of two frames: channel 0 has mean 2, channel 1 mean −4; two steps move the
    // running mean from 0 to 0.5 then 0.875 (and −1 then −1.75).
    let x = Tensor::<1>::from_floats([1.0, -3.0, 3.0, -5.0], &device).reshape([1, 2, 2, 1]);
    network.forward(x.clone());
    network.forward(x);
    let spec = to_spec(&network, "test", frontend(2), Vec::new()).unwrap();
    let earshot_nn::LayerSpec::BatchNorm { mean, .. } = &spec.layers[0] else {
        panic!("a batch norm")
    };
    assert_eq!(mean, &vec![0.875, -1.75]);
}
