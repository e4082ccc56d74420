//! Input mutation on stable Rust: a seeded loop that damages valid files (bit flips, random and
//! extreme tokens, insertions, deletions, repeated and cut ranges) and checks what a loader
//! makes of them. `EARSHOT_MUTATIONS` sets how many each loader takes (a few thousand by
//! default, so that CI spends seconds); the long run is documented in `docs/bad-input.md`.

use earshot_alloc_guard::allocations_in;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

/// Tokens that have broken parsers: numbers at and past the limits of f64, non-numbers,
/// separators, comments, odd Unicode, chord and key syntax.
const TOKENS: &[&[u8]] = &[
    b"1e308",
    b"-1e308",
    b"1e-320",
    b"-0",
    b"NaN",
    b"inf",
    b"-inf",
    b"99999999999999999999",
    b"4294967296",
    b"-1",
    b"0",
    b"0.0",
    b"1e9",
    b"1e12",
    b"\n",
    b"\r\n",
    b"\t",
    b" ",
    b"#",
    b"\0",
    b"\xff\xfe",
    b"\xe2\x80\x8b",
    b"N",
    b"X",
    b"C:maj",
    b"C:(*3)",
    b"C:maj/b9",
    b"Bb:min7(9,11,13)/b7",
    b"C major",
    b"H:maj",
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"{\"time\":1e308,\"duration\":1e308}",
];

/// What a loader may take for one input: bytes held at once, and time on average.
pub struct Budget {
    pub memory: usize,
    pub time_per_input: Duration,
}

/// What a loader gave for one input.
pub enum Outcome {
    Accepted,
    Refused,
}

/// How many mutations each loader takes: `EARSHOT_MUTATIONS`, or `default`.
pub fn rounds(default: usize) -> usize {
    std::env::var("EARSHOT_MUTATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// A damaged copy of `seed`: one to four changes, aimed at the first `header` bytes half the
/// time (where formats keep their sizes and counts).
pub fn mutate(rng: &mut SmallRng, seed: &[u8], header: usize) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let span = if rng.random_bool(0.5) { header.min(bytes.len()) } else { bytes.len() };
        let at = if span == 0 { 0 } else { rng.random_range(0..span) };
        match rng.random_range(0..7) {
            0 if !bytes.is_empty() => {
                let last = bytes.len() - 1;
                bytes[at.min(last)] ^= 1 << rng.random_range(0..8);
            }
            1 if !bytes.is_empty() => {
                let last = bytes.len() - 1;
                bytes[at.min(last)] = rng.random();
            }
            2 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                let end = (at + rng.random_range(1..8)).min(bytes.len());
                bytes.splice(at..end, token.iter().copied());
            }
            4 => {
                let end = (at + rng.random_range(1..64)).min(bytes.len());
                bytes.drain(at..end);
            }
            5 => {
                let end = (at + rng.random_range(1..256)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                for _ in 0..rng.random_range(1..4) {
                    bytes.splice(at..at, copy.iter().copied());
                }
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// Saves an input that failed under `target/mutation-failures/` for reproduction; gives its
/// path and how it reads as text.
fn keep(name: &str, round: usize, input: &[u8]) -> String {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/mutation-failures");
    let path = folder.join(format!("{}-{round}", name.replace(' ', "-")));
    let saved = std::fs::create_dir_all(&folder).and_then(|_| std::fs::write(&path, input));
    let place = if saved.is_ok() { path.display().to_string() } else { "(not saved)".into() };
    format!("{place}: {:?}", String::from_utf8_lossy(&input[..input.len().min(2000)]))
}

/// Writes `count` mutations of the seeds to a temporary file in turn and hands each to `load`,
/// which must return without panicking and within `budget`. Returns (accepted, refused).
pub fn run(
    name: &str,
    seeds: &[Vec<u8>],
    header: usize,
    count: usize,
    budget: Budget,
    mut load: impl FnMut(&Path) -> Outcome,
) -> (usize, usize) {
    let folder = tempfile::TempDir::new().unwrap();
    let file = folder.path().join("mutated");
    let mut rng = SmallRng::seed_from_u64(0x5eed ^ name.len() as u64);
    let (mut accepted, mut refused) = (0, 0);
    let (mut total, mut slowest) = (Duration::ZERO, Duration::ZERO);
    for round in 0..count {
        let input = mutate(&mut rng, &seeds[round % seeds.len()], header);
        std::fs::write(&file, &input).unwrap();
        let began = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| allocations_in(|| load(&file))));
        total += began.elapsed();
        slowest = slowest.max(began.elapsed());
        let Ok((outcome, allocations)) = result else {
            panic!("{name}: round {round} panicked on {}", keep(name, round, &input));
        };
        assert!(
            allocations.peak <= budget.memory,
            "{name}: round {round} held {} bytes at once on {}",
            allocations.peak,
            keep(name, round, &input)
        );
        match outcome {
            Outcome::Accepted => accepted += 1,
            Outcome::Refused => refused += 1,
        }
    }
    let average = total / count.max(1) as u32;
    assert!(average <= budget.time_per_input, "{name}: {average:?} per input on average");
    println!(
        "{name}: {count} mutated inputs, {accepted} accepted, {refused} refused, none panicked; \
         {average:?} on average, {slowest:?} at most"
    );
    (accepted, refused)
}
