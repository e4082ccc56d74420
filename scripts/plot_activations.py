"""Plots onset activation curves (`earshot analyze --format activations`) of one or more weights
over the same clips, with the labelled onsets marked, one panel per clip. Run by hand:

    target/reference-venv/bin/python scripts/plot_activations.py OUT.png START END \
        --clip REFERENCE.onsets.txt NAME=ACTIVATIONS.txt [NAME=ACTIVATIONS.txt ...] \
        [--clip ...] [--note-length SECONDS]

START and END (seconds) bound the time axis. With --note-length, a dashed line also marks where
each labelled note ends (for scripts/note_end_clips.py's clips: 0.33).
"""

import argparse

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("start", type=float)
    parser.add_argument("end", type=float)
    parser.add_argument("--clip", nargs="+", action="append", required=True)
    parser.add_argument("--note-length", type=float)
    args = parser.parse_args()
    figure, axes = plt.subplots(len(args.clip), 1, figsize=(13, 3 * len(args.clip)), squeeze=False)
    for axis, (reference, *curves) in zip(axes[:, 0], args.clip):
        onsets = np.atleast_1d(np.loadtxt(reference, usecols=0))
        for onset in onsets:
            axis.axvline(onset, color="k", lw=0.6, ls=":")
            if args.note_length:
                axis.axvline(onset + args.note_length, color="tab:green", lw=0.6, ls="--")
        for curve in curves:
            name, path = curve.split("=", 1)
            times, values = np.loadtxt(path, unpack=True)
            axis.plot(times, values, lw=1, label=name)
        axis.axhline(0.5, color="gray", lw=0.5)
        axis.set_xlim(args.start, args.end)
        axis.set_ylim(-0.02, 1.02)
        ends = ", dashed green: note ends" if args.note_length else ""
        axis.set_title(f"{reference}: dotted: labelled onsets{ends}; grey: threshold 0.5")
        axis.set_ylabel("activation")
        axis.legend(loc="upper right")
    axes[-1, 0].set_xlabel("time (s)")
    figure.tight_layout()
    figure.savefig(args.out, dpi=75)


if __name__ == "__main__":
    main()
