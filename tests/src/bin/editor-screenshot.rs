//! Saves a PNG of the editor as the standalone draws it on a virtual display, after the
//! spectrogram's six seconds of history have filled.
//! Usage: `editor-screenshot OUT.png` (run by `cargo xtask screenshot`).

use earshot_plugin::params::EditorSize;
use earshot_tests::{display, paths};
use std::time::Duration;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: editor-screenshot OUT.png");
        std::process::exit(2);
    };
    let size = EditorSize::DEFAULT;
    let result = display::editor_screenshot(
        &paths::standalone(),
        size.width,
        size.height,
        Duration::from_secs(30),
        Duration::from_secs(7),
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
