//! `earshot-train dataset render`: renders POP909 songs with labels (see `dataset::render`).

use crate::dataset::render::{self, MelodyChoice, RenderOptions, StyleChoice};
use crate::dataset::splits;
use crate::render::plan::MelodySource;
use crate::render::singer::FestivalVoice;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// Renders POP909 songs to WAV with exact labels beside each file.
    Render(RenderArgs),
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The POP909 folder (song folders 001/ … 850/); default ../shared/data/pop909.
    #[arg(long, value_name = "DIR")]
    pub pop909: Option<PathBuf>,
    /// Songs, e.g. `1-700`, `701-750`, `3,5,9-12`.
    #[arg(long)]
    pub songs: String,
    /// Output folder.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// SoundFont (.sf2) to draw from per render; repeat for several. Default: Debian's
    /// FluidR3_GM and TimGM6mb.
    #[arg(long = "soundfont", value_name = "SF2")]
    pub soundfonts: Vec<PathBuf>,
    /// Arrangement style.
    #[arg(long, value_enum, default_value = "mixed")]
    pub style: StyleChoice,
    /// Renders per song, each with its own draw of the augmentation.
    #[arg(long, default_value_t = 1)]
    pub variants: u32,
    /// Seed of every random choice; the same seed gives the same files.
    #[arg(long, default_value_t = 909)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Allow a SoundFont reserved for independent evaluation (MuseScore General).
    #[arg(long)]
    pub allow_evaluation_soundfont: bool,
    /// Write mono WAV (half the size; the analysis downmixes anyway) instead of stereo.
    #[arg(long)]
    pub mono: bool,
    /// Draw the instruments and mix as usual but leave out the signal augmentation: original
    /// tempo, key and dynamics, no EQ, level changes or added noise (evaluation renders).
    #[arg(long)]
    pub clean: bool,
    /// Also write `STEM.salience.txt`: how audible each labelled onset is in the mix (dB; see
    /// `render::salience`). Renders every part once more on its own, so it takes several times
    /// as long.
    #[arg(long)]
    pub salience: bool,
    /// Play each pitched part, with this probability, by the renderer's own synthesiser voice
    /// (`render::tone`: drawn spectrum, attack and release, from hard cuts to slow fades)
    /// instead of the SoundFont, so that training hears note endings of every shape. 0 (the
    /// default) leaves every render as without the option.
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub synth_tones: f64,
    /// What plays every render's melody. Render the same songs once with `voice` (or `sung`)
    /// and once with `lead`, into two folders, for versions that differ only in the melody's
    /// instrument. The melody labels (`STEM.melody.lab`) say `voice` or `lead`.
    #[arg(long, value_enum, default_value = "drawn")]
    pub melody: MelodyChoice,
    /// festival's voice for `--melody sung` (Debian's festvox-kallpc16k, festvox-kdlpc16k).
    #[arg(long, value_enum, default_value = "kal")]
    pub singer: FestivalVoice,
}

pub fn run(command: &DatasetCommand) -> Result<(), String> {
    match command {
        DatasetCommand::Render(args) => render_command(args),
    }
}

fn render_command(args: &RenderArgs) -> Result<(), String> {
    let pop909 =
        args.pop909.clone().or_else(render::default_pop909).ok_or(
            "no POP909 folder: pass --pop909 DIR (the public POP909 dataset, MIT licence)",
        )?;
    let songs = splits::parse_songs(&args.songs)?;
    if !(0.0..=1.0).contains(&args.synth_tones) {
        return Err(format!("--synth-tones is a probability, 0 to 1, not {}", args.synth_tones));
    }
    if args.variants == 0 {
        return Err("--variants must be at least 1".into());
    }
    let soundfonts = if args.soundfonts.is_empty() {
        render::DEBIAN_SOUNDFONTS.iter().map(PathBuf::from).filter(|p| p.is_file()).collect()
    } else {
        args.soundfonts.clone()
    };
    let options = RenderOptions {
        pop909,
        out: args.out.clone(),
        soundfonts,
        style: args.style,
        variants: args.variants,
        seed: args.seed,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1),
        allow_evaluation_soundfont: args.allow_evaluation_soundfont,
        mono: args.mono,
        clean: args.clean,
        salience: args.salience,
        synth_tones: args.synth_tones,
        melody: match args.melody {
            MelodyChoice::Drawn => MelodySource::Drawn,
            MelodyChoice::Voice => MelodySource::Voice,
            MelodyChoice::Lead => MelodySource::Lead,
            MelodyChoice::Sung => MelodySource::Sung(args.singer),
        },
        progress: true,
    };
    let report = render::render_dataset(&options, &songs)?;
    println!(
        "rendered {} files, {:.1} min of audio, in {:.1} s with {} threads ({:.0}× real time)",
        report.renders,
        report.audio_seconds / 60.0,
        report.wall_seconds,
        options.jobs,
        report.audio_seconds / report.wall_seconds.max(1e-9)
    );
    Ok(())
}
