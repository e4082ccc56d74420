"""What the frontend speed scripts share (numpy only): Earshot's own timings, from
`cargo run --release -p earshot-dsp --example frontend_speed`, and the same test signal timed
through a reference library's function."""

import json
import subprocess
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SR = 44100


def earshot_seconds_per_second(seconds):
    """{(config name, host rate): CPU seconds per second of audio}, streaming in 512-frame
    blocks, best of 5."""
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "earshot-dsp", "--example", "frontend_speed", str(seconds), "5"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return {(r["config"], r["host_rate"]): r["seconds_per_second"] for r in map(json.loads, out.splitlines())}


def stereo_test_signal(seconds):
    """The signal `frontend_speed` analyses: a sine plus a small sawtooth-like ripple, and its
    reverse as the right channel."""
    i = np.arange(SR * seconds)
    left = (np.sin(i * 0.031) * 0.5 + ((i * 7919) % 101) * 1e-3).astype(np.float32)
    return left, left[::-1].copy()


def reference_seconds_per_second(fn, seconds, repeats=5):
    """Best of `repeats` wall-clock timings of `fn(left, right)` on the test signal, per second
    of audio."""
    left, right = stereo_test_signal(seconds)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn(left, right)
        best = min(best, time.perf_counter() - start)
    return best / seconds
