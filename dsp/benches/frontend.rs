//! criterion benches: one second of stereo audio through each frontend config, in 512-frame
//! blocks, at 44.1 kHz (no resampling) and 48 kHz. `cargo bench -p earshot-dsp`.

#[path = "../examples/shared/speed_configs.rs"]
mod speed_configs;

use criterion::{criterion_group, criterion_main, Criterion};
use earshot_dsp::Frontend;

fn one_second(c: &mut Criterion) {
    for rate in [44_100.0f64, 48_000.0] {
        let n = rate as usize;
        let left: Vec<f32> = (0..n).map(|i| (i as f32 * 0.031).sin() * 0.5).collect();
        let right = left.clone();
        for (name, config) in speed_configs::speed_configs() {
            let mut frontend = Frontend::new(&config, rate).expect("valid config");
            c.bench_function(&format!("{name} @ {rate} Hz, 1 s"), |b| {
                b.iter(|| {
                    let mut values = 0usize;
                    for (l, r) in left.chunks(512).zip(right.chunks(512)) {
                        frontend.push(&[l, r], l.len(), |f| values += f.values.len());
                    }
                    values
                })
            });
        }
    }
}

criterion_group!(benches, one_second);
criterion_main!(benches);
