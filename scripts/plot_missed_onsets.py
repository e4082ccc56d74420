"""Draws what a detector missed in a stretch of a render: its log-mel spectrogram with every
labelled onset marked found or missed (missed `slow` onsets apart from the others), each miss with
its salience (dB above what already sounds), the false alarms, and below it the detector's
activation with the threshold. Matching is mir_eval's (±50 ms) over the whole file, as in
`earshot eval`. Run by hand:

    target/reference-venv/bin/python scripts/plot_missed_onsets.py RENDER_DIR/781 \\
        ESTIMATES.onsets.txt ACTIVATIONS.txt SALIENCE.txt START END OUT.png [--threshold 0.5]

RENDER_DIR/781 names the render's .wav and .onsets.txt; ESTIMATES is `earshot analyze`'s onset
file for it, ACTIVATIONS its `--format activations` output, SALIENCE the render's
`--salience` file.
"""

import argparse
import pathlib

import matplotlib
import mir_eval
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from onset_errors import read_labels  # noqa: E402
from plot_render import draw_log_mel  # noqa: E402

FOUND, MISSED, MISSED_SLOW, FALSE_ALARM = "white", "red", "orange", "cyan"


def main():
    parser = argparse.ArgumentParser()
    for name in ["stem", "estimates", "activations", "salience"]:
        parser.add_argument(name)
    parser.add_argument("start", type=float)
    parser.add_argument("end", type=float)
    parser.add_argument("out")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()

    times, kinds = read_labels(pathlib.Path(f"{args.stem}.onsets.txt"))
    estimated = np.loadtxt(args.estimates, ndmin=1)
    decibels = np.loadtxt(args.salience, ndmin=2)[:, 1]
    matches = mir_eval.util.match_events(times, estimated, 0.05)
    found = {r for r, _ in matches}
    false_alarms = np.delete(estimated, [e for _, e in matches])
    curve = np.loadtxt(args.activations, ndmin=2)

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(13, 7), sharex=True,
                                         gridspec_kw={"height_ratios": [3, 1.4]})
    draw_log_mel(top, f"{args.stem}.wav", args.start, args.end)
    inside = (times >= args.start) & (times <= args.end)
    for index in np.flatnonzero(inside):
        colour = FOUND if index in found else MISSED_SLOW if kinds[index] == "slow" else MISSED
        top.plot([times[index]] * 2, [112, 128], color=colour, lw=2 if colour != FOUND else 1)
        bottom.axvline(times[index], color=colour if colour != FOUND else "grey", lw=1)
        if index not in found:
            top.text(times[index] + 0.02, 104, f"{decibels[index]:+.0f}", color=colour, fontsize=9)
    for time in false_alarms[(false_alarms >= args.start) & (false_alarms <= args.end)]:
        top.plot([time] * 2, [0, 14], color=FALSE_ALARM, lw=2)
    shown = (curve[:, 0] >= args.start) & (curve[:, 0] <= args.end)
    bottom.plot(curve[shown, 0], curve[shown, 1], color="black", lw=1)
    bottom.axhline(args.threshold, color="black", ls="--", lw=0.8)
    shown_estimates = estimated[(estimated >= args.start) & (estimated <= args.end)]
    bottom.plot(shown_estimates, np.interp(shown_estimates, curve[:, 0], curve[:, 1]), "k.")
    found_share = len(found & set(np.flatnonzero(inside))) / max(inside.sum(), 1)
    top.set_title(f"{args.stem}, {args.start:g}–{args.end:g} s ({found_share:.0%} of these onsets found). "
                  f"Labelled onsets at the top: found (white) or missed (red; orange: slow attack),\n"
                  f"each miss with its salience (dB above what already sounds); false alarms cyan "
                  f"at the bottom")
    top.set_ylabel("mel band")
    bottom.set_ylabel("activation")
    bottom.set_ylim(0, 1)
    bottom.set_xlabel("time (s); dots: the detector's onsets, dashed: its threshold; grey lines "
                      "found labels, red/orange missed ones")
    figure.tight_layout()
    figure.savefig(args.out, dpi=100)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
