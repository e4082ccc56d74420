//! criterion benches: time per `Network::step` for each layer kind at RTNeural's benchmark sizes
//! (8–64 units), GRU(80→64), a 3 × 80-bin Conv2d, and the realistic stacks of the parity
//! fixtures. `cargo bench -p earshot-nn`. (`scripts/bench_nn.py` compares with PyTorch.)

use criterion::{criterion_group, criterion_main, Criterion};
use earshot_dsp::{FrontendConfig, StreamConfig};
use earshot_nn::{Activation, CellKind, LayerSpec, ModelSpec, Network, RecurrentWeights, Shape};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// A frontend whose frame is one mel stream of `bands` bands.
fn frontend(bands: usize) -> FrontendConfig {
    FrontendConfig {
        sample_rate: 44_100,
        hop_length: 441,
        streams: vec![StreamConfig::log_mel(2048, bands, 0.0, 16_000.0)],
        standardisation: None,
    }
}

fn random(rng: &mut SmallRng, len: usize, scale: f32) -> Vec<f32> {
    (0..len).map(|_| rng.random_range(-scale..scale)).collect()
}

fn recurrent(rng: &mut SmallRng, cell: CellKind, inputs: usize, hidden: usize) -> LayerSpec {
    let rows = cell.gates() * hidden;
    let scale = 1.0 / (hidden as f32).sqrt();
    LayerSpec::Recurrent {
        cell,
        hidden,
        directions: vec![RecurrentWeights {
            weight_ih: random(rng, rows * inputs, scale),
            weight_hh: random(rng, rows * hidden, scale),
            bias_ih: random(rng, rows, scale),
            bias_hh: random(rng, rows, scale),
        }],
    }
}

fn network(input: Shape, layers: Vec<LayerSpec>) -> Network {
    let spec = ModelSpec {
        task: "bench".into(),
        frontend: frontend(input.len()),
        metadata: Vec::new(),
        input,
        layers,
    };
    Network::new(&spec).expect("valid bench model")
}

fn layer_models() -> Vec<(String, Network)> {
    let mut rng = SmallRng::seed_from_u64(1);
    let mut models = Vec::new();
    for n in [8, 16, 32, 64] {
        let scale = 1.0 / (n as f32).sqrt();
        let dense = vec![
            LayerSpec::Dense {
                units: n,
                weight: random(&mut rng, n * n, scale),
                bias: random(&mut rng, n, scale),
            },
            LayerSpec::Activation(Activation::Tanh),
        ];
        models.push((format!("dense {n}"), network(Shape::vector(n), dense)));
        for cell in [CellKind::Gru, CellKind::Lstm] {
            let layers = vec![recurrent(&mut rng, cell, n, n)];
            models
                .push((format!("{cell:?} {n}").to_lowercase(), network(Shape::vector(n), layers)));
        }
        let conv = LayerSpec::Conv1d {
            out_channels: n,
            kernel: 3,
            dilation: 2,
            weight: random(&mut rng, n * n * 3, scale),
            bias: random(&mut rng, n, scale),
        };
        models.push((format!("conv1d {n} k3 d2"), network(Shape::vector(n), vec![conv])));
    }
    models.push((
        "gru 80→64".into(),
        network(Shape::vector(80), vec![recurrent(&mut rng, CellKind::Gru, 80, 64)]),
    ));
    let conv2d = LayerSpec::Conv2d {
        out_channels: 8,
        kernel_time: 3,
        kernel_freq: 3,
        freq_padding: 1,
        weight: random(&mut rng, 8 * 3 * 9, 0.2),
        bias: random(&mut rng, 8, 0.2),
    };
    let input = Shape { channels: 3, bins: 80 };
    models.push((
        "conv2d 3×80 → 8, 3×3".into(),
        network(input, vec![conv2d, LayerSpec::Activation(Activation::Relu)]),
    ));
    models
}

fn stack_models() -> Vec<(String, Network)> {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    ["cnn_onset", "gru_beat", "dense_chroma", "crnn_chord"]
        .iter()
        .map(|name| {
            let bytes = std::fs::read(fixtures.join(format!("{name}.esw"))).expect("fixture");
            (name.to_string(), Network::from_bytes(&bytes).expect("valid fixture"))
        })
        .collect()
}

fn step(c: &mut Criterion) {
    let mut rng = SmallRng::seed_from_u64(2);
    for (name, mut network) in layer_models().into_iter().chain(stack_models()) {
        let len = network.input_shape().len();
        let frames: Vec<Vec<f32>> = (0..64).map(|_| random(&mut rng, len, 2.0)).collect();
        let mut next = 0;
        c.bench_function(&format!("step {name}"), |b| {
            b.iter(|| {
                next = (next + 1) % frames.len();
                network.step(&frames[next])[0]
            })
        });
    }
}

criterion_group!(benches, step);
criterion_main!(benches);
