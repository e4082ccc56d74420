//! The weight-file reader on untrusted bytes: every truncation and tens of thousands of
//! mutations of real files (with the checksum recomputed, so they reach the field checks) give
//! a typed error or a model that runs; none panics, reads out of bounds or allocates more than
//! the file's own size at once. And each kind of damage gets the message that names it.

mod common;

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_nn::{format, ModelError, Network, OfflineNetwork};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::path::Path;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Replaces the trailing checksum with the right one for the (changed) body.
fn reseal(bytes: &mut [u8]) {
    let end = bytes.len() - 4;
    let checksum = crc32fast::hash(&bytes[..end]);
    bytes[end..].copy_from_slice(&checksum.to_le_bytes());
}

/// Reads `bytes`, checking that no single allocation exceeds the file's size (plus the small
/// fixed tables a model needs); a model that loads must also run on a few frames.
fn read_untrusted(bytes: &[u8]) -> Result<(), ModelError> {
    let (result, allocations) = allocations_in(|| format::read(bytes));
    let limit = bytes.len() + 64 * 1024;
    assert!(
        allocations.largest <= limit,
        "reading {} bytes allocated {} bytes at once",
        bytes.len(),
        allocations.largest
    );
    let spec = result?;
    let frame = vec![0.5; spec.input.len()];
    match Network::new(&spec) {
        Ok(mut network) => {
            for _ in 0..3 {
                assert!(network.step(&frame).iter().all(|v| v.is_finite()));
            }
        }
        Err(ModelError::OfflineOnly { .. }) => {
            let output = OfflineNetwork::new(&spec)?.run(&frame.repeat(3));
            assert!(output.iter().all(|v| v.is_finite()));
        }
        Err(error) => panic!("a model that reads must build: {error}"),
    }
    Ok(())
}

