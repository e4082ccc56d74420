"""Golden fixtures for Earshot's metrics: random and edge-case inputs with mir_eval 0.8's
outputs, written to io/tests/fixtures/metrics.json. Run by hand:

    scripts/setup-reference-venv.sh
    target/reference-venv/bin/python scripts/metric_fixtures.py

The Rust tests (trainer/tests/metrics_golden.rs) must reproduce every value within 1e-6.
"""

import json
import pathlib
import warnings

import mir_eval
import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "io" / "tests" / "fixtures" / "metrics.json"
rng = np.random.default_rng(909)
warnings.simplefilter("ignore")


def times(values):
    return [float(v) for v in values]


def jitter(events, sigma, drop, extra, span):
    kept = events[rng.random(len(events)) >= drop]
    moved = kept + rng.normal(0, sigma, len(kept))
    added = rng.uniform(0, span, int(extra * len(events)))
    return np.sort(np.clip(np.concatenate([moved, added]), 0, None))


def onset_cases():
    cases = []
    for _ in range(40):
        span = rng.uniform(5, 40)
        reference = np.sort(rng.uniform(0, span, rng.integers(5, 120)))
        estimated = jitter(reference, rng.choice([0.005, 0.02, 0.05]), rng.uniform(0, 0.4),
                           rng.uniform(0, 0.4), span)
        cases.append((reference, estimated))
    grid = np.arange(1, 11, dtype=float)
    cases += [(grid, grid + 0.05), (grid, grid - 0.05), (grid, grid - 0.0501), (grid, np.array([])),
              (np.array([]), grid), (grid, np.repeat(grid, 2)), (np.array([1.0, 1.04, 1.08]), np.array([1.02, 1.06]))]
    out = []
    for reference, estimated in cases:
        f, p, r = mir_eval.onset.f_measure(reference, estimated)
        out.append({"reference": times(reference), "estimated": times(estimated),
                    "f_measure": f, "precision": p, "recall": r})
    return out


def onset_ignoring_cases():
    """Onset scores with don't-care onsets, from mir_eval's maximum matching: estimates matched
    to the scored onsets first; of the rest, those matching a don't-care onset are dropped."""
    out = []
    for case in range(30):
        span = rng.uniform(5, 40)
        onsets = np.sort(rng.uniform(0, span, rng.integers(5, 120)))
        ignore = rng.random(len(onsets)) < rng.uniform(0, 0.5) if case < 29 else np.ones(len(onsets), bool)
        estimated = jitter(onsets, rng.choice([0.005, 0.02, 0.05]), rng.uniform(0, 0.4),
                           rng.uniform(0, 0.4), span)
        reference, ignored = onsets[~ignore], onsets[ignore]
        hits = mir_eval.util.match_events(reference, estimated, 0.05)
        matched = {e for _, e in hits}
        rest = np.array([t for i, t in enumerate(estimated) if i not in matched])
        counted = len(estimated) - len(mir_eval.util.match_events(ignored, rest, 0.05))
        precision = len(hits) / counted if counted and len(reference) else 0.0
        recall = len(hits) / len(reference) if counted and len(reference) else 0.0
        out.append({"reference": times(reference), "ignored": times(ignored),
                    "estimated": times(estimated), "precision": precision, "recall": recall,
                    "f_measure": mir_eval.util.f_measure(precision, recall)})
    return out


def beat_cases():
    cases = []
    for _ in range(40):
        period = rng.uniform(0.3, 0.9)
        start = rng.uniform(0, 3)
        reference = np.arange(start, rng.uniform(20, 60), period) + rng.normal(0, 0.01, 1)[0]
        kind = rng.integers(0, 6)
        if kind == 0:
            estimated = reference + rng.normal(0, 0.02, len(reference))
        elif kind == 1:
            estimated = np.arange(start, reference[-1], period / 2)
        elif kind == 2:
            estimated = reference[::2] + rng.normal(0, 0.01, len(reference[::2]))
        elif kind == 3:
            estimated = reference + period / 2
        elif kind == 4:
            estimated = jitter(reference, 0.03, 0.2, 0.1, reference[-1])
        else:
            estimated = np.sort(rng.uniform(0, reference[-1], len(reference)))
        cases.append((np.sort(np.abs(reference)), np.sort(np.abs(estimated))))
    grid = np.arange(0.5, 30, 0.5)
    cases += [(grid, grid), (grid, np.array([])), (grid, np.array([6.0])), (np.array([6.0, 6.5]), grid),
              (grid, np.array([1.0, 2.0])), (grid, grid * 1.1), (np.array([5.0, 5.0, 6.0]), np.array([5.0, 6.0]))]
    # Estimates exactly halfway between reference beats (ties for the nearest beat), repeated
    # beats on either side, and a long list (the fast nearest-beat searches against numpy's argmin).
    cases += [(grid, grid + 0.25), (np.repeat(grid, 2), grid + 0.25), (grid, np.repeat(grid + 0.25, 2)),
              (np.arange(3, 1500, 0.5), np.arange(3, 1500, 0.5) + np.random.default_rng(1500).normal(0, 0.05, 2994))]
    out = []
    for reference, estimated in cases:
        scores = mir_eval.beat.evaluate(reference, estimated)
        out.append({"reference": times(reference), "estimated": times(estimated),
                    "f_measure": scores["F-measure"], "cemgil": scores["Cemgil"],
                    "cemgil_best_metric_level": scores["Cemgil Best Metric Level"],
                    "p_score": scores["P-score"],
                    "cml_c": scores["Correct Metric Level Continuous"],
                    "cml_t": scores["Correct Metric Level Total"],
                    "aml_c": scores["Any Metric Level Continuous"],
                    "aml_t": scores["Any Metric Level Total"]})
    return out


