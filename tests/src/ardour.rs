//! Ardour 7, headless: `ardour7-lua` runs the Lua scripts in `tests/ardour/` on the dummy
//! audio backend (no sound card, no display), in a home of its own that knows only the VST3
//! bundle under test. Ardour 7 cannot import audio without its GUI, so a session records a take
//! from the dummy backend and the test overwrites the take's files with its own signal.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Lua interpreter of Debian's `ardour` package.
const LUA: &str = "ardour7-lua";
/// Ardour's VST3 scanner: Ardour loads only bundles this has scanned.
const SCANNER: &str = "/usr/lib/ardour7/ardour-vst3-scanner";
/// Ardour's private libraries, which the scanner needs.
const LIBRARIES: &str = "/usr/lib/ardour7";
/// Ardour's MIDI resolution: ticks per beat; sessions start at 120 beats a minute.
pub const TICKS_PER_BEAT: u64 = 1920;
/// The tempo of a new session, in beats a minute.
pub const SESSION_TEMPO: f64 = 120.0;

/// The line the scripts in `tests/ardour/` print when they have done their work.
pub const SCRIPT_DONE: &str = "script done";

/// The export preset the scripts use (its id is in `record_detections.lua`): Ardour's own
/// 32-bit float WAV format, without dither or normalisation.
const EXPORT_PRESET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ExportPreset id="6a1f6a2e-5d0b-4c1e-9d8e-4b7f0e2a5c11" name="Earshot test">
  <ExportFormat id="20b4ab09-6452-4cb3-bd66-b921cdbd2942"/>
  <ExportFilename>
    <Folder relative="1" path="export"/>
    <Field name="label" enabled="1"/>
    <Field name="session" enabled="0"/>
    <Field name="snapshot" enabled="0"/>
    <Field name="timespan" enabled="0"/>
    <Field name="revision" enabled="0"/>
    <Field name="time" enabled="0" value="T_None"/>
    <Field name="date" enabled="0" value="D_None"/>
  </ExportFilename>
</ExportPreset>
"#;

/// Ardour with a private home under a test's folder, where it has scanned one VST3 bundle.
pub struct Ardour {
    home: PathBuf,
    plugins: PathBuf,
}

impl Ardour {
    /// Sets up a home in `folder` (settings, the export preset, a copy of `bundle` scanned by
    /// Ardour). Fails with what is missing when Ardour is not installed.
    pub fn with_vst3(folder: &Path, bundle: &Path) -> Result<Ardour, String> {
        if !Path::new(SCANNER).is_file() || !on_path(LUA) {
            return Err(format!(
                "Ardour 7 is not installed ({LUA} and {SCANNER} are needed): run `cargo xtask \
                 setup`, which installs Debian's `ardour`"
            ));
        }
        let home = folder.join("home");
        let presets = home.join(".config").join("ardour7").join("export");
        fs::create_dir_all(&presets).map_err(|e| format!("{}: {e}", presets.display()))?;
        fs::write(presets.join("earshot-test.preset"), EXPORT_PRESET)
            .map_err(|e| format!("could not write the export preset: {e}"))?;
        // Ardour skips bundles under hidden folders and refuses a scan whose bundle's time
        // differs from the one it scanned: copy with the times kept, to a plain folder.
        let plugins = folder.join("vst3");
        fs::create_dir_all(&plugins).map_err(|e| format!("{}: {e}", plugins.display()))?;
        run(Command::new("cp").arg("-a").arg(bundle).arg(&plugins))?;
        let name = bundle.file_name().ok_or("the bundle has no file name")?;
        let ardour = Ardour { home, plugins };
        let mut scan = ardour.command(SCANNER);
        scan.env("LD_LIBRARY_PATH", LIBRARIES).arg("-f").arg(ardour.plugins.join(name));
        run(&mut scan)?;
        Ok(ardour)
    }

    /// Runs `tests/ardour/SCRIPT` with `variables` set; returns what it printed. A script
    /// succeeds when it prints its last line, [`SCRIPT_DONE`], whatever Ardour does after it:
    /// Ardour 7 sometimes crashes while closing a session (seen here about one run in five).
    pub fn run_script(&self, script: &str, variables: &[(&str, String)]) -> Result<String, String> {
        let path = crate::paths::workspace_root().join("tests").join("ardour").join(script);
        let mut command = self.command(LUA);
        command.arg(path).envs(variables.iter().map(|(k, v)| (k, v)));
        let output = command.output().map_err(|e| format!("could not run {LUA}: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if stdout.lines().any(|line| line == SCRIPT_DONE) {
            Ok(stdout)
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(format!("{script} did not finish ({}):\n{stdout}\n{stderr}", output.status))
        }
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("HOME", &self.home).env("VST3_PATH", &self.plugins);
        command
    }
}

/// A note Ardour recorded: times in ticks from the session's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedNote {
    pub channel: u8,
    pub key: u8,
    pub velocity: u8,
    pub start_ticks: u64,
    pub length_ticks: u64,
}

/// The `note …` lines `record_detections.lua` prints.
pub fn recorded_notes(output: &str) -> Result<Vec<RecordedNote>, String> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("note "))
        .map(|fields| {
            let numbers: Vec<u64> = fields
                .split_whitespace()
                .map(|f| f.parse().map_err(|e| format!("bad note line {fields:?}: {e}")))
                .collect::<Result<_, _>>()?;
            let [channel, key, velocity, start_ticks, length_ticks] = numbers[..] else {
                return Err(format!("bad note line {fields:?}"));
            };
            Ok(RecordedNote {
                channel: channel as u8,
                key: key as u8,
                velocity: velocity as u8,
                start_ticks,
                length_ticks,
            })
        })
        .collect()
}

/// Samples at `rate` in `ticks` at the session's tempo.
pub fn ticks_to_samples(ticks: u64, rate: f64) -> f64 {
    ticks as f64 * 60.0 / SESSION_TEMPO / TICKS_PER_BEAT as f64 * rate
}

/// The two files (left, right) of the one stereo take in `session`.
pub fn take_files(session: &Path) -> Result<[PathBuf; 2], String> {
    let interchange = session.join("interchange");
    let mut files = Vec::new();
    for entry in
        fs::read_dir(&interchange).map_err(|e| format!("{}: {e}", interchange.display()))?
    {
        let audio = entry.map_err(|e| e.to_string())?.path().join("audiofiles");
        for file in fs::read_dir(&audio).map_err(|e| format!("{}: {e}", audio.display()))? {
            files.push(file.map_err(|e| e.to_string())?.path());
        }
    }
    files.sort();
    match &files[..] {
        [left, right] if left.to_string_lossy().ends_with("%L.wav") => {
            Ok([left.clone(), right.clone()])
        }
        _ => Err(format!("expected one stereo take in {}, found {files:?}", interchange.display())),
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Runs `command`; its standard output, or an error with everything it printed.
fn run(command: &mut Command) -> Result<String, String> {
    let output = command.output().map_err(|e| format!("could not run {command:?}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!("{command:?} failed ({}):\n{stdout}\n{stderr}", output.status))
    }
}
