"""`earshot.library` on a local Dask cluster of two worker processes: every track analysed
once into a result file equal to `earshot.analyze`'s, failures listed and never fatal, and a
second run skipping what is done."""

from __future__ import annotations

import json
import pathlib

import pytest
from dask import distributed

import earshot
from earshot.library import INDEX, analyze_library, main

from conftest import clip, write_wav


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture
def library(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "music"
    for name, seconds in (("a.wav", 3.0), ("albums/one/b.wav", 4.0), ("albums/two/c.wav", 2.5)):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        write_wav(root / name, clip(seconds))
    (root / "albums" / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot audio")
    (root / "albums" / "notes.txt").write_text("not audio, not a track")
    return root


def index_of(out: pathlib.Path) -> dict[str, dict]:
    lines = (out / INDEX).read_text().splitlines()
    return {entry["path"]: entry for entry in map(json.loads, lines)}


def test_a_library_is_analysed_once_with_failures_listed(client, library, tmp_path):
    out = tmp_path / "results"
    summary = analyze_library(library, out, client, tasks=["onsets", "key"])
    tracks = ["a.wav", "albums/one/b.wav", "albums/two/c.wav"]
    assert sorted(summary.analysed) == tracks
    assert list(summary.failed) == ["albums/broken.wav"]
    assert "broken.wav" in summary.failed["albums/broken.wav"]
    for track in tracks:
        result = json.loads((out / track).with_suffix(".json").read_text())
        expected = earshot.analyze(library / track, tasks=["onsets", "key"])
        assert result == expected
    index = index_of(out)
    assert sorted(index) == sorted(tracks + ["albums/broken.wav"])
    assert {index[t]["status"] for t in tracks} == {"ok"}
    assert index["albums/broken.wav"]["status"] == "failed"
    assert len({index[t]["worker"] for t in tracks}) >= 1

    # Again: what is done is skipped, the failed track is tried again (and fails again).
    again = analyze_library(library, out, client, tasks=["onsets", "key"])
    assert (again.analysed, sorted(again.skipped)) == ([], tracks)
    assert list(again.failed) == ["albums/broken.wav"]

    # A lost result is made again, alone.
    (out / "albums/one/b.json").unlink()
    third = analyze_library(library, out, client, tasks=["onsets", "key"])
    assert third.analysed == ["albums/one/b.wav"]
    assert len(index_of(out)) == 4


def test_the_command_line_reports_failures_in_its_exit_status(library, tmp_path, capsys):
    status = main([str(library), str(tmp_path / "out"), "--workers", "2", "--tasks", "onsets"])
    printed = capsys.readouterr().out
    assert status == 1
    assert "3 analysed, 0 already done, 1 failed" in printed
    assert "failed: albums/broken.wav" in printed
