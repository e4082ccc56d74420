//! What `earshot analyze` reads and where its results go: files and folders (folders recursed,
//! audio files only, hidden entries skipped), each file's results named so that they mirror the
//! input tree under `--out` and never overwrite another file's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The endings of the files a folder is searched for.
pub const AUDIO_EXTENSIONS: &[&str] =
    &["wav", "wave", "flac", "mp3", "ogg", "oga", "aif", "aiff", "aifc"];

/// An audio file and the path its results are named after (`STEM` in `STEM.onsets.txt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub stem: PathBuf,
}

/// The audio files `paths` name (a file given by name is taken whatever its ending, `-` is
/// standard input), in order, each once, with their result stems under `out`: each file's path
/// below the deepest folder that holds all of them, without its extension — or with it, where
/// two files differ only by their ending (`y.flac`, `y.mp3`). Standard input's results are
/// named `stdin`.
pub fn collect(paths: &[PathBuf], out: &Path) -> Result<Vec<Input>, String> {
    let mut files = BTreeSet::new();
    let stdin = Path::new(earshot_io::audio::STANDARD_INPUT);
    for path in paths.iter().filter(|p| p.as_path() != stdin) {
        let metadata = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if metadata.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.insert(absolute(path)?);
        }
    }
    let base = common_folder(&files);
    let relative: Vec<(PathBuf, PathBuf)> = files
        .into_iter()
        .map(|file| {
            let below = file.strip_prefix(&base).map(Path::to_path_buf).unwrap_or_default();
            (file, below)
        })
        .collect();
    let mut by_stem: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for (_, below) in &relative {
        *by_stem.entry(below.with_extension("")).or_default() += 1;
    }
    let mut inputs: Vec<Input> = relative
        .into_iter()
        .map(|(path, below)| {
            let stem = below.with_extension("");
            let name = if by_stem[&stem] > 1 { below } else { stem };
            Input { path, stem: out.join(name) }
        })
        .collect();
    if paths.iter().any(|p| p.as_path() == stdin) {
        if inputs.iter().any(|i| i.stem == out.join("stdin")) {
            return Err("a file named stdin and standard input (-) would share results".into());
        }
        inputs.push(Input { path: stdin.to_path_buf(), stem: out.join("stdin") });
    }
    Ok(inputs)
}

/// The path with links resolved; a pipe's path (`/dev/stdin` on a pipe resolves to no file)
/// is kept as given, made absolute.
fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Adds the audio files below `folder`, skipping hidden files and folders, and anything not a
/// regular file (a FIFO would block the search until something wrote to it).
fn walk(folder: &Path, files: &mut BTreeSet<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", folder.display()))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.is_file() && is_audio(&path) {
            files.insert(absolute(&path)?);
        }
    }
    Ok(())
}

fn is_audio(path: &Path) -> bool {
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    extension.is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.as_str()))
}

/// The deepest folder that holds every file (the root if they share none).
fn common_folder(files: &BTreeSet<PathBuf>) -> PathBuf {
    let mut folders = files.iter().map(|f| f.parent().unwrap_or(Path::new("/")).to_path_buf());
    let Some(mut base) = folders.next() else { return PathBuf::new() };
    for folder in folders {
        while !folder.starts_with(&base) {
            if !base.pop() {
                break;
            }
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_mirror_their_tree_and_same_stems_keep_their_endings() {
        let root = tempfile::tempdir().unwrap();
        let music = root.path().join("music");
        for file in ["a/x.wav", "b/x.WAV", "b/y.flac", "b/y.mp3", "b/notes.txt", ".hidden/z.wav"] {
            let path = music.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"").unwrap();
        }
        // A FIFO in a searched folder is left out: opening it would wait for a writer.
        let fifo = music.join("b/pipe.wav");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let out = Path::new("results");
        let inputs = collect(std::slice::from_ref(&music), out).unwrap();
        let stems: Vec<&Path> = inputs.iter().map(|i| i.stem.as_path()).collect();
        assert_eq!(
            stems,
            [
                out.join("a/x").as_path(),
                &out.join("b/x"),
                &out.join("b/y.flac"),
                &out.join("b/y.mp3")
            ]
        );
        // One file given by name, whatever its ending: its results go straight under `out`.
        let notes = collect(&[music.join("b/notes.txt")], out).unwrap();
        assert_eq!(notes[0].stem, out.join("notes"));
        // The same file twice is analysed once.
        let twice = collect(&[music.join("a/x.wav"), music.join("a/../a/x.wav")], out).unwrap();
        assert_eq!(twice.len(), 1);
        let missing = collect(&[music.join("nothing.wav")], out).unwrap_err();
        assert!(missing.contains("nothing.wav"), "{missing}");
    }
}
