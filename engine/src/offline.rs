//! Whole signals through the live engine, block by block, so that a file gives exactly what the
//! plug-in would report for it.

use crate::engine::Engine;
use crate::event::Event;

/// Block size a signal is fed in (any size gives the same events).
pub const BLOCK: usize = 4096;

/// Feeds `channels` (audio at the engine's rate) to `engine` from a reset, block by block, then
/// silence as long as the latency lets the last sounds through every task; hands `on_event`
/// every event up to the end of the signal.
pub fn run<S: AsRef<[f32]>>(engine: &mut Engine, channels: &[S], mut on_event: impl FnMut(Event)) {
    let length = channels.iter().map(|c| c.as_ref().len()).max().unwrap_or(0);
    let duration = length as f64 / engine.host_rate();
    let mut keep = |event: Event| {
        if event.time().seconds <= duration {
            on_event(event);
        }
    };
    engine.reset();
    for start in (0..length).step_by(BLOCK) {
        let end = (start + BLOCK).min(length);
        let block: Vec<&[f32]> =
            channels.iter().map(|c| c.as_ref().get(start..end).unwrap_or(&[])).collect();
        engine.push(&block, end - start, &mut keep);
    }
    let tail = vec![0.0f32; engine.latency_samples() + BLOCK];
    engine.push(&[&tail], tail.len(), &mut keep);
}

/// Every event `engine` reports for `channels`, in the order reported.
pub fn events<S: AsRef<[f32]>>(engine: &mut Engine, channels: &[S]) -> Vec<Event> {
    let mut events = Vec::new();
    run(engine, channels, |event| events.push(event));
    events
}
