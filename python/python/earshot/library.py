"""Libraries of audio on a Dask cluster: every track of a folder tree analysed on the
cluster's workers, one result file per track and an index of them all.

- Results mirror the tree: ``ROOT/a/b.flac`` gives ``OUT/a/b.json``, what
  :func:`earshot.analyze` returns for it (the ``earshot analyze --format json`` report).
  Each is written whole or not at all.
- ``OUT/index.jsonl`` has a line per track: its path, ``status`` (``ok`` or ``failed``), the
  result's path, the audio's duration, the seconds it took and the worker, or the error.
- Resumable: a track whose result exists is skipped; a failed track is tried again on the
  next run. A track that fails never stops the others.

With ``dask.distributed``::

    from dask.distributed import Client
    from earshot.library import analyze_library

    client = Client("tcp://scheduler:8786")  # or Client(LocalCluster(n_workers=4))
    summary = analyze_library("music/", "results/", client, tasks=["beats", "key"])

or from a shell: ``python -m earshot.library music/ results/ --scheduler tcp://scheduler:8786``.
Every worker needs the ``earshot`` package and read access to ``ROOT`` and write access to
``OUT`` (a shared file system).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pathlib
import socket
import tempfile
import time
from typing import Any, Iterable, Sequence

#: The file endings analysed (those ``earshot analyze`` reads).
AUDIO_ENDINGS = (".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga", ".aif", ".aiff", ".aifc")
INDEX = "index.jsonl"


@dataclasses.dataclass
class Summary:
    """What a run did: tracks analysed now, skipped (done before), and failed (with errors)."""

    analysed: list[str]
    skipped: list[str]
    failed: dict[str, str]


def find_tracks(root: str | os.PathLike[str]) -> list[pathlib.Path]:
    """Every audio file under ``root``, relative to it, in name order."""
    root = pathlib.Path(root)
    return sorted(
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and path.suffix.lower() in AUDIO_ENDINGS
    )


def write_whole(path: pathlib.Path, text: str) -> None:
    """Writes ``text`` to ``path`` through a temporary file renamed over it: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def analyze_track(
    source: str, result: str, tasks: Sequence[str] | None, settings: dict[str, Any]
) -> dict[str, Any]:
    """Runs on a worker: analyses one track and writes its result; returns its index entry
    (an error is reported, never raised)."""
    import earshot

    started = time.perf_counter()
    entry: dict[str, Any] = {"worker": socket.gethostname() + f":{os.getpid()}"}
    try:
        report = earshot.analyze(source, tasks=tasks, **settings)
        write_whole(pathlib.Path(result), json.dumps(report, indent=2) + "\n")
        entry.update(status="ok", duration=report["duration"])
    except Exception as error:  # noqa: BLE001 - a track's failure is data, not a crash
        entry.update(status="failed", error=f"{type(error).__name__}: {error}")
    entry["seconds"] = round(time.perf_counter() - started, 3)
    return entry


def read_index(out: pathlib.Path) -> dict[str, dict[str, Any]]:
    """The index's latest entry per track; unreadable lines (a run cut off) are skipped."""
    entries: dict[str, dict[str, Any]] = {}
    index = out / INDEX
    if index.is_file():
        for line in index.read_text().splitlines():
            try:
                entry = json.loads(line)
                entries[entry["path"]] = entry
            except (ValueError, KeyError, TypeError):
                continue
    return entries


def analyze_library(
    root: str | os.PathLike[str],
    out: str | os.PathLike[str],
    client: Any,
    tasks: Sequence[str] | None = None,
    **settings: Any,
) -> Summary:
    """Analyses every track under ``root`` not yet done into ``out`` on ``client``'s cluster.

    Args:
        root: the folder tree of audio.
        out: where results and ``index.jsonl`` go (created if missing).
        client: a ``dask.distributed.Client``.
        tasks: task names (default: all).
        settings: :func:`earshot.analyze`'s settings (``sensitivity=0.6``, ...).

    Returns:
        The tracks analysed, skipped and failed (with their errors) in this run.
    """
    from dask.distributed import as_completed

    root, out = pathlib.Path(root), pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries = read_index(out)
    summary = Summary(analysed=[], skipped=[], failed={})
    pending: list[tuple[str, pathlib.Path]] = []
    for track in find_tracks(root):
        result = out / track.with_suffix(".json")
        if result.is_file():
            summary.skipped.append(str(track))
        else:
            pending.append((str(track), result))
    futures = {
        client.submit(
            analyze_track,
            str(root / track),
            str(result),
            list(tasks) if tasks is not None else None,
            settings,
            key=f"earshot-{track}-{time.time_ns()}",
            pure=False,
        ): (track, result)
        for track, result in pending
    }
    with (out / INDEX).open("a") as index:
        for future in as_completed(futures):
            track, result = futures[future]
            try:
                entry = future.result()
            except Exception as error:  # noqa: BLE001 - a lost worker fails its track only
                entry = {"status": "failed", "error": f"{type(error).__name__}: {error}"}
            entry = {"path": track, "result": str(result.relative_to(out)), **entry}
            if entry["status"] == "ok":
                summary.analysed.append(track)
            else:
                entry.pop("result")
                summary.failed[track] = entry["error"]
            entries[track] = entry
            index.write(json.dumps(entry) + "\n")
            index.flush()
    # The index keeps one line per track, the latest.
    write_whole(out / INDEX, "".join(json.dumps(e) + "\n" for e in sorted_entries(entries)))
    return summary


def sorted_entries(entries: dict[str, dict[str, Any]]) -> Iterable[dict[str, Any]]:
    return (entries[path] for path in sorted(entries))


def main(arguments: Sequence[str] | None = None) -> int:
    """``python -m earshot.library ROOT OUT [--scheduler ADDRESS] [--workers N] [--tasks ...]``"""
    parser = argparse.ArgumentParser(prog="python -m earshot.library", description=__doc__.split("\n")[0])
    parser.add_argument("root", help="folder tree of audio")
    parser.add_argument("out", help="where results and index.jsonl go")
    parser.add_argument("--scheduler", help="a Dask scheduler's address (default: a local cluster)")
    parser.add_argument("--workers", type=int, help="local cluster: worker processes (default: one per core)")
    parser.add_argument("--tasks", help="comma-separated task names (default: all)")
    args = parser.parse_args(arguments)
    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=":0"))
    with client:
        tasks = args.tasks.split(",") if args.tasks else None
        started = time.perf_counter()
        summary = analyze_library(args.root, args.out, client, tasks)
        wall = time.perf_counter() - started
    print(
        f"earshot: {len(summary.analysed)} analysed, {len(summary.skipped)} already done, "
        f"{len(summary.failed)} failed in {wall:.1f} s"
    )
    for track, error in summary.failed.items():
        print(f"earshot: failed: {track}: {error}")
    return 1 if summary.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
