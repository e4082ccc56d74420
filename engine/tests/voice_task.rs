//! The shipped voice task in the engine: a melody sung by a voice patch and then played by a
//! clarinet over piano chords, through a SoundFont training never used, is singing where the
//! voice sings and not where the clarinet plays (frame accuracy ≥ 0.9); the same for any block
//! size, without allocating; and the weights load with their command.

use earshot_alloc_guard::{allocations_in, CountingAllocator};
use earshot_engine::offline::{vocal_segments, VocalSegment};
use earshot_engine::tasks::voice::DEFAULT_WEIGHTS;
use earshot_engine::{Engine, Event, TaskKind};
use earshot_io::annotations::segments::Segment;
use earshot_io::metrics::segments as activity;
use earshot_test_signals::soundfont::sung_then_played;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const RATE: u32 = 44_100;
/// Seconds sung, then as many played.
const HALF: f64 = 10.0;

/// Every event the engine reports for `audio` in blocks cycling through `blocks`, into `found`
/// (which must have room: a test of allocation counts them).
fn events_into(engine: &mut Engine, audio: &[f32], blocks: &[usize], found: &mut Vec<Event>) {
    engine.reset();
    found.clear();
    let (mut start, mut k) = (0, 0);
    while start < audio.len() {
        let end = (start + blocks[k % blocks.len()]).min(audio.len());
        engine.push(&[&audio[start..end]], end - start, &mut |event| {
            if matches!(event, Event::Voice { .. }) {
                found.push(event);
            }
        });
        (start, k) = (end, k + 1);
    }
}

#[test]
fn a_sung_then_played_melody_is_singing_only_where_sung_at_any_block_size_without_allocating() {
    let audio = sung_then_played(RATE, HALF).unwrap();
    let mut engine = Engine::with_default_weights(RATE as f64, &[TaskKind::Voice]).unwrap();
    let mut found = Vec::with_capacity(100);
    let (_, allocations) = allocations_in(|| events_into(&mut engine, &audio, &[512], &mut found));
    assert_eq!(allocations.count, 0, "push allocated");
    let duration = audio.len() as f64 / RATE as f64;
    let segments: Vec<Segment> = vocal_segments(&found, duration)
        .iter()
        .map(|&VocalSegment { start, end, singing, .. }| Segment {
            start,
            end,
            label: if singing { "sing" } else { "nosing" }.into(),
        })
        .collect();
    let truth = [
        Segment { start: 0.25, end: HALF - 0.3, label: "sing".into() },
        Segment { start: HALF - 0.3, end: duration, label: "nosing".into() },
    ];
    let scores = activity::evaluate(&truth, &segments);
    println!("{segments:?}\n{scores:?}");
    assert!(scores.accuracy >= 0.9, "{scores:?}: {segments:?}");
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let random_blocks: Vec<usize> = (0..64)
        .map(|_| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            1 + (rng % 3000) as usize
        })
        .collect();
    for blocks in [&[1usize][..], &[441], &[4096], &random_blocks] {
        let mut other = Vec::with_capacity(100);
        events_into(&mut engine, &audio, blocks, &mut other);
        assert_eq!(other, found, "blocks {:?}", &blocks[..blocks.len().min(4)]);
    }
}

#[test]
fn the_shipped_weights_load_with_their_command() {
    let spec = earshot_nn::format::read(DEFAULT_WEIGHTS).unwrap();
    assert_eq!(spec.task, "voice");
    let command = spec.metadata.iter().find(|(k, _)| k == "command").map(|(_, v)| v.as_str());
    assert!(command.is_some_and(|c| c.contains("--task voice")), "{command:?}");
    assert!(DEFAULT_WEIGHTS.len() < 1 << 20);
}
