//! Prints, as JSON lines, the time per `Network::step` of each weight file given, on one
//! thread: the best of several runs of many steps over random frames. `scripts/bench_nn.py`
//! runs this beside PyTorch stepping the same models.
//!
//! `cargo run --release -p earshot-nn --example nn_speed -- [--steps N] FILE.esw…`

use earshot_nn::Network;
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut steps = 20_000usize;
    if let Some(at) = args.iter().position(|a| a == "--steps") {
        steps = args.get(at + 1).and_then(|s| s.parse().ok()).expect("--steps N");
        args.drain(at..at + 2);
    }
    for path in args {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut network = Network::from_bytes(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        let len = network.input_shape().len();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let frames: Vec<f32> = (0..len * 64)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 40) as f32 / (1u64 << 23) as f32 - 1.0
            })
            .collect();
        let mut best = f64::INFINITY;
        let mut checksum = 0.0f32;
        for _ in 0..5 {
            let start = Instant::now();
            for step in 0..steps {
                let frame = &frames[(step % 64) * len..][..len];
                checksum += network.step(frame)[0];
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        std::hint::black_box(checksum);
        let name = std::path::Path::new(&path).file_stem().unwrap().to_string_lossy();
        println!("{{\"model\": \"{name}\", \"ns_per_step\": {:.1}}}", best / steps as f64 * 1e9);
    }
}
