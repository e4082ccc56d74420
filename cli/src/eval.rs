//! `earshot eval`: scores every estimate file against the reference file of the same name (any
//! extension; `.jams` files are read as JAMS), prints a table per file with the mean, or JSON.
//! A folder of renders (`earshot dataset render`) serves as references as it is: of its files,
//! only the task's labels (`SONG.onsets.txt`, …) are read.

use clap::{Args, ValueEnum};
use earshot_io::annotations::events::{self, Event};
use earshot_io::annotations::key::{self, Key};
use earshot_io::annotations::segments::{self, Segment};
use earshot_io::annotations::suffix;
use earshot_io::annotations::{jams, salience, AnnotationError};
use earshot_io::metrics::{beat, chord, onset, segments as activity};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Task {
    /// Onset lists: F-measure, precision, recall (±50 ms).
    Onsets,
    /// Beat lists: F-measure, downbeat F-measure (of the beats whose second column is 1; 0 for a
    /// list without places in the bar), Cemgil, P-score, CMLc/CMLt/AMLc/AMLt.
    Beats,
    /// Chord `.lab` files: weighted chord symbol recall and segmentation.
    Chords,
    /// Key files: mir_eval's weighted score.
    Key,
    /// Vocal-activity `.lab` files: frame accuracy, precision, recall, F-measure. Segments
    /// labelled `sing` or `voice` are sung; any other label (`nosing`, a render's `lead`) is not.
    Voice,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// What the files annotate.
    #[arg(long, value_enum)]
    pub task: Task,
    /// Folder of reference annotations, or of renders (only the task's labels are read).
    #[arg(long = "ref", value_name = "DIR")]
    pub reference: PathBuf,
    /// Folder of estimated annotations (files named as the references).
    #[arg(long = "est", value_name = "DIR")]
    pub estimated: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Onsets only: a folder of `SONG.salience.txt` files (`earshot dataset render
    /// --salience`: each reference onset's time and salience in dB; the reference file is
    /// `SONG.onsets.txt` or `SONG.txt`), for `--min-salience`.
    #[arg(long, value_name = "DIR", requires = "min_salience")]
    pub salience: Option<PathBuf>,
    /// Onsets only: reference onsets less salient than this many dB are don't-care — neither
    /// missed when not found nor false alarms when found.
    #[arg(long, value_name = "DB", requires = "salience", allow_negative_numbers = true)]
    pub min_salience: Option<f64>,
    /// Onsets only: reference onsets whose second column is this kind are don't-care (renders
    /// label `slow` the onsets whose notes all start slowly: strings, pads). May be repeated.
    #[arg(long, value_name = "KIND")]
    pub dont_care_kind: Vec<String>,
}

impl Task {
    /// The ending of this task's labels beside a render (`SONG.onsets.txt`, …).
    fn render_suffix(self) -> &'static str {
        match self {
            Task::Onsets => suffix::ONSETS,
            Task::Beats => suffix::BEATS,
            Task::Chords => suffix::CHORDS,
            Task::Key => suffix::KEY,
            Task::Voice => suffix::MELODY,
        }
    }

    /// The ending of the estimates `earshot analyze` writes for this task, where it differs
    /// from the render's labels (a render's melody phrases against Earshot's `SONG.voice.lab`).
    fn estimate_suffix(self) -> &'static str {
        match self {
            Task::Voice => suffix::VOICE,
            _ => self.render_suffix(),
        }
    }
}

/// Which reference onsets are don't-care.
#[derive(Debug, Clone, Copy)]
struct DontCare<'a> {
    /// The salience folder and the threshold below which onsets are ignored.
    salience: Option<(&'a Path, f64)>,
    /// Labelled kinds to ignore.
    kinds: &'a [String],
}

