//! clap-validator, the CLAP project's own validator, on the release Earshot.clap: `validate` must
//! report no failed test and a short `fuzz` run must find nothing. The tests run where
//! `CLAP_VALIDATOR` names a built validator — `cargo xtask test` builds one from
//! `../shared/tools/clap-validator` when that folder exists — and say plainly that they did not
//! run elsewhere (the validator is not on crates.io).

use earshot_tests::paths;
use std::path::PathBuf;
use std::process::Command;

/// How long the fuzzer runs in the suite; `clap-validator fuzz -d 10m` is the long run.
const FUZZ_SECONDS: u32 = 15;

fn validator() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("CLAP_VALIDATOR")?);
    assert!(path.is_file(), "CLAP_VALIDATOR names {}, which is not a file", path.display());
    Some(path)
}

fn skipped(test: &str) {
    println!("{test}: not run, because CLAP_VALIDATOR is not set (cargo xtask test sets it)");
}

#[test]
fn clap_validator_reports_no_failed_test() {
    let Some(validator) = validator() else { return skipped("validate") };
    let output = Command::new(&validator)
        .args(["validate", "--json"])
        .arg(paths::bundled_clap())
        .output()
        .expect("clap-validator runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("no JSON from clap-validator ({e}):\n{}", String::from_utf8_lossy(&output.stderr))
    });
    let results = report["results"].as_array().expect("a list of results");
    let status = |result: &serde_json::Value| result["status"]["code"].as_str().map(String::from);
    let count = |code: &str| results.iter().filter(|r| status(r).as_deref() == Some(code)).count();
    let bad: Vec<String> = results
        .iter()
        .filter(|r| matches!(status(r).as_deref(), Some("failed" | "crashed") | None))
        .map(|r| r.to_string())
        .collect();
    println!(
        "clap-validator: {} tests run, {} passed, {} failed, {} warnings, {} skipped",
        results.len(),
        count("success"),
        bad.len(),
        count("warning"),
        count("skipped")
    );
    assert!(bad.is_empty(), "failed tests:\n{}", bad.join("\n"));
    assert!(count("success") >= 30, "too few tests passed: {report}");
    assert!(output.status.success(), "clap-validator exited with {}", output.status);
}

#[test]
fn clap_validator_fuzzing_finds_nothing() {
    let Some(validator) = validator() else { return skipped("fuzz") };
    let output = Command::new(&validator)
        .args(["fuzz", "--json", "-j", "1", "-d", &format!("{FUZZ_SECONDS}s")])
        .arg(paths::bundled_clap())
        .output()
        .expect("clap-validator runs");
    let failures: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            let stderr = String::from_utf8_lossy(&output.stderr);
            panic!("no JSON from clap-validator fuzz ({e}):\n{stderr}")
        });
    assert!(failures.is_empty(), "the fuzzer failed (rerun with -r SEED): {failures:#?}");
    assert!(output.status.success(), "clap-validator fuzz exited with {}", output.status);
    println!("clap-validator fuzz: {FUZZ_SECONDS} s without a failure");
}
