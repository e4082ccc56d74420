//! The engine's cost on one thread, as the plug-in runs it: each registered task alone, then all
//! together, with their shipped weights, over 60 s of noisy tones at 44.1 and 48 kHz. Prints the share of a core
//! (seconds of CPU per second of audio, 4096-sample blocks) and the median, 99.9th percentile and
//! worst time per 64-sample block against the block's duration, by the thread's CPU time (the
//! engine's own work) and the worst by the wall clock too (which counts the time a shared machine
//! takes the thread away), with the engine's latency. Goals: at most 2 % of a core, and no
//! 64-sample block over 10 % of its duration.
//!
//! `cargo bench -p earshot-engine --bench engine_cost`

use earshot_engine::{Engine, TaskKind};
use std::time::Instant;

/// The calling thread's CPU time in seconds.
fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid timespec for clock_gettime to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

/// A minute of decaying tones over faint noise, a new tone every 0.25 s.
fn signal(rate: f64) -> Vec<f32> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    (0..(60.0 * rate) as usize)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let noise = (seed >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
            let t = i as f64 / rate;
            let since = t % 0.25;
            let pitch = 220.0 * (1.0 + (t / 0.25).floor() % 5.0 / 4.0);
            let tone = (std::f64::consts::TAU * pitch * t).sin() * (-since / 0.08).exp();
            (0.5 * tone) as f32 + 0.01 * noise
        })
        .collect()
}

fn main() {
    let mut sets: Vec<Vec<TaskKind>> = TaskKind::all().map(|task| vec![task]).collect();
    sets.push(TaskKind::all().collect());
    for tasks in sets {
        println!("tasks: {}", tasks.iter().map(|t| t.name()).collect::<Vec<_>>().join(", "));
        measure(&tasks);
    }
}

/// Prints the cost of `tasks` at 44.1 and 48 kHz.
fn measure(tasks: &[TaskKind]) {
    for rate in [44_100.0, 48_000.0] {
        let audio = signal(rate);
        let mut engine = Engine::with_default_weights(rate, tasks).expect("shipped weights");
        let mut events = 0usize;
        let start = Instant::now();
        for block in audio.chunks(4096) {
            engine.push(&[block], block.len(), |_| events += 1);
        }
        let share = start.elapsed().as_secs_f64() / 60.0;
        let latency = engine.latency_samples();
        engine.reset();
        let (mut cpu, mut wall): (Vec<f64>, Vec<f64>) = audio
            .chunks(64)
            .map(|block| {
                let (start, started) = (thread_cpu_seconds(), Instant::now());
                engine.push(&[block], block.len(), |_| {});
                (thread_cpu_seconds() - start, started.elapsed().as_secs_f64())
            })
            .unzip();
        cpu.sort_by(f64::total_cmp);
        wall.sort_by(f64::total_cmp);
        let budget = 64.0 / rate;
        let at = |q: f64| cpu[((cpu.len() - 1) as f64 * q) as usize];
        let percent = |seconds: f64| 100.0 * seconds / budget;
        let worst_wall = wall[wall.len() - 1];
        println!(
            "{rate} Hz: latency {latency} samples ({:.1} ms); {:.2} % of a core ({:.0}× real time), \
             {events} events; per 64-sample block ({:.0} µs), CPU time: median {:.1} µs ({:.2} %), \
             99.9 % {:.1} µs ({:.1} %), worst {:.1} µs ({:.1} %); worst by the wall clock {:.1} µs \
             ({:.1} %)",
            latency as f64 / rate * 1000.0,
            100.0 * share,
            1.0 / share,
            budget * 1e6,
            at(0.5) * 1e6,
            percent(at(0.5)),
            at(0.999) * 1e6,
            percent(at(0.999)),
            at(1.0) * 1e6,
            percent(at(1.0)),
            worst_wall * 1e6,
            percent(worst_wall),
        );
    }
}