ROOTS = ["C", "C#", "Db", "D", "Eb", "E", "F", "F#", "Gb", "G", "Ab", "A", "Bb", "B", "Cb", "B#", "Ebb"]
QUALITIES = ["", ":maj", ":min", ":7", ":maj7", ":min7", ":dim", ":aug", ":sus4", ":sus2", ":dim7",
             ":hdim7", ":minmaj7", ":maj6", ":min6", ":9", ":maj9", ":min9", ":11", ":min11", ":13",
             ":maj13", ":min13", ":1", ":5", ":sus4(b7)", ":(1,b3,5)", ":(1,3)", ":maj(*3)",
             ":min(9)", ":7(#9)", ":maj(b13)", ":(3,5,b7,9)", ":min7(*b3,11)"]
BASSES = ["", "", "", "/3", "/5", "/b7", "/7", "/b3", "/9", "/2", "/#4"]


def random_chord():
    if rng.random() < 0.08:
        return "N"
    if rng.random() < 0.03:
        return "X"
    return rng.choice(ROOTS) + rng.choice(QUALITIES) + rng.choice(BASSES)


# The chord task's classes, in the engine's order: no chord, major by root from C, minor.
ROOTS = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
MAJMIN_VOCABULARY = ["N"] + [f"{r}:maj" for r in ROOTS] + [f"{r}:min" for r in ROOTS]


def majmin_class(label):
    """The class whose label mir_eval's majmin comparison scores 1 against `label`; -1 if none
    (a chord majmin leaves out, or X)."""
    matches = [i for i, v in enumerate(MAJMIN_VOCABULARY) if mir_eval.chord.majmin([label], [v])[0] == 1]
    assert len(matches) <= 1, (label, matches)
    return matches[0] if matches else -1


def encode_cases():
    labels = sorted({random_chord() for _ in range(400)} | {"N", "X", "C", "C:maj(9)", "C:(1)"})
    out = []
    for label in labels:
        entry = {"label": label}
        for key, reduce in (("plain", False), ("reduced", True)):
            root, semitones, bass = mir_eval.chord.encode(label, reduce_extended_chords=reduce)
            entry[key] = {"root": int(root), "semitones": [int(s) for s in semitones], "bass": int(bass)}
        entry["majmin_class"] = majmin_class(label)
        out.append(entry)
    invalid = ["H", "C:Maj", "Cmaj", "C:maj(3", "C:(3, 5)", "C:maj/", "C/*3", "C:maj(14)", "C:aug7",
               "C:", "c:maj", "C::maj", "C:maj//3", "C#b:maj", "", "N:maj"]
    for label in invalid:
        try:
            mir_eval.chord.encode(label)
            raise SystemExit(f"mir_eval accepted {label!r}, which the fixtures list as invalid")
        except (mir_eval.chord.InvalidChordException, ValueError):
            pass
    return out, invalid


def random_segments(span, count, labels):
    bounds = np.sort(rng.uniform(0, span, count - 1))
    bounds = np.concatenate([[0.0], bounds, [span]])
    return [[float(a), float(b)] for a, b in zip(bounds[:-1], bounds[1:])], labels


