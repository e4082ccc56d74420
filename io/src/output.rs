//! Results written so that a failure never leaves a half-written file nor destroys an earlier
//! result: into a temporary file beside the target, which then replaces it in one rename.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: readers see the old file or the whole new one, never
/// part of it. The error names `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let temporary = temporary_beside(path);
    let written = fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&temporary, path));
    written.map_err(|error| {
        let _ = fs::remove_file(&temporary);
        format!("{}: {error}", path.display())
    })
}

/// A hidden name in the target's folder, unique to this process.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_replaces_the_old_one_whole_and_a_failure_keeps_it() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("song.onsets.txt");
        write_atomically(&path, b"old\n").unwrap();
        write_atomically(&path, b"new\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new\n");
        // A target that cannot be replaced (a folder) fails, naming it, and leaves nothing.
        let blocked = folder.path().join("blocked");
        fs::create_dir(&blocked).unwrap();
        let error = write_atomically(&blocked, b"x").unwrap_err();
        assert!(error.starts_with(&blocked.display().to_string()), "{error}");
        let names: Vec<_> =
            fs::read_dir(folder.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "a temporary file was left: {names:?}");
    }
}