/// One file's scores, in the task's column order.
type Scores = Vec<(&'static str, f64)>;

pub fn run(args: &EvalArgs) -> Result<(), String> {
    if args.salience.is_some() && args.task != Task::Onsets {
        return Err("--salience and --min-salience apply to --task onsets only".into());
    }
    if !args.dont_care_kind.is_empty() && args.task != Task::Onsets {
        return Err("--dont-care-kind applies to --task onsets only".into());
    }
    if let Some(min) = args.min_salience.filter(|m| !m.is_finite()) {
        return Err(format!("--min-salience must be a finite number of dB, not {min}"));
    }
    let dont_care = DontCare {
        salience: args.salience.as_deref().zip(args.min_salience),
        kinds: &args.dont_care_kind,
    };
    let (pairs, unmatched) = pair_files(&args.reference, &args.estimated, args.task)?;
    if pairs.is_empty() {
        return Err(format!("no annotation files in {}", args.reference.display()));
    }
    for estimate in &unmatched {
        eprintln!(
            "earshot: warning: {}: no reference of that name, not scored",
            estimate.display()
        );
    }
    let mut rows: Vec<(String, Scores, bool)> = Vec::new();
    let mut failures: Vec<(String, String)> = Vec::new();
    for (name, reference, estimate) in &pairs {
        match score(args.task, reference, estimate.as_deref(), dont_care) {
            Ok(scores) => rows.push((name.clone(), scores, estimate.is_none())),
            Err(error) => failures.push((name.clone(), error.to_string())),
        }
    }
    let mean = mean_scores(&rows);
    if args.json {
        print_json(&rows, &mean, &failures);
    } else if !rows.is_empty() {
        print_table(&rows, &mean);
    }
    for (_, error) in &failures {
        eprintln!("earshot: {error}");
    }
    match (failures.len(), rows.len()) {
        (0, _) => Ok(()),
        (failed, 0) => Err(format!("no file could be scored ({failed} listed above)")),
        (failed, scored) => Err(format!(
            "{failed} of {} files could not be scored (listed above); the mean is of the other \
             {scored}",
            pairs.len()
        )),
    }
}

/// A reference file's song name, path, and the estimate paired with it (if one was found).
type Pairing = (String, PathBuf, Option<PathBuf>);

/// Reference files (sorted by name) with the estimate of the same stem, if there is one, and
/// the estimates that match no reference. A folder holding files that end in the task's render
/// suffix is a render folder: only those are references, named by their song (`741` for
/// `741.onsets.txt`), whose estimate may also be `SONG.EXT` or what `earshot analyze` writes
/// (`741.voice.lab` for `741.melody.lab`).
fn pair_files(
    reference: &Path,
    estimated: &Path,
    task: Task,
) -> Result<(Vec<Pairing>, Vec<PathBuf>), String> {
    let list = |dir: &Path| -> Result<Vec<PathBuf>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        Ok(files)
    };
    let stem =
        |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let song = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str()?.strip_suffix(task.render_suffix()).map(str::to_string))
    };
    let estimates = list(estimated)?;
    let mut references = list(reference)?;
    if references.iter().any(|r| song(r).is_some()) {
        references.retain(|r| song(r).is_some());
    }
    let mut by_stem: BTreeMap<String, Vec<&PathBuf>> = BTreeMap::new();
    for estimate in &estimates {
        by_stem.entry(stem(estimate)).or_default().push(estimate);
    }
    let mut matched = BTreeSet::new();
    let pairs: Vec<_> = references
        .into_iter()
        .map(|reference| {
            let name = stem(&reference);
            let song_name = song(&reference);
            let named = |n: &str| by_stem.get(n).map(Vec::as_slice).unwrap_or_default();
            let same_extension =
                named(&name).iter().find(|e| e.extension() == reference.extension());
            let estimate = same_extension
                .or_else(|| named(&name).first())
                .or_else(|| song_name.as_deref().and_then(|song| named(song).first()))
                .or_else(|| {
                    let analyzed = format!("{}{}", song_name.as_deref()?, task.estimate_suffix());
                    let analyzed = Path::new(&analyzed);
                    named(&stem(analyzed)).iter().find(|e| e.file_name() == analyzed.file_name())
                })
                .map(|e| PathBuf::clone(e));
            if let Some(estimate) = &estimate {
                matched.insert(estimate.clone());
            }
            (song_name.unwrap_or(name), reference, estimate)
        })
        .collect();
    let unmatched = estimates.iter().filter(|e| !matched.contains(*e)).cloned().collect();
    Ok((pairs, unmatched))
}

