"""How an onset detector's sensitivity trades precision for recall, and how far any threshold
could take it: mean per-file F, precision and recall at each sensitivity, and the mean of each
file's best F over all of them (a threshold chosen per song with hindsight, which no live
detector can know: an upper bound for any fixed threshold per song, though not for a threshold
that moves within a song).

    target/reference-venv/bin/python scripts/sensitivity_sweep.py SENSITIVITY=EVAL_JSON...

Each EVAL_JSON is `earshot eval --task onsets --json` of the estimates `earshot analyze
--sensitivity SENSITIVITY` made for the same files.
"""

import sys

import numpy as np
from eval_scores import read_scores


def main(arguments):
    runs = {}
    for argument in arguments:
        sensitivity, path = argument.split("=", 1)
        runs[float(sensitivity)] = read_scores(path)
    names = sorted(next(iter(runs.values())))
    if any(sorted(scores) != names for scores in runs.values()):
        sys.exit("the runs score different files")
    print("sensitivity  F       P       R")
    for sensitivity, scores in sorted(runs.items()):
        means = [np.mean([scores[name][measure] for name in names]) for measure in "FPR"]
        print(f"{sensitivity:<11}  " + "  ".join(f"{mean:.4f}" for mean in means))
    best = [max(scores[name]["F"] for scores in runs.values()) for name in names]
    print(f"each file's best F, averaged over {len(names)} files: {np.mean(best):.4f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
