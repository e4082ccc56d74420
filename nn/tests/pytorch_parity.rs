//! earshot-nn against PyTorch: the fixtures in `fixtures/` (written by `scripts/nn_fixtures.py`)
//! hold random-weight models of every layer kind and a few realistic stacks, an input sequence
//! and PyTorch's output for it (computed in float64 from the float32 weights and inputs).
//!
//! Bound: 1e-5 absolute on every output value. The models' outputs are of order 1 and each is a
//! sum of at most a few thousand float32 products, whose rounding (~6e-8 relative per operation,
//! growing with √n for random signs) stays well below it; a wrong gate order, tap, padding,
//! pooling window or batch-norm fold is off by 1e-2 or more.

use earshot_nn::{format, Network, OfflineNetwork};
use serde_json::Value;
use std::path::{Path, PathBuf};

const BOUND: f32 = 1e-5;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

fn read_f32(name: &str) -> Vec<f32> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

struct Fixture {
    name: String,
    offline_only: bool,
    input: Vec<f32>,
    expected: Vec<f32>,
    weights: Vec<u8>,
}

fn load_fixtures() -> Vec<Fixture> {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("manifest.json")).unwrap()).unwrap();
    let list = manifest["fixtures"].as_array().unwrap();
    assert!(list.len() >= 20, "the manifest lists every fixture");
    list.iter()
        .map(|entry| {
            let name = entry["name"].as_str().unwrap().to_string();
            let fixture = Fixture {
                offline_only: entry["offline_only"].as_bool().unwrap(),
                input: read_f32(&format!("{name}.input.f32")),
                expected: read_f32(&format!("{name}.output.f32")),
                weights: std::fs::read(fixtures().join(format!("{name}.esw"))).unwrap(),
                name,
            };
            let frames = entry["frames"].as_u64().unwrap() as usize;
            assert_eq!(fixture.input.len(), frames * entry["input_len"].as_u64().unwrap() as usize);
            assert_eq!(
                fixture.expected.len(),
                frames * entry["output_len"].as_u64().unwrap() as usize
            );
            fixture
        })
        .collect()
}

fn worst_error(name: &str, got: &[f32], expected: &[f32]) -> f32 {
    assert_eq!(got.len(), expected.len(), "{name}: output length");
    got.iter().zip(expected).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max)
}

#[test]
fn every_streaming_model_matches_pytorch_when_stepped_frame_by_frame() {
    let mut checked = 0;
    for fixture in load_fixtures().iter().filter(|f| !f.offline_only) {
        let mut network = Network::from_bytes(&fixture.weights)
            .unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
        let frame = network.input_shape().len();
        let mut got = Vec::new();
        for input in fixture.input.chunks_exact(frame) {
            got.extend_from_slice(network.step(input));
        }
        let worst = worst_error(&fixture.name, &got, &fixture.expected);
        println!("{:24} worst |error| {worst:.2e}", fixture.name);
        assert!(worst <= BOUND, "{}: worst error {worst:e} exceeds {BOUND:e}", fixture.name);
        // A second pass after reset gives the same values: all state was cleared.
        let again = network.run(&fixture.input);
        assert_eq!(again, got, "{}: run after reset differs", fixture.name);
        checked += 1;
    }
    assert!(checked >= 20);
}

#[test]
fn the_offline_network_matches_pytorch_on_every_model_including_bidirectional_ones() {
    for fixture in load_fixtures() {
        let spec = format::read(&fixture.weights).unwrap();
        let got = OfflineNetwork::new(&spec).unwrap().run(&fixture.input);
        let worst = worst_error(&fixture.name, &got, &fixture.expected);
        assert!(worst <= BOUND, "{}: worst error {worst:e} exceeds {BOUND:e}", fixture.name);
        if !fixture.offline_only {
            let stepped = Network::new(&spec).unwrap().run(&fixture.input);
            assert_eq!(got, stepped, "{}: offline and streaming runs differ", fixture.name);
        }
    }
}

#[test]
fn bidirectional_models_are_refused_for_real_time_use() {
    for fixture in load_fixtures().iter().filter(|f| f.offline_only) {
        let error = Network::from_bytes(&fixture.weights).unwrap_err();
        assert!(
            error.to_string().contains("offline only"),
            "{}: unexpected error {error}",
            fixture.name
        );
    }
}

/// The Python writer is independent of the Rust one; both must describe the same model (the
/// bytes differ only in how the frontend's JSON is spaced).
#[test]
fn the_rust_writer_round_trips_every_model() {
    for fixture in load_fixtures() {
        let spec = format::read(&fixture.weights).unwrap();
        let written = format::write(&spec);
        assert_eq!(format::read(&written).unwrap(), spec, "{}", fixture.name);
        assert_eq!(format::write(&format::read(&written).unwrap()), written, "{}", fixture.name);
    }
}
