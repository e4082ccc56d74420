"""The streaming `earshot.Engine`: any block size gives the whole-file analysis' events."""

from __future__ import annotations

import numpy as np
import pytest

import earshot

from conftest import RATE, clip


def stream(engine: earshot.Engine, samples: np.ndarray, seed: int) -> list[dict]:
    """Pushes `samples` in random blocks of 1 to 4096 frames, then the latency's silence."""
    rng = np.random.default_rng(seed)
    tail = np.zeros(engine.latency + 4096, dtype=np.float32)
    signal = np.concatenate([samples, tail])
    events, start = [], 0
    while start < len(signal):
        frames = int(rng.integers(1, 4097))
        events += engine.push(signal[start : start + frames])
        start += frames
    return events


def test_streamed_onsets_are_the_whole_file_s_for_any_blocks():
    samples = clip()
    expected = earshot.analyze(samples, sample_rate=RATE, tasks=["onsets"])["tasks"]["onsets"]
    duration = len(samples) / RATE
    for seed in (1, 2):
        engine = earshot.Engine(RATE, ["onsets"])
        onsets = [
            {"time": round(e["time"], 3), "strength": round(e["strength"], 3)}
            for e in stream(engine, samples, seed)
            if e["kind"] == "onset" and e["time"] <= duration
        ]
        assert onsets == expected["onsets"]


def test_events_carry_their_task_time_and_fields():
    engine = earshot.Engine(48_000, ["chords", "beats"])
    samples = clip(8.0, 48_000)
    events = stream(engine, samples, 3)
    kinds = {e["kind"] for e in events}
    assert {"chord", "beat"} <= kinds
    for event in events:
        assert event["task"] in ("chords", "beats")
        # Activations describe the silence before the input too: negative times, sample 0.
        assert event["sample"] == pytest.approx(max(event["time"], 0) * 48_000, abs=1)
    chords = [e for e in events if e["kind"] == "chord"]
    assert all(isinstance(c["chord"], str) and 0 <= c["confidence"] <= 1 for c in chords)


def test_a_reset_starts_again_at_time_zero():
    engine = earshot.Engine(RATE, ["onsets"])
    samples = clip(3.0)
    first = stream(engine, samples, 4)
    engine.reset()
    again = stream(engine, samples, 5)
    assert [e for e in first if e["kind"] == "onset"] == [e for e in again if e["kind"] == "onset"]


def test_bad_blocks_and_settings_are_refused():
    with pytest.raises(ValueError, match="not a rate"):
        earshot.Engine(0)
    with pytest.raises(ValueError, match="key_window 1 is not between"):
        earshot.Engine(RATE, key_window=1)
    engine = earshot.Engine(RATE, ["onsets"])
    engine.push(np.zeros((2, 64)))
    with pytest.raises(ValueError, match="channels"):
        engine.push(np.zeros((3, 64)))