/// How many mutations a test makes: `EARSHOT_MUTATIONS` (the long run), or `default`.
fn mutation_rounds(default: usize) -> usize {
    std::env::var("EARSHOT_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// The smaller fixtures (the mutation loop reads each file thousands of times).
fn small_files() -> Vec<(String, Vec<u8>)> {
    common::weight_files().into_iter().filter(|(_, bytes)| bytes.len() < 40_000).collect()
}

#[test]
fn every_truncation_is_an_error() {
    for (name, bytes) in small_files() {
        for len in 0..bytes.len() {
            assert!(read_untrusted(&bytes[..len]).is_err(), "{name} cut to {len} bytes loaded");
        }
    }
}

#[test]
fn mutated_files_give_errors_or_working_models_never_panics() {
    let mut rng = SmallRng::seed_from_u64(2026);
    let files = small_files();
    assert!(files.len() >= 10);
    let extremes = [0u32, 1, 2, 3, 7, 64, 65, 255, 4096, 65_536, 0x7FFF_FFFF, 0xFFFF_FFFF];
    let (mut loaded, mut refused) = (0, 0);
    let rounds = mutation_rounds(30_000);
    for round in 0..rounds {
        let (_, original) = &files[round % files.len()];
        let mut bytes = original.clone();
        // Header and layer fields live in the first bytes and between tensors: aim half the
        // mutations at aligned words, the rest anywhere.
        for _ in 0..rng.random_range(1..=3) {
            let body = bytes.len() - 4;
            if rng.random_bool(0.5) {
                let at = rng.random_range(0..body / 4) * 4;
                let value = extremes[rng.random_range(0..extremes.len())];
                bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
            } else {
                let at = rng.random_range(0..body);
                bytes[at] ^= 1 << rng.random_range(0..8);
            }
        }
        reseal(&mut bytes);
        match read_untrusted(&bytes) {
            Ok(()) => loaded += 1,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                refused += 1;
            }
        }
    }
    println!("weight file: {rounds} mutated files, {loaded} loaded and ran, {refused} refused");
    assert!(refused > 1000 && loaded > 1000, "{refused} refused, {loaded} loaded");
}

fn first_file() -> Vec<u8> {
    std::fs::read(common::fixtures().join("dense_relu.esw")).unwrap()
}

#[test]
fn each_kind_of_damage_has_its_own_error() {
    let good = first_file();
    assert!(format::read(&good).is_ok());

    assert_eq!(format::read(b"RIFF\0\0\0\0WAVE"), Err(ModelError::NotAWeightFile));

    let mut newer = good.clone();
    newer[8..12].copy_from_slice(&2u32.to_le_bytes());
    assert_eq!(
        format::read(&newer),
        Err(ModelError::UnsupportedVersion { found: 2, supported: 1 })
    );

    let mut flipped = good.clone();
    flipped[100] ^= 0x10;
    assert!(matches!(format::read(&flipped), Err(ModelError::ChecksumMismatch { .. })));

    let mut longer = good[..good.len() - 4].to_vec();
    longer.extend_from_slice(&[0; 8]);
    reseal(&mut longer);
    assert_eq!(format::read(&longer), Err(ModelError::TrailingBytes { count: 4 }));

    let short = &good[..good.len() / 2];
    let mut cut = short.to_vec();
    cut.extend_from_slice(&[0; 4]);
    reseal(&mut cut);
    assert!(matches!(format::read(&cut), Err(ModelError::Truncated { .. })));
}

#[test]
fn invalid_models_are_refused_with_the_layer_and_reason() {
    let mut spec = format::read(&first_file()).unwrap();
    let earshot_nn::LayerSpec::Dense { weight, .. } = &mut spec.layers[0] else {
        panic!("dense_relu starts with a dense layer")
    };
    weight[3] = f32::NAN;
    let message = format::read(&format::write(&spec)).unwrap_err().to_string();
    assert_eq!(message, "layer 0 (dense): weight[3] is NaN");

    let mut spec = format::read(&first_file()).unwrap();
    spec.input.bins += 1;
    let message = format::read(&format::write(&spec)).unwrap_err().to_string();
    assert!(message.starts_with("input shape: 1×41 does not hold the frontend's 40-value frame"));

    let mut spec = format::read(&first_file()).unwrap();
    spec.frontend.hop_length = 0;
    let message = format::read(&format::write(&spec)).unwrap_err().to_string();
    assert!(message.starts_with("frontend: hop_length 0"), "{message}");
}

#[test]
fn a_byte_inserted_before_the_checksum_is_named_as_such() {
    let good = first_file();
    let mut inserted = good[..good.len() - 4].to_vec();
    inserted.extend_from_slice(&[0; 5]);
    reseal(&mut inserted);
    let message = format::read(&inserted).unwrap_err().to_string();
    assert_eq!(
        message,
        "weight file has 1 unexpected bytes between its last layer and its checksum"
    );
}

#[test]
fn finite_but_absurd_weights_are_refused_at_load() {
    let mut spec = format::read(&first_file()).unwrap();
    let earshot_nn::LayerSpec::Dense { weight, .. } = &mut spec.layers[0] else {
        panic!("dense_relu starts with a dense layer")
    };
    weight[3] = 3e38;
    let message = format::read(&format::write(&spec)).unwrap_err().to_string();
    assert_eq!(message, "layer 0 (dense): weight[3] is 3e38, outside ±10000");
    // At the limit it loads: trained models stay orders of magnitude below it.
    let earshot_nn::LayerSpec::Dense { weight, .. } = &mut spec.layers[0] else { unreachable!() };
    weight[3] = -earshot_nn::limits::MAGNITUDE;
    assert!(format::read(&format::write(&spec)).is_ok());

    let mut spec = format::read(&first_file()).unwrap();
    let len = spec.input.len();
    let mut std = vec![1.0; len];
    std[0] = 1e-30;
    spec.frontend.standardisation =
        Some(earshot_dsp::Standardisation { mean: vec![0.0; len], std });
    let message = format::read(&format::write(&spec)).unwrap_err().to_string();
    assert!(
        message.starts_with("frontend: standardisation needs means within ±10000"),
        "{message}"
    );
}

/// A model of `dense_relu`'s frontend: a dense layer to `width` values, then `layers`.
fn model_widened_to(width: usize, layers: Vec<earshot_nn::LayerSpec>) -> earshot_nn::ModelSpec {
    let mut spec = format::read(&first_file()).unwrap();
    let inputs = spec.input.len();
    spec.layers = vec![earshot_nn::LayerSpec::Dense {
        units: width,
        weight: vec![0.01; width * inputs],
        bias: vec![0.0; width],
    }];
    spec.layers.extend(layers);
    spec
}

#[test]
fn models_that_would_exhaust_memory_or_time_are_refused_at_load() {
    use earshot_nn::{LayerSpec, PoolKind};
    // The probe's model: 62 max-pools over 64 frames of a 65 536-value frame (2 GB of state,
    // minutes per second of audio), refused before anything is allocated.
    let pool = LayerSpec::Pool { kind: PoolKind::Max, time: 64, freq: 1, freq_stride: 1 };
    let spec = model_widened_to(65_536, vec![pool; 62]);
    let (result, allocations) = allocations_in(|| spec.validate());
    let message = result.unwrap_err().to_string();
    assert!(message.starts_with("layers: would keep 264"), "{message}");
    assert!(message.ends_with("values of state, more than 8388608"), "{message}");
    assert!(allocations.peak < 4096, "{allocations:?}");

    // Work: two wide dense layers load at 100 frames per second but not at 1000.
    let narrow =
        LayerSpec::Dense { units: 64, weight: vec![0.01; 64 * 65_536], bias: vec![0.0; 64] };
    let mut spec = model_widened_to(65_536, vec![narrow]);
    let rate = spec.frontend.sample_rate as usize;
    spec.frontend.hop_length = rate / 100;
    assert!(spec.validate().is_ok());
    spec.frontend.hop_length = rate.div_ceil(1000);
    let message = spec.validate().unwrap_err().to_string();
    assert!(message.starts_with("layers: need 6815744 operations per frame, 6.6"), "{message}");

    // A frame every sample is refused by the frontend, with the smallest hop that would do.
    spec.frontend.hop_length = 1;
    let message = spec.validate().unwrap_err().to_string();
    assert!(
        message.contains("frames per second") && message.contains("hop_length at least"),
        "{message}"
    );
}

/// A weight file with its frontend text replaced by `json` (the text field after the magic,
/// the version and the task), resealed.
fn with_frontend_text(file: &[u8], json: &[u8]) -> Vec<u8> {
    let word = |at: usize| u32::from_le_bytes(file[at..at + 4].try_into().unwrap()) as usize;
    let frontend_at = 12 + 4 + word(12);
    let rest = frontend_at + 4 + word(frontend_at);
    let mut bytes = file[..frontend_at].to_vec();
    bytes.extend_from_slice(&(json.len() as u32).to_le_bytes());
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(&file[rest..]);
    reseal(&mut bytes);
    bytes
}

/// A copy of `config` with one to three values changed: a number set to an extreme, a string
/// to another variant's name, a key removed, or an array element repeated.
fn mutate_json(rng: &mut SmallRng, config: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    const NUMBERS: &[f64] = &[
        0.0,
        -1.0,
        0.5,
        1.0,
        2.0,
        7.0,
        15.0,
        17.0,
        44.0,
        45.0,
        441.0,
        4096.0,
        65_535.0,
        65_536.0,
        65_537.0,
        4_294_967_296.0,
        1e9,
        -1e9,
        1e-9,
        1e38,
        -1e38,
        1e308,
    ];
    const NAMES: &[&str] =
        &["Magnitude", "Power", "None", "Mel", "Logarithmic", "ConstantQ", "Chroma", "Log1p", ""];
    enum Change {
        Set,
        Remove(String),
        Repeat(usize),
    }
    let mut config = config.clone();
    for _ in 0..rng.random_range(1..=3) {
        // Walk down to a random leaf or container (a JSON pointer), away from the long
        // statistics arrays most of the time.
        let (mut pointer, mut change) = (String::new(), Change::Set);
        let mut node = &config;
        loop {
            let descend = rng.random_bool(0.8);
            match node {
                Value::Object(map) if descend && !map.is_empty() => {
                    let keys: Vec<&String> = map
                        .keys()
                        .filter(|k| *k != "standardisation" || rng.random_bool(0.1))
                        .collect();
                    let Some(key) = keys.get(rng.random_range(0..keys.len().max(1))) else { break };
                    if rng.random_bool(0.05) {
                        change = Change::Remove(key.to_string());
                        break;
                    }
                    pointer = format!("{pointer}/{key}");
                    node = &map[key.as_str()];
                }
                Value::Array(items) if descend && !items.is_empty() => {
                    let at = rng.random_range(0..items.len());
                    if rng.random_bool(0.1) {
                        change = Change::Repeat(at);
                        break;
                    }
                    pointer = format!("{pointer}/{at}");
                    node = &items[at];
                }
                _ => break,
            }
        }
        let node = config.pointer_mut(&pointer).expect("the pointer was just walked");
        match (change, node) {
            (Change::Remove(key), Value::Object(map)) => {
                map.remove(&key);
            }
            (Change::Repeat(at), Value::Array(items)) => {
                let copy = items[at].clone();
                items.insert(at, copy);
            }
            (_, node @ (Value::Number(_) | Value::Null | Value::Bool(_))) => {
                *node = serde_json::json!(NUMBERS[rng.random_range(0..NUMBERS.len())]);
            }
            (_, node @ Value::String(_)) => {
                *node = Value::from(NAMES[rng.random_range(0..NAMES.len())]);
            }
            _ => {}
        }
    }
    config
}

/// Frontend configs, as written inside weight files, mutated as JSON: each is refused with a
/// message, or builds a frontend (and, with a matching input shape, a model) that runs within
/// 64 MB. The shipped onset model's three-stream config and a fixture's are the seeds.
#[test]
fn mutated_frontend_configs_are_refused_or_run_in_bounded_memory() {
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/src/tasks/onsets/weights.esw");
    let files = [std::fs::read(shipped).unwrap(), first_file()];
    let rounds = mutation_rounds(1500);
    let mut rng = SmallRng::seed_from_u64(38);
    let tone: Vec<f32> = (0..4410).map(|i| (i as f32 * 0.07).sin()).collect();
    let (mut built, mut refused) = (0, 0);
    for round in 0..rounds {
        let file = &files[round % files.len()];
        let spec = format::read(file).unwrap();
        let original = serde_json::to_value(&spec.frontend).unwrap();
        let mutated = mutate_json(&mut rng, &original);
        let text = serde_json::to_vec(&mutated).unwrap();
        // Whole files: the reader refuses or loads (and `read_untrusted` runs the model).
        let _ = read_untrusted(&with_frontend_text(file, &text));
        // The config alone, as the frontend is built from it.
        let (outcome, allocations) = allocations_in(|| {
            let config: earshot_dsp::FrontendConfig = serde_json::from_slice(&text).ok()?;
            let mut frontend = earshot_dsp::Frontend::new(&config, 44_100.0).ok()?;
            let mut frames = 0;
            frontend.push(&[&tone], tone.len(), |frame| {
                assert!(frame.values.iter().all(|v| v.is_finite()), "{mutated}");
                frames += 1;
            });
            Some(frames)
        });
        assert!(allocations.peak <= 64 << 20, "{allocations:?} for {mutated}");
        match outcome {
            Some(_) => built += 1,
            None => refused += 1,
        }
    }
    println!("frontend config: {rounds} mutated configs, {built} built and ran, {refused} refused");
    assert!(built > rounds / 20 && refused > rounds / 20, "{built} built, {refused} refused");
}
