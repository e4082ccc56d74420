"""Tracks per second: `earshot analyze --jobs N` against `earshot.library` on a local Dask
cluster of N worker processes, on the same folder, N = 1 and 2 (these machines have 2 cores).

Usage:
    python scripts/bench_library.py FOLDER --cli target/release/earshot [--tracks 12] [--runs 3]

Run it with a Python that has a release build of the `earshot` package and Dask (see
docs/cluster.md). Every run starts from an empty output folder; each figure is the median of
`--runs`. The Dask figures time the analysis on a running cluster (what a long-lived cluster
costs per library); the cluster's start-up is timed on its own. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

from dask.distributed import Client, LocalCluster

from earshot.library import analyze_library, find_tracks


def median_seconds(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--cli", type=pathlib.Path, required=True)
    parser.add_argument("--tracks", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="earshot-bench-"))
    library = work / "library"
    for track in find_tracks(args.folder)[: args.tracks]:
        (library / track).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(args.folder / track, library / track)
    tracks = len(find_tracks(library))
    out = work / "out"

    def fresh() -> pathlib.Path:
        shutil.rmtree(out, ignore_errors=True)
        return out

    rows = []
    for workers in (1, 2):
        cli = median_seconds(
            lambda: subprocess.run(
                [str(args.cli), "analyze", str(library), "--format", "json", "--out", str(fresh()),
                 "--jobs", str(workers)],
                check=True,
                capture_output=True,
            ),
            args.runs,
        )
        rows.append((f"`earshot analyze --jobs {workers}`", workers, cli, None))
        started = time.perf_counter()
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
        start_up = time.perf_counter() - started
        try:
            def dask_run() -> None:
                summary = analyze_library(library, fresh(), client)
                assert len(summary.analysed) == tracks, summary.failed

            dask = median_seconds(dask_run, args.runs)
        finally:
            client.close()
            cluster.close()
        rows.append((f"Dask, {workers} worker process{'es' if workers > 1 else ''}", workers, dask, start_up))

    print(f"{tracks} tracks, median of {args.runs} runs each\n")
    print("| runner | cores | seconds | tracks/s | tracks/s per core | cluster start-up (s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, cores, seconds, start_up in rows:
        rate = tracks / seconds
        start = f"{start_up:.1f}" if start_up is not None else "–"
        print(f"| {name} | {cores} | {seconds:.1f} | {rate:.3f} | {rate / cores:.3f} | {start} |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