def chord_cases():
    out = []
    for i in range(30):
        span = float(rng.uniform(20, 120))
        count = int(rng.integers(3, 40))
        labels = [random_chord() for _ in range(count)]
        ref_intervals, _ = random_segments(span, count, labels)
        kind = i % 5
        if kind == 0:
            est_intervals, est_labels = ref_intervals, list(labels)
        elif kind == 1:
            est_intervals = [[max(0.0, a + 0.3), b + 0.3] for a, b in ref_intervals]
            est_labels = [l if rng.random() < 0.7 else random_chord() for l in labels]
        elif kind == 2:
            est_count = int(rng.integers(2, 50))
            est_intervals, _ = random_segments(span * rng.uniform(0.8, 1.2), est_count, None)
            est_labels = [random_chord() for _ in range(est_count)]
        elif kind == 3:
            est_intervals = [[a + 2.0, b + 2.0] for a, b in ref_intervals]
            est_labels = list(labels)
        else:
            simple = [l.split("/")[0].split("(")[0].rstrip(":") for l in labels]
            est_intervals, est_labels = ref_intervals, simple
        if ref_intervals[0][1] > 1.0:
            ref_intervals[0][0] = float(rng.choice([0.0, 0.5]))
        scores = mir_eval.chord.evaluate(np.array(ref_intervals), labels, np.array(est_intervals), est_labels)
        out.append({"reference": [[a, b, l] for (a, b), l in zip(ref_intervals, labels)],
                    "estimated": [[a, b, l] for (a, b), l in zip(est_intervals, est_labels)],
                    **{k: float(scores[k]) for k in ("root", "majmin", "sevenths", "tetrads",
                                                      "overseg", "underseg", "seg")}})
    return out


def key_cases():
    names = ["C", "C#", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    keys = [f"{n} {m}" for n in names for m in ("major", "minor")] + ["X", "E other"]
    return [{"reference": r, "estimated": e, "score": mir_eval.key.weighted_score(r, e)}
            for r in keys for e in keys]


# Vocal-activity labels: the segments labelled ACTIVE are singing, the others only mark time.
LABELS = ["sing", "nosing", "voice", "lead"]
ACTIVE = {"sing", "voice"}


def activity_cases():
    out, pairs = [], []
    for _ in range(30):
        span = float(rng.uniform(5, 60))
        def segments():
            n = int(rng.integers(0, 12))
            bounds = np.sort(rng.uniform(0, span, 2 * n))
            labels = rng.choice(LABELS, n)
            return [[float(a), float(b), str(label)]
                    for a, b, label in zip(bounds[::2], bounds[1::2], labels)]
        reference, estimated = segments(), segments()
        if not reference and not estimated:
            continue
        pairs.append((reference, estimated))
    # Overlapping segments, and spans long enough (4e5 s) that frame times lose precision.
    pairs += [([[0.0, 10.0, "voice"], [5.0, 20.0, "voice"]], [[2.0, 3.0, "sing"], [2.5, 12.0, "sing"]]),
              ([[1000.0, 400000.0, "sing"]], [[0.0, 200000.0, "sing"], [300000.0, 350000.0, "sing"]]),
              ([[399999.9, 400000.0, "sing"]], [[167772.0, 167772.2, "voice"]]),
              # Nothing sung: the span still counts, every frame a true negative.
              ([[0.0, 30.0, "lead"]], [[0.0, 30.0, "nosing"]])]
    for reference, estimated in pairs:
        both = [s[:2] for s in reference + estimated]
        sample_times, _ = mir_eval.util.intervals_to_samples(np.array(both), [0] * len(both), sample_size=0.01)
        def active(segs):
            """Frames any sung segment covers (labels other than ACTIVE only extend the span)."""
            sung = [s[:2] for s in segs if s[2] in ACTIVE]
            if not sung:
                return np.zeros(len(sample_times), bool)
            labels = mir_eval.util.interpolate_intervals(np.array(sung), [1] * len(sung), sample_times, 0)
            return np.array(labels) == 1
        r, e = active(reference), active(estimated)
        tp = float(np.sum(r & e))
        precision = tp / e.sum() if e.sum() else 0.0
        recall = tp / r.sum() if r.sum() else 0.0
        out.append({"reference": reference, "estimated": estimated,
                    "accuracy": float(np.mean(r == e)) if len(r) else 0.0,
                    "precision": precision, "recall": recall,
                    "f_measure": mir_eval.util.f_measure(precision, recall)})
    return out


def main():
    encodings, invalid = encode_cases()
    fixtures = {"mir_eval": mir_eval.__version__, "onset": onset_cases(), "beat": beat_cases(),
                "chord_encode": encodings, "chord_invalid": invalid, "chord": chord_cases(),
                "key": key_cases(), "activity": activity_cases(),
                "onset_ignoring": onset_ignoring_cases()}
    OUT.write_text(json.dumps(fixtures, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
