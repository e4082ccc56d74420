"""Fixtures of the Python package's tests: a short rendered clip, and the `earshot` command
built from the same sources (``EARSHOT_CLI``, else the workspace's debug build)."""

from __future__ import annotations

import os
import pathlib
import wave

import numpy as np
import pytest

RATE = 44_100
ROOT = pathlib.Path(__file__).resolve().parents[2]


def clip(seconds: float = 8.0, rate: int = RATE) -> np.ndarray:
    """Plucked tones at 120 bpm over held triads (C, A minor, F, G, a bar each), mono float32:
    onsets, beats, chords and a key to find."""
    t = np.arange(int(seconds * rate)) / rate
    audio = np.zeros_like(t)
    chords = [(48, 52, 55), (45, 48, 52), (41, 45, 48), (43, 47, 50)]
    for bar in range(int(seconds // 2)):
        for key in chords[bar % 4]:
            start = bar * 2.0
            span = (t >= start) & (t < start + 1.9)
            freq = 440.0 * 2 ** ((key - 69) / 12)
            audio[span] += 0.08 * np.sin(2 * np.pi * freq * (t[span] - start))
        for beat in range(4):
            start = bar * 2.0 + beat * 0.5
            key = chords[bar % 4][beat % 3] + 24
            freq = 440.0 * 2 ** ((key - 69) / 12)
            span = t >= start
            audio[span] += 0.3 * np.sin(2 * np.pi * freq * (t[span] - start)) * np.exp(
                -(t[span] - start) * 8.0
            )
    return audio.astype(np.float32)


def write_wav(path: pathlib.Path, samples: np.ndarray, rate: int = RATE) -> None:
    """16-bit PCM WAV, mono."""
    pcm = np.clip(samples * 32767.0, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


@pytest.fixture(scope="session")
def clip_file(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("audio") / "clip.wav"
    write_wav(path, clip())
    return path


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("EARSHOT_CLI", ROOT / "target" / "debug" / "earshot"))
    if not path.is_file():
        pytest.fail(f"{path} is missing: run the suite with `cargo xtask test`, which builds it")
    return path
