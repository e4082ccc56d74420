"""`earshot.analyze` gives what `earshot analyze` gives for the same file."""

from __future__ import annotations

import json
import pathlib
import subprocess
import threading
import time
import wave

import numpy as np
import pytest

import earshot

from conftest import RATE, clip, write_wav


def cli_json(cli: pathlib.Path, path: pathlib.Path, out: pathlib.Path, *options: str) -> dict:
    subprocess.run(
        [str(cli), "analyze", str(path), "--format", "json", "--out", str(out), *options],
        check=True,
        capture_output=True,
    )
    return json.loads((out / (path.stem + ".json")).read_text())


def read_pcm16(path: pathlib.Path) -> np.ndarray:
    with wave.open(str(path)) as audio:
        frames = audio.readframes(audio.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def test_a_file_gives_what_the_command_gives(cli, clip_file, tmp_path):
    expected = cli_json(cli, clip_file, tmp_path)
    result = earshot.analyze(clip_file)
    assert result == expected
    tasks = result["tasks"]
    assert set(tasks) == set(earshot.TASKS)
    assert len(tasks["onsets"]["onsets"]) >= 10
    assert len(tasks["beats"]["beats"]["beats"]) >= 8


def test_settings_and_tasks_reach_the_engine_as_the_command_s_options(cli, clip_file, tmp_path):
    options = ["--tasks", "onsets,chords", "--sensitivity", "0.8", "--steadiness", "0.2"]
    expected = cli_json(cli, clip_file, tmp_path, *options)
    result = earshot.analyze(clip_file, tasks=["onsets", "chords"], sensitivity=0.8, steadiness=0.2)
    assert result == expected
    assert set(result["tasks"]) == {"onsets", "chords"}


def test_an_array_gives_what_its_file_gives(clip_file):
    samples = read_pcm16(clip_file)
    from_file = earshot.analyze(clip_file)
    for array in (samples, samples[np.newaxis, :], np.stack([samples, samples])):
        from_array = earshot.analyze(array, sample_rate=RATE, name=str(clip_file))
        assert from_array == from_file


def test_activations_are_the_command_s_as_arrays(cli, clip_file, tmp_path):
    subprocess.run(
        [str(cli), "analyze", str(clip_file), "--format", "activations", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    result = earshot.analyze(clip_file, tasks=["onsets", "voice"], activations=True)
    for task in ("onsets", "voice"):
        times, values = result["activations"][task]
        assert times.dtype == np.float64 and values.dtype == np.float32
        rows = (tmp_path / f"clip.{task}.activations.txt").read_text().split("\n")[:-1]
        expected_times = np.array([float(row.split()[0]) for row in rows])
        expected_values = np.array([float(row.split()[1]) for row in rows], dtype=np.float32)
        assert np.array_equal(np.round(times, 3), expected_times)
        assert np.array_equal(values, expected_values)


def test_the_engine_runs_without_the_gil():
    """Another Python thread keeps running while a long signal is analysed."""
    samples = np.tile(clip(), 8)
    done = threading.Event()
    ticks = 0

    def analyse() -> None:
        earshot.analyze(samples, sample_rate=RATE, tasks=["onsets"])
        done.set()

    worker = threading.Thread(target=analyse)
    started = time.perf_counter()
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.perf_counter() - started
    # Holding the GIL would keep this thread from running at all until the analysis ended.
    assert elapsed > 0.05 and ticks >= elapsed * 100, (ticks, elapsed)


def test_bad_input_is_refused_with_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown task"):
        earshot.analyze(np.zeros(100), sample_rate=RATE, tasks=["tempo"])
    with pytest.raises(ValueError, match="sample_rate is required"):
        earshot.analyze(np.zeros(100))
    with pytest.raises(ValueError, match="sensitivity 2 is not between 0 and 1"):
        earshot.analyze(np.zeros(100), sample_rate=RATE, sensitivity=2)
    with pytest.raises(ValueError, match="shape"):
        earshot.analyze(np.zeros((2, 3, 4)), sample_rate=RATE)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot audio")
    with pytest.raises(OSError, match="broken.wav"):
        earshot.analyze(broken)
    with pytest.raises(OSError, match="missing.wav"):
        earshot.analyze(tmp_path / "missing.wav")


def test_non_finite_samples_are_analysed_as_silence():
    samples = clip(2.0)
    samples[1000:2000] = np.nan
    samples[5000] = np.inf
    clean = samples.copy()
    clean[~np.isfinite(clean)] = 0.0
    dirty = earshot.analyze(samples, sample_rate=RATE, tasks=["onsets"])
    assert dirty == earshot.analyze(clean, sample_rate=RATE, tasks=["onsets"])
