#!/usr/bin/env python3
"""Per-song comparison of two `earshot eval --json` outputs on the same songs.

    scripts/compare_scores.py BEFORE.json AFTER.json [--songs 741-850]

Prints each run's mean F, P and R, then the mean per-song change in F (after − before) with
its standard error, and how many songs got better or worse. `--songs FIRST-LAST` restricts
both to the files named by those song numbers (e.g. the songs that chose neither the epoch
nor the sensitivity default). Standard library only.
"""

import argparse
import math
import sys

from eval_scores import read_scores


def per_file(path, songs):
    """The scores of every file of an eval output, by file name, within `songs` if given."""
    scores = read_scores(path)
    if songs is not None:
        scores = {name: s for name, s in scores.items() if name.isdigit() and int(name) in songs}
    return scores


def song_range(text):
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--songs", type=song_range, help="FIRST-LAST song numbers only")
    args = parser.parse_args()
    before, after = per_file(args.before, args.songs), per_file(args.after, args.songs)
    if set(before) != set(after):
        only = sorted(set(before) ^ set(after))
        sys.exit(f"the two outputs score different files: {', '.join(only[:10])}")
    if not before:
        sys.exit("no files to compare")
    names = sorted(before)
    for label, scores in (("before", before), ("after", after)):
        means = [sum(scores[n][k] for n in names) / len(names) for k in ("F", "P", "R")]
        print(f"{label:6}  F {means[0]:.4f}  P {means[1]:.4f}  R {means[2]:.4f}")
    changes = [after[n]["F"] - before[n]["F"] for n in names]
    mean = sum(changes) / len(changes)
    spread = math.sqrt(sum((c - mean) ** 2 for c in changes) / max(len(changes) - 1, 1))
    better = sum(c > 0 for c in changes)
    worse = sum(c < 0 for c in changes)
    print(
        f"per song F change {mean:+.4f} ± {spread / math.sqrt(len(changes)):.4f} (standard "
        f"error), {better} better, {worse} worse, {len(changes) - better - worse} equal, "
        f"of {len(changes)} songs"
    )


if __name__ == "__main__":
    main()
