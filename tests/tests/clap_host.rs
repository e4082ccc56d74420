//! The built Earshot.clap in a real CLAP host (clack-host), as a DAW would run it.

use earshot_tests::clap_host::ClapInstance;
use earshot_tests::paths;
use earshot_tests::stress::{self, StressReport};
use std::path::Path;

const BLOCKS: usize = 1000;
const RATES: [f64; 2] = [44_100.0, 48_000.0];

fn stress_at_both_rates(library: &Path, channels: usize) -> Vec<StressReport> {
    RATES
        .iter()
        .map(|&rate| {
            stress::pass_through(library, rate, channels, BLOCKS, rate as u64)
                .unwrap_or_else(|e| panic!("{} at {rate} Hz: {e}", library.display()))
        })
        .collect()
}

fn assert_full_run(reports: &[StressReport]) {
    for report in reports {
        assert_eq!(report.blocks, BLOCKS);
        // Random sizes of 1..=4096 average about 2048 frames.
        assert!(report.frames > BLOCKS * 1500, "{report:?}");
        assert!(report.non_finite_samples > 0, "the run must include NaN/Inf: {report:?}");
        assert!(report.subnormal_samples > 0, "the run must include subnormals: {report:?}");
    }
}

#[test]
fn release_bundle_passes_stereo_through_bit_exact_flushing_subnormals() {
    assert_full_run(&stress_at_both_rates(&paths::bundled_clap(), 2));
}

#[test]
fn release_bundle_passes_mono_through_bit_exact_flushing_subnormals() {
    assert_full_run(&stress_at_both_rates(&paths::bundled_clap(), 1));
}

/// The debug build aborts the process if `process()` allocates (nice-plug's
/// `assert_process_allocs`), so finishing this run proves the audio path allocation-free.
#[test]
fn debug_build_processes_without_allocating() {
    assert_full_run(&stress_at_both_rates(&paths::debug_bundle("Earshot.clap"), 2));
}

#[test]
fn descriptor_declares_an_analyzer() {
    let plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    let descriptor = plugin.descriptor();
    assert_eq!(descriptor.id, "audio.earshot.analyzer");
    assert_eq!(descriptor.name, "Earshot");
    assert_eq!(descriptor.vendor, "Earshot");
    assert_eq!(descriptor.version, env!("CARGO_PKG_VERSION"));
    assert!(descriptor.url.starts_with("https://"), "{}", descriptor.url);
    for feature in ["audio-effect", "analyzer", "stereo", "mono"] {
        assert!(
            descriptor.features.iter().any(|f| f == feature),
            "{feature} missing: {:?}",
            descriptor.features
        );
    }
}

/// nice-plug's CLAP state: a little-endian u64 length, then JSON.
fn decode_state(bytes: &[u8]) -> serde_json::Value {
    let (length, json) = bytes.split_at(8);
    assert_eq!(u64::from_le_bytes(length.try_into().unwrap()) as usize, json.len());
    serde_json::from_slice(json).unwrap()
}

fn encode_state(state: &serde_json::Value) -> Vec<u8> {
    let json = serde_json::to_vec(state).unwrap();
    let mut bytes = (json.len() as u64).to_le_bytes().to_vec();
    bytes.extend(json);
    bytes
}

/// CLAP parameter values of Earshot's continuous parameters are normalised to 0..=1; the peak
/// hold's 0–10 s range maps linearly, so 0.55 is 5.5 s.
#[test]
fn state_round_trips_into_a_fresh_instance() {
    let library = paths::bundled_clap();
    let mut original = ClapInstance::load(&library).unwrap();
    let hold = original.param_id("Peak hold").unwrap();
    original.set_param(hold, 0.55).unwrap();
    // Change the saved editor size the way a resize would, through the state itself.
    let mut state = decode_state(&original.save_state().unwrap());
    assert_eq!(state["params"]["peak_hold"]["f32"], 5.5);
    let size = serde_json::json!({ "width": 900, "height": 600 });
    state["fields"]["editor-size"] = serde_json::Value::String(size.to_string());
    original.load_state(&encode_state(&state)).unwrap();
    let saved = original.save_state().unwrap();

    let mut restored = ClapInstance::load(&library).unwrap();
    assert!(
        (restored.param_value(hold).unwrap() - 0.2).abs() < 1e-6,
        "a fresh instance starts at 2 s"
    );
    restored.load_state(&saved).unwrap();
    assert!((restored.param_value(hold).unwrap() - 0.55).abs() < 1e-6);
    assert_eq!(restored.save_state().unwrap(), saved);
    let saved_size =
        decode_state(&saved)["fields"]["editor-size"].as_str().map(String::from).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&saved_size).unwrap(), size);
}

#[test]
fn malformed_state_is_refused_without_harm() {
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    let before = plugin.save_state().unwrap();
    for junk in
        [&b""[..], b"{", b"\xff\xfe not json", &encode_state(&serde_json::json!({"params": 7}))]
    {
        assert!(plugin.load_state(junk).is_err(), "accepted {junk:?}");
    }
    assert_eq!(plugin.save_state().unwrap(), before);
}

#[test]
fn automation_during_processing_is_applied() {
    use clack_host::events::event_types::ParamValueEvent;
    use clack_host::events::Pckn;
    let mut plugin = ClapInstance::load(&paths::bundled_clap()).unwrap();
    let hold = plugin.param_id("Peak hold").unwrap();
    plugin
        .with_processor(48_000.0, 512, 2, |processor| {
            let mut left = vec![0.0f32; 512];
            let mut right = vec![0.0f32; 512];
            let mut out_left = vec![0.0f32; 512];
            let mut out_right = vec![0.0f32; 512];
            let event = ParamValueEvent::new(0, hold, Pckn::match_all(), 0.75);
            processor
                .process(
                    &mut [&mut left, &mut right],
                    &mut [&mut out_left, &mut out_right],
                    &[event],
                )
                .unwrap();
        })
        .unwrap();
    assert!((plugin.param_value(hold).unwrap() - 0.75).abs() < 1e-6);
}
