//! Renders POP909 songs in parallel: each (song, variant) gets its own seeded plan, SoundFont and
//! style, so a render is the same for the same seed whatever the thread count.

use crate::render::arrange::SongLabels;
use crate::render::plan::{MelodySource, RenderPlan, Style};
use crate::render::{score, song};
use earshot_io::annotations::pop909;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use rustysynth::SoundFont;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Which arrangement each render gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StyleChoice {
    /// POP909's piano arrangement with its melody.
    AsWritten,
    /// Other instruments, bass and drums.
    Band,
    /// Either, drawn per render.
    Mixed,
}

/// What plays each render's melody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MelodyChoice {
    /// As drawn: a voice patch 60 % of the time, else a lead instrument.
    Drawn,
    /// A voice patch (choir aahs, voice oohs, synth voice, voice lead).
    Voice,
    /// A lead instrument (violin, trumpet, saxophones, oboe, clarinet, flute, synth leads,
    /// harmonica).
    Lead,
    /// festival's singing voice, with words (`--singer`).
    Sung,
}

/// Where the SoundFonts the Debian packages install live.
pub const DEBIAN_SOUNDFONTS: [&str; 2] =
    ["/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf2/TimGM6mb.sf2"];

#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub pop909: PathBuf,
    pub out: PathBuf,
    pub soundfonts: Vec<PathBuf>,
    pub style: StyleChoice,
    pub variants: u32,
    pub seed: u64,
    pub jobs: usize,
    /// Permit SoundFonts reserved for the project's independent evaluation (MuseScore General).
    pub allow_evaluation_soundfont: bool,
    /// Write mono WAV (half the size) instead of stereo.
    pub mono: bool,
    /// Leave out the signal augmentation (see [`RenderPlan::without_augmentation`]).
    pub clean: bool,
    /// Also measure and write each onset's salience (see [`crate::render::salience`]).
    pub salience: bool,
    /// The probability that the renderer's own voice plays a pitched part (see
    /// [`RenderPlan::with_synth_tones`]); 0 leaves the plans as drawn.
    pub synth_tones: f64,
    /// What plays the melody (see [`RenderPlan::with_melody`]).
    pub melody: MelodySource,
    pub progress: bool,
}

/// What a dataset render produced.
#[derive(Debug, Clone, Copy)]
pub struct RenderReport {
    pub renders: usize,
    pub audio_seconds: f64,
    pub wall_seconds: f64,
}

fn load_soundfonts(
    paths: &[PathBuf],
    allow_evaluation: bool,
) -> Result<Vec<(String, Arc<SoundFont>)>, String> {
    if paths.is_empty() {
        return Err("no SoundFont given (install fluid-soundfont-gm / timgm6mb-soundfont, or pass --soundfont)".into());
    }
    paths
        .iter()
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.to_ascii_lowercase().contains("musescore") && !allow_evaluation {
                return Err(format!(
                    "{name} is kept for the project's independent evaluation: do not train or validate with it"
                ));
            }
            let mut file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let soundfont = SoundFont::new(&mut file).map_err(|e| format!("{}: not a usable .sf2: {e:?}", path.display()))?;
            Ok((name, Arc::new(soundfont)))
        })
        .collect()
}

/// The stem of a render's files.
pub fn stem(song: u32, variant: u32, variants: u32) -> String {
    if variants > 1 {
        format!("{song:03}-v{variant}")
    } else {
        format!("{song:03}")
    }
}

fn render_one(
    options: &RenderOptions,
    soundfonts: &[(String, Arc<SoundFont>)],
    song_id: u32,
    variant: u32,
) -> Result<f64, String> {
    let song = pop909::read_song(&options.pop909, song_id).map_err(|e| e.to_string())?;
    let bytes = std::fs::read(&song.midi).map_err(|e| format!("{}: {e}", song.midi.display()))?;
    let notes = score::parse_midi(&bytes).map_err(|e| format!("{}: {e}", song.midi.display()))?;
    let mut rng = SmallRng::seed_from_u64(options.seed ^ ((song_id as u64) << 20) ^ variant as u64);
    let (font_name, font) = &soundfonts[rng.random_range(0..soundfonts.len())];
    let style = match options.style {
        StyleChoice::AsWritten => Style::AsWritten,
        StyleChoice::Band => Style::Band,
        StyleChoice::Mixed if rng.random_bool(0.5) => Style::AsWritten,
        StyleChoice::Mixed => Style::Band,
    };
    let duration = notes.notes.iter().map(|n| n.end).fold(0.0, f64::max);
    let plan = RenderPlan::draw(song_id, variant, options.seed, font_name, style, duration);
    let plan = if options.clean { plan.without_augmentation() } else { plan };
    let plan =
        if options.synth_tones > 0.0 { plan.with_synth_tones(options.synth_tones) } else { plan };
    let plan = plan.with_melody(options.melody);
    let labels = SongLabels { beats: song.beats, chords: song.chords, key: song.key };
    let rendered = song::render(&notes, &labels, plan, font, options.salience)
        .map_err(|e| format!("song {song_id:03}: {e}"))?;
    rendered.write(&options.out, &stem(song_id, variant, options.variants), options.mono)?;
    Ok(rendered.audio.duration())
}

/// Renders every song in `songs` `options.variants` times into `options.out`.
pub fn render_dataset(options: &RenderOptions, songs: &[u32]) -> Result<RenderReport, String> {
    for id in songs {
        let midi = options.pop909.join(format!("{id:03}/{id:03}.mid"));
        if !midi.is_file() {
            return Err(format!("song {id:03}: {} does not exist", midi.display()));
        }
    }
    std::fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let soundfonts = load_soundfonts(&options.soundfonts, options.allow_evaluation_soundfont)?;
    let jobs: Vec<(u32, u32)> =
        songs.iter().flat_map(|s| (0..options.variants).map(move |v| (*s, v))).collect();
    let bar =
        if options.progress { ProgressBar::new(jobs.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} renders, eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let durations: Result<Vec<f64>, String> = pool.install(|| {
        jobs.par_iter()
            .map(|(song, variant)| {
                let seconds = render_one(options, &soundfonts, *song, *variant);
                bar.inc(1);
                seconds
            })
            .collect()
    });
    bar.finish();
    let durations = durations?;
    Ok(RenderReport {
        renders: durations.len(),
        audio_seconds: durations.iter().sum(),
        wall_seconds: start.elapsed().as_secs_f64(),
    })
}

/// The POP909 folder to use when none is given: `../shared/data/pop909` if it exists.
pub fn default_pop909() -> Option<PathBuf> {
    let candidate = Path::new("../shared/data/pop909");
    candidate.is_dir().then(|| candidate.to_path_buf())
}
