//! A song the tests write themselves in POP909's layout, and render options for it.

#![allow(dead_code)]

use earshot_trainer::dataset::render::{RenderOptions, StyleChoice};
use earshot_trainer::render::plan::MelodySource;
use earshot_trainer::render::score::{write_midi, Note, Part, Score};
use std::path::Path;

pub const SOUNDFONT: &str = "/usr/share/sounds/sf2/TimGM6mb.sf2";
pub const BEAT: f64 = 0.5;

/// A folder under the system's temporary directory, removed with everything in it when dropped.
pub struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

/// A new empty scratch folder whose name starts with `earshot-NAME`.
pub fn scratch(name: &str) -> Scratch {
    Scratch(tempfile::Builder::new().prefix(&format!("earshot-{name}-")).tempdir().unwrap())
}

/// 8 s at 120 bpm in 4/4: a C–Am–F–G progression on the piano, a melody, a bridge line.
pub fn song() -> Score {
    let mut notes = Vec::new();
    let note = |part, start: f64, length: f64, pitch| Note {
        part,
        start,
        end: start + length,
        pitch,
        velocity: 90,
    };
    let chords: [[u8; 3]; 4] = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]];
    for (bar, chord) in chords.iter().enumerate() {
        for beat in 0..4 {
            for pitch in chord {
                notes.push(note(Part::Piano, 0.5 + (bar * 4 + beat) as f64 * BEAT, 0.45, *pitch));
            }
        }
    }
    for (i, pitch) in [72u8, 74, 76, 77, 79, 77, 76, 74].iter().enumerate() {
        notes.push(note(Part::Melody, 0.5 + i as f64 * 0.9, 0.8, *pitch));
    }
    for (i, pitch) in [48u8, 45, 41, 43].iter().enumerate() {
        notes.push(note(Part::Bridge, 1.3 + i as f64 * 2.0, 1.0, *pitch));
    }
    notes.sort_by(|a, b| a.start.total_cmp(&b.start));
    Score { notes }
}

pub fn write_song(root: &Path) -> Score {
    let dir = root.join("001");
    std::fs::create_dir_all(&dir).unwrap();
    let score = song();
    std::fs::write(dir.join("001.mid"), write_midi(&score)).unwrap();
    let beats: String = (0..16)
        .map(|i| format!("{} {} {}\n", 0.5 + i as f64 * BEAT, i % 2 == 0, i % 4 == 0))
        .collect();
    std::fs::write(dir.join("beat_midi.txt"), beats.replace("true", "1.0").replace("false", "0.0"))
        .unwrap();
    std::fs::write(
        dir.join("chord_midi.txt"),
        "0.5\t2.5\tC:maj\n2.5\t4.5\tA:min\n4.5\t6.5\tF:maj\n6.5\t8.5\tG:maj\n",
    )
    .unwrap();
    std::fs::write(dir.join("key_audio.txt"), "0.5\t8.5\tC:maj\n").unwrap();
    score
}

pub fn options(pop909: &Path, out: &Path, style: StyleChoice, seed: u64) -> RenderOptions {
    assert!(Path::new(SOUNDFONT).is_file(), "{SOUNDFONT} is missing: run `cargo xtask setup`");
    RenderOptions {
        pop909: pop909.to_path_buf(),
        out: out.to_path_buf(),
        soundfonts: vec![SOUNDFONT.into()],
        style,
        variants: 2,
        seed,
        jobs: 2,
        allow_evaluation_soundfont: false,
        mono: false,
        clean: false,
        salience: false,
        synth_tones: 0.0,
        melody: MelodySource::Drawn,
        progress: false,
    }
}
