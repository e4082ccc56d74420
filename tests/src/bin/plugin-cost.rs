//! The plug-in's cost in the audio thread, measured through a real CLAP host: the release
//! `Earshot.clap` processes 60 s of stereo tones in 64-sample blocks at 44.1 and 48 kHz, with the
//! onset task on and off. Each `process()` call is timed whole (host side included, so the
//! figures are an upper bound), by the wall clock and by the thread's CPU time, which does not
//! count time the thread spent preempted. Prints, per clock, the real-time factor and the
//! median, 99.9th-percentile and worst time per block against the block's real-time budget,
//! where in the signal the worst block came and how many blocks overran.
//!
//! `cargo xtask bundle earshot --release && cargo run --release -p earshot-tests --bin plugin-cost`

use earshot_tests::clap_host::{ClapInstance, HostResult};
use earshot_tests::paths;
use earshot_tests::signals::decaying_tones;
use std::time::Instant;

const BLOCK: usize = 64;
const SECONDS: f64 = 60.0;

/// CPU seconds this thread has run: unlike the wall clock, it stops while the thread waits.
fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid timespec for clock_gettime to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

/// Seconds taken by each 64-sample `process()` call over the whole signal: (wall clock, the
/// thread's CPU time).
fn block_times(rate: f64, onsets: bool) -> HostResult<Vec<(f64, f64)>> {
    let (signal, _) = decaying_tones(1, rate, SECONDS);
    let mut plugin = ClapInstance::load(&paths::bundled_clap())?;
    let id = plugin.param_id("Onsets")?;
    plugin.set_param(id, if onsets { 1.0 } else { 0.0 })?;
    plugin.select_layout(2)?;
    plugin.with_processor(rate, BLOCK as u32, 2, |processor| {
        let (mut left, mut right) = (vec![0.0f32; BLOCK], vec![0.0f32; BLOCK]);
        let (mut out_left, mut out_right) = (vec![0.0f32; BLOCK], vec![0.0f32; BLOCK]);
        signal
            .chunks_exact(BLOCK)
            .map(|block| {
                left.copy_from_slice(block);
                right.copy_from_slice(block);
                let (start, cpu_start) = (Instant::now(), thread_cpu_seconds());
                processor.process(
                    &mut [&mut left, &mut right],
                    &mut [&mut out_left, &mut out_right],
                    &[],
                )?;
                Ok((start.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu_start))
            })
            .collect()
    })?
}

/// One line of figures for per-block times (seconds) by one clock.
fn summary(clock: &str, mut times: Vec<f64>, rate: f64) -> String {
    let rtf = times.iter().sum::<f64>() / (times.len() * BLOCK) as f64 * rate;
    let budget = BLOCK as f64 / rate;
    let over_budget = times.iter().filter(|&&t| t > budget).count();
    let worst_at = times.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i);
    let worst_second = worst_at.unwrap_or(0) as f64 * budget;
    let blocks = times.len();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize] * 1e6;
    format!(
        "  {clock}: real-time factor {rtf:.4}; per block median {:.1} µs, 99.9 % {:.1} µs, \
         worst {:.1} µs (at {worst_second:.2} s); {over_budget} of {blocks} over budget",
        at(0.5),
        at(0.999),
        at(1.0),
    )
}

fn main() {
    for rate in [44_100.0, 48_000.0] {
        for onsets in [true, false] {
            let times = match block_times(rate, onsets) {
                Ok(times) => times,
                Err(message) => {
                    eprintln!("error: {message}");
                    std::process::exit(1);
                }
            };
            let (wall, cpu): (Vec<f64>, Vec<f64>) = times.into_iter().unzip();
            println!(
                "{rate} Hz, onsets {}, 64-sample blocks (budget {:.0} µs):",
                if onsets { "on" } else { "off" },
                BLOCK as f64 / rate * 1e6
            );
            println!("{}", summary("wall clock      ", wall, rate));
            println!("{}", summary("thread CPU time ", cpu, rate));
        }
    }
}
