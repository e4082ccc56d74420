//! Saves a PNG of the editor as the standalone draws it on a virtual display, after the
//! spectrogram's six seconds of history have filled.
//! Usage: `editor-screenshot OUT.png [AUDIO.wav]` (run by `cargo xtask screenshot`): the
//! inputs hear the JACK test signal (a sine and clicks), or the WAV file on a loop.

use earshot_plugin::params::EditorSize;
use earshot_tests::{display, paths};
use std::time::Duration;

fn main() {
    let audio = std::env::args().nth(2).map(std::path::PathBuf::from);
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: editor-screenshot OUT.png [AUDIO.wav]");
        std::process::exit(2);
    };
    let size = EditorSize::DEFAULT;
    let result = display::editor_screenshot(
        &paths::standalone(),
        size.width,
        size.height,
        Duration::from_secs(30),
        Duration::from_secs(settle_seconds(audio.is_some())),
        audio.as_deref(),
    )
    .and_then(|(_, png)| {
        std::fs::write(&out, png).map_err(|e| format!("could not write {out}: {e}"))
    });
    match result {
        Ok(()) => println!("wrote {out}"),
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(1);
        }
    }
}

/// How long the editor runs before the capture: the spectrogram's six seconds; with music,
/// long enough for the key to settle too.
fn settle_seconds(music: bool) -> u64 {
    if music {
        40
    } else {
        7
    }
}
