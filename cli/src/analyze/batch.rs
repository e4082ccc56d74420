//! Many files on every core: a pool of `--jobs` threads, each keeping one engine per sample rate
//! it meets; a progress bar; every result written whole or not at all; a summary at the end.

use super::inputs::Input;
use super::Format;
use earshot_io::audio;
use earshot_io::output::write_atomically;
use earshot_report::{Engines, Plan};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::time::Instant;

/// Analyses every input with `jobs` threads, writing `format`; the error lists the files that
/// failed.
pub fn run(inputs: &[Input], plan: &Plan, format: Format, jobs: usize) -> Result<(), String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| format!("cannot start {jobs} threads: {e}"))?;
    let bar = if inputs.len() > 1 {
        ProgressBar::new(inputs.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{pos}/{len} [{bar:30}] {elapsed} {msg}")
            .expect("valid template"),
    );
    let started = Instant::now();
    // The largest files first, each handed out on its own, so that no core is left with a long
    // file at the end while the other waits.
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    let size = |i: &usize| std::fs::metadata(&inputs[*i].path).map_or(0, |m| m.len());
    order.sort_by_key(|i| std::cmp::Reverse(size(i)));
    let mut results: Vec<(usize, Result<f64, String>)> = pool.install(|| {
        order
            .par_iter()
            .with_max_len(1)
            .map_init(Engines::default, |engines, &index| {
                let input = &inputs[index];
                let result =
                    analyze_file(input, plan, format, engines).map(|(seconds, warning)| {
                        if let Some(warning) = warning {
                            bar.suspend(|| eprintln!("earshot: warning: {warning}"));
                        }
                        seconds
                    });
                if let Err(message) = &result {
                    bar.suspend(|| eprintln!("earshot: {message}"));
                }
                bar.set_message(input.path.display().to_string());
                bar.inc(1);
                (index, result)
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    let results: Vec<Result<f64, String>> = results.into_iter().map(|(_, r)| r).collect();
    bar.finish_and_clear();
    // Summed from +0 (an empty `sum` of floats is −0, printed "-0.0 s").
    let seconds = results.iter().filter_map(|r| r.as_ref().ok()).fold(0.0, |sum, s| sum + s);
    let wall = started.elapsed().as_secs_f64();
    let failed: Vec<String> = inputs
        .iter()
        .zip(&results)
        .filter(|(_, result)| result.is_err())
        .map(|(input, _)| input.path.display().to_string())
        .collect();
    eprintln!(
        "earshot: {} of {} files analysed, {} of audio in {:.1} s ({:.0}× real time, {jobs} {})",
        inputs.len() - failed.len(),
        inputs.len(),
        hours(seconds),
        wall,
        seconds / wall.max(1e-9),
        if jobs == 1 { "job" } else { "jobs" },
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} of {} files failed: {}", failed.len(), inputs.len(), failed.join(", ")))
    }
}

/// An audio duration as a reader wants it: seconds, minutes or hours.
fn hours(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else if seconds < 3600.0 {
        format!("{:.1} min", seconds / 60.0)
    } else {
        format!("{:.2} h", seconds / 3600.0)
    }
}

/// Analyses one file and writes its results; returns its duration in seconds, and a warning
/// when some of its samples were not numbers.
fn analyze_file(
    input: &Input,
    plan: &Plan,
    format: Format,
    engines: &mut Engines,
) -> Result<(f64, Option<String>), String> {
    let name = input.path.display().to_string();
    let signal = audio::read(&input.path).map_err(|e| e.to_string())?;
    let report = engines.analyse(plan, &name, &signal, |task| format.keeps_activations(task))?;
    let warning = (report.non_finite > 0).then(|| {
        let count = report.non_finite;
        format!("{name}: {count} samples are NaN or infinite; they were analysed as silence")
    });
    if let Some(folder) = input.stem.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    for (ending, bytes) in format.files(&report.analysis(plan)) {
        let mut path = input.stem.clone().into_os_string();
        path.push(&ending);
        write_atomically(std::path::Path::new(&path), &bytes)?;
    }
    Ok((report.duration, warning))
}
