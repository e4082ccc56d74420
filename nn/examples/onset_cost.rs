//! The onset task's cost on one thread, as the plug-in runs it: the shipped detector (frontend,
//! network, peak picking) over 60 s of noisy tones at 44.1 and 48 kHz. Prints the real-time
//! factor (seconds of CPU per second of audio) with 4096-sample blocks, the median, 99.9th
//! percentile and worst time per 64-sample block, and the detector's latency.
//!
//! `cargo run --release -p earshot-nn --example onset_cost`

use earshot_nn::tasks::onsets::OnsetDetector;
use std::time::Instant;

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
    for rate in [44_100.0, 48_000.0] {
        let audio = signal(rate);
        let mut detector = OnsetDetector::with_default_weights(rate, 0.5).expect("shipped weights");
        let mut onsets = 0usize;
        let start = Instant::now();
        for block in audio.chunks(4096) {
            detector.push(&[block], block.len(), |e| {
                onsets += matches!(e, earshot_nn::tasks::onsets::OnsetEvent::Onset { .. }) as usize
            });
        }
        let rtf = start.elapsed().as_secs_f64() / 60.0;
        let latency = detector.latency_samples();
        detector.reset();
        let mut times: Vec<f64> = audio
            .chunks(64)
            .map(|block| {
                let start = Instant::now();
                detector.push(&[block], block.len(), |_| {});
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize] * 1e6;
        let budget = 64.0 / rate * 1e6;
        println!(
            "{rate} Hz: latency {latency} samples ({:.1} ms); real-time factor {rtf:.4} ({:.0}× faster than real time), {onsets} onsets; \
             per 64-sample block (budget {budget:.0} µs): median {:.1} µs, 99.9 % {:.1} µs, worst {:.1} µs",
            latency as f64 / rate * 1000.0,
            1.0 / rtf,
            at(0.5),
            at(0.999),
            at(1.0),
        );
    }
}