fn is_jams(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jams"))
}

fn times(
    path: Option<&Path>,
    from_jams: fn(&jams::Jams) -> Vec<f64>,
) -> Result<Vec<f64>, AnnotationError> {
    Ok(labelled_events(path, from_jams)?.into_iter().map(|e| e.time).collect())
}

/// The times of the beats whose second column says they start a bar (`1`); none for a list
/// without places in the bar.
fn downbeats(beats: &[Event]) -> Vec<f64> {
    beats.iter().filter(|e| e.value.as_deref() == Some("1")).map(|e| e.time).collect()
}

/// Events with their second column (none from JAMS).
fn labelled_events(
    path: Option<&Path>,
    from_jams: fn(&jams::Jams) -> Vec<f64>,
) -> Result<Vec<Event>, AnnotationError> {
    match path {
        None => Ok(Vec::new()),
        Some(p) if is_jams(p) => Ok(from_jams(&jams::read(p)?)
            .into_iter()
            .map(|time| Event { time, value: None })
            .collect()),
        Some(p) => events::read(p),
    }
}

fn labelled_segments(path: Option<&Path>) -> Result<Vec<Segment>, AnnotationError> {
    match path {
        None => Ok(Vec::new()),
        Some(p) if is_jams(p) => Ok(jams::read(p)?.chords()),
        Some(p) => segments::read(p),
    }
}

/// Chord segments, every label and overlap checked where it is read, so that a bad one is
/// named with its own file (and line, in a `.lab`).
fn chord_segments(path: Option<&Path>) -> Result<Vec<Segment>, AnnotationError> {
    match path {
        None => Ok(Vec::new()),
        Some(p) if is_jams(p) => jams::read(p)?
            .checked_chords()
            .map_err(|message| AnnotationError { path: p.to_path_buf(), line: 0, message }),
        Some(p) => segments::read_chords(p),
    }
}

fn read_key(path: Option<&Path>) -> Result<Key, AnnotationError> {
    let unknown = || Key::parse("X").expect("X parses");
    match path {
        None => Ok(unknown()),
        Some(p) if is_jams(p) => match jams::read(p)?.key() {
            None => Ok(unknown()),
            Some(key) => {
                key.map_err(|message| AnnotationError { path: p.to_path_buf(), line: 0, message })
            }
        },
        Some(p) => key::read(p),
    }
}

/// Splits reference onsets into the times to score and the sorted don't-care times: those less
/// salient than asked, from `SONG.salience.txt` in the salience folder for a reference
/// `SONG.onsets.txt` (or `SONG.txt`), and those of an ignored kind.
fn split_dont_care(
    reference: &Path,
    onsets: Vec<Event>,
    dont_care: DontCare,
) -> Result<(Vec<f64>, Vec<f64>), AnnotationError> {
    let (kept, mut ignored) = match dont_care.salience {
        Some((folder, min_salience)) => {
            let name = reference.file_name().unwrap_or_default().to_string_lossy();
            let song = name.split('.').next().unwrap_or_default();
            let path = folder.join(format!("{song}.salience.txt"));
            salience::split_by_salience(onsets, |e| e.time, reference, &path, min_salience)?
        }
        None => (onsets, Vec::new()),
    };
    let (scored, of_ignored_kind): (Vec<Event>, Vec<Event>) = kept
        .into_iter()
        .partition(|e| !e.value.as_ref().is_some_and(|kind| dont_care.kinds.contains(kind)));
    ignored.extend(of_ignored_kind);
    let mut ignored: Vec<f64> = ignored.into_iter().map(|e| e.time).collect();
    ignored.sort_by(f64::total_cmp);
    Ok((scored.into_iter().map(|e| e.time).collect(), ignored))
}

