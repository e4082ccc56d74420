//! Features of rendered clips cached on disk: computed once per clip and frontend, then read
//! back an excerpt at a time, so a training set far larger than memory costs only disk space.
//!
//! A file is `NAME.KEY.features`, KEY a hash of the frontend (without its standardisation):
//! the magic `ESFEAT01`, the frame count and values per frame as little-endian u64, then the
//! frames as little-endian f32, row-major. A file older than its audio is computed again.

use super::examples;
use earshot_dsp::FrontendConfig;
use earshot_io::audio;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"ESFEAT01";
const HEADER: u64 = 24;

/// One clip's cached feature frames.
#[derive(Debug, Clone)]
pub struct FeatureFile {
    path: PathBuf,
    frames: usize,
    frame_len: usize,
}

/// A stable name for a frontend: FNV-1a over its JSON, standardisation left out.
pub fn frontend_key(frontend: &FrontendConfig) -> String {
    let raw = FrontendConfig { standardisation: None, ..frontend.clone() };
    let json = serde_json::to_string(&raw).expect("frontend configs serialise");
    let hash = json
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    format!("{hash:016x}")
}

impl FeatureFile {
    /// The cached features of `wav` in `dir`, computed and written first if missing or stale.
    pub fn for_audio(
        dir: &Path,
        wav: &Path,
        frontend: &FrontendConfig,
    ) -> Result<FeatureFile, String> {
        let name = wav.file_stem().and_then(|s| s.to_str()).ok_or("audio file without a name")?;
        let path = dir.join(format!("{name}.{}.features", frontend_key(frontend)));
        let fresh = |cached: &Path| -> Option<()> {
            let audio_time = std::fs::metadata(wav).ok()?.modified().ok()?;
            (std::fs::metadata(cached).ok()?.modified().ok()? >= audio_time).then_some(())
        };
        if fresh(&path).is_some() {
            if let Ok(file) = FeatureFile::open(&path, frontend.frame_len()) {
                return Ok(file);
            }
        }
        let signal = audio::read(wav).map_err(|e| e.to_string())?;
        let (frames, features) = examples::features(&signal, frontend)?;
        write(&path, frames, frontend.frame_len(), &features)?;
        FeatureFile::open(&path, frontend.frame_len())
    }

    /// Opens a cache file, checking its header and size against `frame_len`.
    pub fn open(path: &Path, frame_len: usize) -> Result<FeatureFile, String> {
        let fail = |what: &str| format!("{}: {what}", path.display());
        let mut file = File::open(path).map_err(|e| fail(&e.to_string()))?;
        let mut header = [0u8; HEADER as usize];
        file.read_exact(&mut header).map_err(|_| fail("shorter than its header"))?;
        if &header[..8] != MAGIC {
            return Err(fail("not an Earshot feature cache file"));
        }
        let number =
            |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"));
        let (frames, stored_len) = (number(8), number(16));
        if stored_len != frame_len as u64 {
            return Err(fail(&format!("{stored_len} values per frame, expected {frame_len}")));
        }
        let size = file.metadata().map_err(|e| fail(&e.to_string()))?.len();
        if frames.checked_mul(stored_len * 4).and_then(|b| b.checked_add(HEADER)) != Some(size) {
            return Err(fail(&format!("{size} bytes do not hold {frames} frames")));
        }
        Ok(FeatureFile { path: path.to_path_buf(), frames: frames as usize, frame_len })
    }

    pub fn frames(&self) -> usize {
        self.frames
    }

    pub fn frame_len(&self) -> usize {
        self.frame_len
    }

    /// Appends frames `start..start + count` to `out`.
    pub fn read_into(&self, start: usize, count: usize, out: &mut Vec<f32>) -> Result<(), String> {
        if start + count > self.frames {
            return Err(format!(
                "{}: frames {start}..{} of {}",
                self.path.display(),
                start + count,
                self.frames
            ));
        }
        let fail = |e: std::io::Error| format!("{}: {e}", self.path.display());
        let mut file = File::open(&self.path).map_err(fail)?;
        file.seek(SeekFrom::Start(HEADER + (start * self.frame_len * 4) as u64)).map_err(fail)?;
        let mut bytes = vec![0u8; count * self.frame_len * 4];
        file.read_exact(&mut bytes).map_err(fail)?;
        out.extend(bytes.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4"))));
        Ok(())
    }

    /// Every frame of the clip.
    pub fn read_all(&self) -> Result<Vec<f32>, String> {
        let mut out = Vec::with_capacity(self.frames * self.frame_len);
        self.read_into(0, self.frames, &mut out)?;
        Ok(out)
    }
}

/// Writes a cache file through a temporary name, so an interrupted run leaves no torn file.
pub(super) fn write(
    path: &Path,
    frames: usize,
    frame_len: usize,
    features: &[f32],
) -> Result<(), String> {
    let temporary = path.with_extension(format!("partial-{}", std::process::id()));
    let fail = |e: std::io::Error| format!("{}: {e}", temporary.display());
    let mut bytes = Vec::with_capacity(HEADER as usize + features.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&(frames as u64).to_le_bytes());
    bytes.extend_from_slice(&(frame_len as u64).to_le_bytes());
    features.iter().for_each(|v| bytes.extend_from_slice(&v.to_le_bytes()));
    let mut file = File::create(&temporary).map_err(fail)?;
    file.write_all(&bytes).map_err(fail)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_read_back_exactly_and_bad_files_are_refused() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("clip.features");
        let values: Vec<f32> = (0..30).map(|i| i as f32 * 0.5 - 3.0).collect();
        write(&path, 10, 3, &values).unwrap();
        let file = FeatureFile::open(&path, 3).unwrap();
        let mut out = vec![];
        file.read_into(4, 3, &mut out).unwrap();
        assert_eq!(out, values[12..21]);
        assert_eq!(file.read_all().unwrap(), values);
        assert!(file.read_into(8, 3, &mut out).unwrap_err().contains("frames 8..11 of 10"));
        assert!(FeatureFile::open(&path, 4).unwrap_err().contains("3 values per frame"));
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(FeatureFile::open(&path, 3).unwrap_err().contains("do not hold 10 frames"));
        std::fs::write(&path, b"RIFF").unwrap();
        assert!(FeatureFile::open(&path, 3).unwrap_err().contains("shorter than its header"));
    }

    #[test]
    fn the_key_ignores_standardisation_but_not_the_features() {
        let a = FrontendConfig {
            sample_rate: 44_100,
            hop_length: 441,
            streams: vec![earshot_dsp::StreamConfig::log_mel(1024, 40, 30.0, 16_000.0)],
            standardisation: None,
        };
        let standardised = FrontendConfig {
            standardisation: Some(earshot_dsp::Standardisation {
                mean: vec![0.0; 40],
                std: vec![1.0; 40],
            }),
            ..a.clone()
        };
        assert_eq!(frontend_key(&a), frontend_key(&standardised));
        assert_ne!(frontend_key(&a), frontend_key(&FrontendConfig { hop_length: 440, ..a }));
    }
}
