//! earshot-dsp against librosa 0.11: the fixtures in `fixtures/` hold deterministic signals and
//! librosa's features of them (`scripts/dsp_fixtures.py` writes them). Each feature must agree
//! within the tolerance stated beside it.

use earshot_dsp::{Frontend, FrontendConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

fn read_f32(name: &str) -> Vec<f32> {
    let bytes = std::fs::read(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

/// How a feature is compared: the bounds apply to linear values, so compressed features are
/// expanded back first (a log maps the FFT's absolute noise floor in near-empty bands to large
/// log differences that say nothing about correctness).
#[derive(Clone, Copy)]
enum Domain {
    Linear,
    /// `ln(1 + λx)`.
    Log1p(f64),
    /// `10·log10(x)` of power.
    PowerDecibels,
}

impl Domain {
    fn to_linear(self, value: f64) -> f64 {
        match self {
            Domain::Linear => value,
            Domain::Log1p(lambda) => value.exp_m1() / lambda,
            Domain::PowerDecibels => 10f64.powf(value / 10.0),
        }
    }
}

/// The allowed error of a (linear) value `reference` in a fixture whose largest linear
/// magnitude is `peak`: `relative·|reference| + of_peak·peak + absolute`.
struct Tolerance {
    domain: Domain,
    relative: f64,
    of_peak: f64,
    absolute: f64,
}

/// Tolerances, per feature. Both sides compute the FFT in float32 (librosa's `stft` of a
/// float32 signal is complex64), whose rounding is about 1e-7 of a frame's peak; filterbank
/// weights are rounded to float32 on both sides (librosa's default `dtype`). So linear values
/// must agree to 1e-5 of themselves plus 1e-6 of the fixture's peak (the noise floor of
/// near-empty bins). Measured worst cases are about 10× inside these bounds; a wrong window,
/// scaling, filter edge or frame position breaks them by orders of magnitude.
fn tolerance(feature: &str) -> Tolerance {
    let linear = |domain| Tolerance { domain, relative: 1e-5, of_peak: 1e-6, absolute: 0.0 };
    match feature {
        "stft_magnitude_1024" | "mel_power_2048_slaney" => linear(Domain::Linear),
        "cqt_c1_12bpo" | "cqt_a1_24bpo" => linear(Domain::Linear),
        "mel_magnitude_4096_htk_log1p" => linear(Domain::Log1p(1.0)),
        "mel_power_1024_db" => linear(Domain::PowerDecibels),
        // Chroma is scaled to a maximum of 1 per frame; its near-empty frames are pure noise
        // floor, hence 1e-5 absolute.
        "chroma_4096" => {
            Tolerance { domain: Domain::Linear, relative: 1e-4, of_peak: 0.0, absolute: 1e-5 }
        }
        // Differences of ln(1 + 10x) of Slaney-normalised mel magnitudes (peak ≈ 0.1): the
        // errors of two frames add; 1e-5 absolute.
        "superflux_2048" => {
            Tolerance { domain: Domain::Linear, relative: 0.0, of_peak: 0.0, absolute: 1e-5 }
        }
        other => panic!("no tolerance stated for {other}"),
    }
}

#[test]
fn features_match_librosa() {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("manifest.json")).unwrap()).unwrap();
    let entries = manifest["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 40, "five signals × eight features");
    let mut report = Vec::new();
    for entry in entries {
        let feature = entry["feature"].as_str().unwrap();
        let config: FrontendConfig = serde_json::from_value(entry["config"].clone()).unwrap();
        let signal = read_f32(entry["signal"].as_str().unwrap());
        let reference = read_f32(entry["values"].as_str().unwrap());
        let (frames, dims) =
            (entry["frames"].as_u64().unwrap() as usize, entry["dims"].as_u64().unwrap() as usize);
        let ours = Frontend::process_signal(&config, 44_100.0, &[&signal]).unwrap();
        assert_eq!((ours.len(), ours[0].len()), (frames, dims), "{feature} of {}", entry["signal"]);
        let tol = tolerance(feature);
        let peak =
            reference.iter().fold(0.0f64, |m, &x| m.max(tol.domain.to_linear(x as f64).abs()));
        let mut worst = 0.0f64;
        for (t, row) in ours.iter().enumerate() {
            for (d, &value) in row.iter().enumerate() {
                let want = tol.domain.to_linear(reference[t * dims + d] as f64);
                let error = (tol.domain.to_linear(value as f64) - want).abs();
                let allowed = tol.relative * want.abs() + tol.of_peak * peak + tol.absolute;
                worst = worst.max(error / allowed);
                assert!(
                    error <= allowed,
                    "{feature} of {}: frame {t}, dim {d}: {value} vs librosa {want} (error {error:.3e}, allowed {allowed:.3e})",
                    entry["signal"]
                );
            }
        }
        report.push(format!(
            "{feature:32} {:24} worst error / allowed = {worst:.3}",
            entry["signal"].as_str().unwrap()
        ));
    }
    println!("{}", report.join("\n"));
}
