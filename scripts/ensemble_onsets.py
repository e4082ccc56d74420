#!/usr/bin/env python3
"""Onsets from the mean activation of several onset networks, picked by the plug-in's rule.

    scripts/ensemble_onsets.py OUT_DIR ACT_DIR [ACT_DIR ...] [--sensitivity 0.5]

Each ACT_DIR holds `earshot analyze --format activations --weights W` outputs
(STEM.onsets.activations.txt: time and activation per frame) of one set of weights over the same
files. For every STEM in the first ACT_DIR, the frame-wise mean of the activations is peak-picked
as `nn/src/tasks/peak_picker.rs` does (threshold 0.9 − 0.8 × sensitivity in f32, larger than the
2 frames before, not exceeded by the next, at least 3 frames after the previous onset, the time
refined to the parabola's vertex) and the onsets go to OUT_DIR/STEM.onsets.txt, for
`earshot eval`. With one ACT_DIR it gives what `earshot analyze` gives (README, *Onsets*).

A moving threshold, tried and not shipped: with `--low-threshold L --above-mean D
[--mean-frames N]`, a peak below the threshold but at least L also counts when it stands D above
the mean activation of the N frames before the 2 it must exceed.
"""
import argparse
import pathlib

import numpy as np

PAST_WINDOW = 2
MIN_GAP_FRAMES = 3


def read_activations(path):
    """Times (float64) and activations (float32, exactly as written) of one file."""
    times, values = [], []
    for line in path.read_text().splitlines():
        time, value = line.split()
        times.append(float(time))
        values.append(np.float32(value))
    return np.array(times), np.array(values, dtype=np.float32)


def vertex_offset(before, peak, after):
    curvature = before - 2.0 * peak + after
    if curvature < 0.0:
        return float(np.clip(0.5 * (before - after) / curvature, -0.5, 0.5))
    return 0.0


def high_enough(threshold, moving, sums, frame, candidate):
    """The threshold `candidate` at `frame` must reach: lowered to the low threshold where it
    stands high enough above the recent mean."""
    if moving is None or candidate >= threshold:
        return threshold
    low, above, frames = moving
    end = max(0, frame - PAST_WINDOW)
    start = max(0, end - frames)
    mean = (sums[end] - sums[start]) / max(1, end - start)
    return low if candidate >= mean + above else threshold


def pick(times, values, sensitivity, moving=None):
    """Onset times in seconds: the online peak picker over `values`, one frame at a time;
    `moving` = (low threshold, height above the mean, frames of the mean) or None."""
    threshold = np.float32(0.9) - np.float32(0.8) * np.float32(sensitivity)
    frame_seconds = float(np.median(np.diff(times)))
    sums = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    recent = [np.float32(0.0)] * (PAST_WINDOW + 2)
    last_onset = None
    onsets = []
    for frames, value in enumerate(values, start=1):
        recent = recent[1:] + [value]
        if frames < 2:
            continue
        frame = frames - 2
        candidate = recent[PAST_WINDOW]
        is_peak = (candidate >= high_enough(threshold, moving, sums, frame, candidate)
                   and candidate >= value
                   and all(v < candidate for v in recent[:PAST_WINDOW]))
        far_enough = last_onset is None or frame - last_onset >= MIN_GAP_FRAMES
        if is_peak and far_enough:
            last_onset = frame
            offset = vertex_offset(float(recent[PAST_WINDOW - 1]), float(candidate), float(value))
            onsets.append(max(0.0, times[frame] + offset * frame_seconds))
    return onsets


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("activations", type=pathlib.Path, nargs="+")
    parser.add_argument("--sensitivity", type=float, default=0.5)
    parser.add_argument("--low-threshold", type=float)
    parser.add_argument("--above-mean", type=float)
    parser.add_argument("--mean-frames", type=int, default=10)
    args = parser.parse_args()
    moving = None
    if args.low_threshold is not None:
        if args.above_mean is None:
            raise SystemExit("--low-threshold needs --above-mean")
        moving = (args.low_threshold, args.above_mean, args.mean_frames)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = ".onsets.activations.txt"
    stems = sorted(p.name[: -len(suffix)] for p in args.activations[0].glob("*" + suffix))
    if not stems:
        raise SystemExit(f"no *{suffix} in {args.activations[0]}")
    for stem in stems:
        runs = [read_activations(folder / (stem + suffix)) for folder in args.activations]
        times = runs[0][0]
        for folder, (other_times, _) in zip(args.activations, runs):
            if len(other_times) != len(times) or np.abs(other_times - times).max() > 1e-6:
                raise SystemExit(f"{folder / (stem + suffix)}: frames differ from the first folder's")
        mean = runs[0][1] if len(runs) == 1 else np.mean([v for _, v in runs], axis=0, dtype=np.float32)
        onsets = pick(times, mean, args.sensitivity, moving)
        (args.out / f"{stem}.onsets.txt").write_text("".join(f"{t:.3f}\n" for t in onsets))


if __name__ == "__main__":
    main()
