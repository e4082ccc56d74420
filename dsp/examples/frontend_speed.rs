//! Prints, as JSON lines, how long the frontend takes per second of audio for each config in
//! `speed_configs.rs`, at 44.1 kHz and at 48 kHz (resampled). `scripts/bench_dsp.py` runs this
//! beside librosa computing the same features.
//!
//! `cargo run --release -p earshot-dsp --example frontend_speed [SECONDS] [REPEATS]`

#[path = "shared/speed_configs.rs"]
mod speed_configs;

use earshot_dsp::Frontend;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let seconds = args.next().flatten().unwrap_or(10);
    let repeats = args.next().flatten().unwrap_or(5);
    for rate in [44_100.0f64, 48_000.0] {
        let n = (rate as usize) * seconds;
        let left: Vec<f32> = (0..n)
            .map(|i| (i as f32 * 0.031).sin() * 0.5 + ((i * 7919) % 101) as f32 * 1e-3)
            .collect();
        let right: Vec<f32> = left.iter().rev().copied().collect();
        for (name, config) in speed_configs::speed_configs() {
            let mut best = f64::INFINITY;
            let mut frames = 0;
            for _ in 0..repeats {
                let mut frontend = Frontend::new(&config, rate).expect("valid config");
                let start = Instant::now();
                // 512-frame blocks, as a host would send them.
                for (l, r) in left.chunks(512).zip(right.chunks(512)) {
                    frontend.push(&[l, r], l.len(), |f| frames += f.values.len());
                }
                best = best.min(start.elapsed().as_secs_f64());
            }
            std::hint::black_box(frames);
            println!(
                "{{\"config\": \"{name}\", \"host_rate\": {rate}, \"seconds_per_second\": {:.6}}}",
                best / seconds as f64
            );
        }
    }
}