/// Scores one file; a missing estimate counts as an empty one.
fn score(
    task: Task,
    reference: &Path,
    estimate: Option<&Path>,
    dont_care: DontCare,
) -> Result<Scores, Box<dyn std::error::Error>> {
    Ok(match task {
        Task::Onsets => {
            let onsets = labelled_events(Some(reference), jams::Jams::onsets)?;
            let (scored, ignored) = split_dont_care(reference, onsets, dont_care)?;
            let estimated = times(estimate, jams::Jams::onsets)?;
            let s = onset::evaluate_ignoring(&scored, &ignored, &estimated, onset::WINDOW);
            vec![("F", s.f_measure), ("P", s.precision), ("R", s.recall)]
        }
        Task::Beats => {
            let reference = labelled_events(Some(reference), jams::Jams::beats)?;
            let estimate = labelled_events(estimate, jams::Jams::beats)?;
            let all = |events: &[Event]| events.iter().map(|e| e.time).collect::<Vec<_>>();
            let s = beat::evaluate(&all(&reference), &all(&estimate));
            let downbeats = beat::evaluate(&downbeats(&reference), &downbeats(&estimate));
            vec![
                ("F", s.f_measure),
                ("DownbeatF", downbeats.f_measure),
                ("Cemgil", s.cemgil),
                ("CemgilBest", s.cemgil_best_metric_level),
                ("P-score", s.p_score),
                ("CMLc", s.cml_c),
                ("CMLt", s.cml_t),
                ("AMLc", s.aml_c),
                ("AMLt", s.aml_t),
            ]
        }
        Task::Chords => {
            let s = chord::evaluate(&chord_segments(Some(reference))?, &chord_segments(estimate)?)
                .map_err(|e| format!("{}: {e}", reference.display()))?;
            vec![
                ("root", s.root),
                ("majmin", s.majmin),
                ("sevenths", s.sevenths),
                ("tetrads", s.tetrads),
                ("overseg", s.overseg),
                ("underseg", s.underseg),
                ("seg", s.seg),
            ]
        }
        Task::Key => vec![(
            "weighted",
            earshot_io::metrics::key::weighted_score(
                &read_key(Some(reference))?,
                &read_key(estimate)?,
            ),
        )],
        Task::Voice => {
            let s = activity::evaluate(
                &labelled_segments(Some(reference))?,
                &labelled_segments(estimate)?,
            );
            vec![("accuracy", s.accuracy), ("P", s.precision), ("R", s.recall), ("F", s.f_measure)]
        }
    })
}

fn mean_scores(rows: &[(String, Scores, bool)]) -> Scores {
    let Some((_, first, _)) = rows.first() else { return Vec::new() };
    first
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            (*name, rows.iter().map(|(_, s, _)| s[i].1).sum::<f64>() / rows.len() as f64)
        })
        .collect()
}

fn print_table(rows: &[(String, Scores, bool)], mean: &Scores) {
    let width = rows.iter().map(|(n, _, _)| n.len()).max().unwrap_or(4).max(4) + 2;
    let mut header = format!("{:width$}", "file");
    for (name, _) in mean {
        header += &format!("{name:>11}");
    }
    println!("{header}");
    let line = |name: &str, scores: &Scores, note: &str| {
        let mut text = format!("{name:width$}");
        for (_, value) in scores {
            text += &format!("{value:>11.4}");
        }
        println!("{text}{note}");
    };
    for (name, scores, missing) in rows {
        line(name, scores, if *missing { "  (no estimate)" } else { "" });
    }
    line(&format!("mean of {}", rows.len()), mean, "");
}

fn print_json(rows: &[(String, Scores, bool)], mean: &Scores, failures: &[(String, String)]) {
    let object = |scores: &Scores| {
        scores.iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<_, _>>()
    };
    let files: Vec<_> = rows
        .iter()
        .map(|(name, scores, missing)| serde_json::json!({"file": name, "missing_estimate": missing, "scores": object(scores)}))
        .collect();
    let failed: Vec<_> = failures
        .iter()
        .map(|(name, error)| serde_json::json!({"file": name, "error": error}))
        .collect();
    let document = serde_json::json!({"files": files, "mean": object(mean), "failed": failed});
    println!("{}", serde_json::to_string_pretty(&document).expect("JSON values serialise"));
}
