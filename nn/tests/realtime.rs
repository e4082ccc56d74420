//! Real-time safety of `Network::step` on every fixture model: no allocation (a counting
//! allocator guards it), no panic on any input, non-finite input replaced and counted, finite
//! output, and state that `reset()` fully restores: to zeros, or to where `settle()` left it.

mod common;

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_nn::Network;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn streaming_networks() -> Vec<(String, Network)> {
    common::weight_files()
        .into_iter()
        .filter_map(|(name, bytes)| Network::from_bytes(&bytes).ok().map(|n| (name, n)))
        .collect()
}

/// Frames of ordinary values, then NaN, ±Inf, huge, denormal and wrongly sized frames.
fn hostile_frames(len: usize, rng: &mut SmallRng) -> Vec<Vec<f32>> {
    let mut frames: Vec<Vec<f32>> =
        (0..50).map(|_| (0..len).map(|_| rng.random_range(-3.0..3.0)).collect()).collect();
    for special in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30, -1e30, 1e-40] {
        frames.push(vec![special; len]);
        let mut mixed: Vec<f32> = (0..len).map(|_| rng.random_range(-1.0..1.0)).collect();
        mixed[len / 2] = special;
        frames.push(mixed);
    }
    frames.push(Vec::new());
    frames.push(vec![0.5; len / 2]);
    frames.push(vec![0.5; len * 2 + 3]);
    frames
}

#[test]
fn step_and_reset_never_allocate_and_always_give_finite_output() {
    let mut rng = SmallRng::seed_from_u64(5);
    let networks = streaming_networks();
    assert!(networks.len() >= 20);
    for (name, mut network) in networks {
        let frames = hostile_frames(network.input_shape().len(), &mut rng);
        let output_len = network.output_shape().len();
        let (all_finite, allocations) = allocations_in(|| {
            let mut all_finite = true;
            for _ in 0..3 {
                for frame in &frames {
                    let output = network.step(frame);
                    all_finite &= output.len() == output_len;
                    all_finite &= output.iter().all(|v| v.is_finite());
                }
                network.reset();
            }
            all_finite
        });
        assert_eq!(allocations.count, 0, "{name}: step allocated {} times", allocations.count);
        assert!(all_finite, "{name}: a non-finite or wrongly sized output");
        assert!(network.non_finite_inputs() >= 3 * 9, "{name}: non-finite inputs not counted");
    }
}

#[test]
fn after_garbage_and_a_reset_the_network_computes_exactly_what_a_fresh_one_does() {
    let mut rng = SmallRng::seed_from_u64(9);
    for (name, mut network) in streaming_networks() {
        let len = network.input_shape().len();
        let clean: Vec<f32> = (0..20 * len).map(|_| rng.random_range(-2.0..2.0)).collect();
        let expected = network.clone().run(&clean);
        for frame in hostile_frames(len, &mut rng) {
            network.step(&frame);
        }
        network.reset();
        let mut got = Vec::new();
        for frame in clean.chunks_exact(len) {
            got.extend_from_slice(network.step(frame));
        }
        assert_eq!(got, expected, "{name}: state survived reset()");
    }
}

#[test]
fn a_settled_network_resets_to_where_the_constant_input_left_it_without_allocating() {
    let mut rng = SmallRng::seed_from_u64(11);
    for (name, network) in streaming_networks() {
        let len = network.input_shape().len();
        let constant: Vec<f32> = (0..len).map(|_| rng.random_range(-2.0..2.0)).collect();
        let clean: Vec<f32> = (0..20 * len).map(|_| rng.random_range(-2.0..2.0)).collect();
        let mut fed = network.clone();
        for _ in 0..30 {
            fed.step(&constant);
        }
        let mut expected = Vec::new();
        for frame in clean.chunks_exact(len) {
            expected.extend_from_slice(fed.step(frame));
        }
        let mut settled = network.clone();
        settled.settle(&constant, 30);
        for frame in hostile_frames(len, &mut rng) {
            settled.step(&frame);
        }
        let (_, allocations) = allocations_in(|| settled.reset());
        assert_eq!(allocations.count, 0, "{name}: reset allocated");
        let mut got = Vec::new();
        for frame in clean.chunks_exact(len) {
            got.extend_from_slice(settled.step(frame));
        }
        assert_eq!(got, expected, "{name}: reset did not return to the settled state");
    }
}

#[test]
fn non_finite_input_values_count_as_zero() {
    for (name, mut network) in streaming_networks() {
        let len = network.input_shape().len();
        let mut with_nan = vec![0.25; len];
        with_nan[0] = f32::NAN;
        let mut with_zero = with_nan.clone();
        with_zero[0] = 0.0;
        let mut fresh = network.clone();
        assert_eq!(network.step(&with_nan), fresh.step(&with_zero), "{name}");
        assert_eq!(network.non_finite_inputs(), 1, "{name}");
    }
}
