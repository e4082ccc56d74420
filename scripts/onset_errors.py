"""Where an onset detector's errors are: recall per kind of labelled onset (the renders mark onsets
whose notes all start slowly, strings and pads, as `slow`), recall of the other onsets by how
close the nearest other labelled onset is, how many missed ones lie within 100 ms of a labelled
onset the detector found (the other half of a close pair, which it marked once), and how far
each false alarm lies from the nearest labelled onset. Given the folder of the renders' onset
salience (`earshot-train dataset render --salience`: NAME.salience.txt, as `scripts/compare_onsets.sh`
copies them), also the share of onsets and the recall by salience: how far the power an onset's
own notes add stands above everything else sounding. Matching is mir_eval's (±50 ms), as in
`earshot eval`; the timing of the matched estimates (estimate minus label) is summarised too.
Last, what F (the mean per file, as `earshot eval` gives it) would become if the detector also
found every onset of a class it now misses, its false alarms unchanged, and if it made no false
alarms: a ceiling for what finding more of each class can bring.

    target/reference-venv/bin/python scripts/onset_errors.py REFERENCE_DIR ESTIMATE_DIR [SALIENCE_DIR]

REFERENCE_DIR holds NAME.onsets.txt label files (time [kind]); ESTIMATE_DIR the detector's
NAME.onsets.txt, as `scripts/compare_onsets.sh` leaves them.
"""

import pathlib
import sys

import mir_eval
import numpy as np

EDGES = [-np.inf, -0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.25, np.inf]
GAP_EDGES = [0.0, 0.05, 0.1, 0.2, np.inf]
# A missed onset this close (s) to a found one is the other half of a pair the detector marked once.
PAIR = 0.1
SALIENCE_EDGES = [-np.inf, -10.0, -5.0, 0.0, 5.0, 10.0, 20.0, np.inf]
CEILING_DECIBELS = [20.0, 10.0, 5.0, 0.0]


def read_labels(path):
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    times = np.array([float(row[0]) for row in rows])
    kinds = [row[1] if len(row) > 1 else "plain" for row in rows]
    return times, kinds


def f_measure(hits, references, false_alarms):
    """mir_eval's onset F from the count of matched onsets; 0 for a file without labels."""
    return 2.0 * hits / (references + hits + false_alarms) if references else 0.0


def ceilings(found, kinds, decibels, false_alarms):
    """F as it is and with each class of missed onsets found, or with no false alarms."""
    rows = {"as it is": found, "every plain onset found": found | (np.array(kinds) == "plain")}
    if decibels is not None:
        for threshold in CEILING_DECIBELS:
            rows[f"every onset ≥ {threshold:.0f} dB found"] = found | (decibels >= threshold)
    scores = {name: f_measure(hit.sum(), len(found), false_alarms) for name, hit in rows.items()}
    scores["no false alarms"] = f_measure(found.sum(), len(found), 0)
    return scores


def main(reference_dir, estimate_dir, salience_dir=None):
    found, total = {}, {}
    gap_found, gap_total = np.zeros(len(GAP_EDGES) - 1), np.zeros(len(GAP_EDGES) - 1)
    salience_found = np.zeros(len(SALIENCE_EDGES) - 1)
    salience_total = np.zeros(len(SALIENCE_EDGES) - 1)
    offsets, timing, estimates, ceiling_scores = [], [], 0, {}
    missed_by_pairing = {True: [], False: []}
    for reference_path in sorted(pathlib.Path(reference_dir).glob("*.onsets.txt")):
        times, kinds = read_labels(reference_path)
        estimate_path = pathlib.Path(estimate_dir) / reference_path.name
        estimated = np.loadtxt(estimate_path, ndmin=1) if estimate_path.exists() else np.array([])
        estimates += len(estimated)
        matches = mir_eval.util.match_events(times, estimated, 0.05)
        timing.extend(estimated[e] - times[r] for r, e in matches)
        matched_references = {r for r, _ in matches}
        matched_estimates = {e for _, e in matches}
        decibels = None
        for index, kind in enumerate(kinds):
            total[kind] = total.get(kind, 0) + 1
            found[kind] = found.get(kind, 0) + (index in matched_references)
        gaps = np.abs(times[:, None] - times[None, :]) + np.diag(np.full(len(times), np.inf))
        for index, gap in enumerate(gaps.min(axis=1, initial=np.inf)):
            if kinds[index] == "plain":
                slot = np.searchsorted(GAP_EDGES[1:-1], gap, side="right")
                gap_total[slot] += 1
                gap_found[slot] += index in matched_references
        if salience_dir:
            salience_path = pathlib.Path(salience_dir) / reference_path.name.replace(".onsets.", ".salience.")
            decibels = np.loadtxt(salience_path, ndmin=2)[:, 1]
            if len(decibels) != len(times):
                sys.exit(f"{salience_path}: {len(decibels)} values for {len(times)} onsets")
            for index, value in enumerate(decibels):
                slot = np.searchsorted(SALIENCE_EDGES[1:-1], value, side="right")
                salience_total[slot] += 1
                salience_found[slot] += index in matched_references
        found_mask = np.isin(np.arange(len(times)), list(matched_references))
        found_times = times[found_mask]
        for index in np.flatnonzero(~found_mask):
            if kinds[index] == "plain":
                paired = len(found_times) > 0 and np.abs(found_times - times[index]).min() < PAIR
                missed_by_pairing[paired].append(np.nan if decibels is None else decibels[index])
        for name, score in ceilings(found_mask, kinds, decibels, len(estimated) - len(matches)).items():
            ceiling_scores.setdefault(name, []).append(score)
        for index, time in enumerate(estimated):
            if index not in matched_estimates and len(times):
                nearest = times[np.argmin(np.abs(times - time))]
                offsets.append(time - nearest)
    print("recall by kind of onset:")
    for kind in sorted(total):
        print(f"  {kind:<6} {found[kind] / total[kind]:.3f} of {total[kind]}")
    print("recall of plain onsets by the gap to the nearest other labelled onset:")
    for low, high, hit, count in zip(GAP_EDGES[:-1], GAP_EDGES[1:], gap_found, gap_total):
        print(f"  {low:.2f} … {high:.2f} s: {hit / max(count, 1):.3f} of {int(count)}")
    print("missed plain onsets by the nearest found labelled onset:")
    for paired, name in [(True, f"within {PAIR:.1f} s"), (False, "further")]:
        values = np.array(missed_by_pairing[paired])
        line = f"  {name:<12} {len(values)}"
        if salience_total.sum() and len(values):
            line += (f", salience median {np.median(values):+.1f} dB, "
                     f"{np.mean(values >= 5.0):.3f} of them ≥ 5 dB")
        print(line)
    if salience_total.sum():
        print("share and recall of onsets by salience (dB):")
        rows = zip(SALIENCE_EDGES[:-1], SALIENCE_EDGES[1:], salience_found, salience_total)
        for low, high, hit, count in rows:
            share = count / salience_total.sum()
            print(f"  {low:+6.0f} … {high:+4.0f}: {share:.3f} of onsets, recall {hit / max(count, 1):.3f}")
    errors = np.array(timing) * 1000.0
    if len(errors):
        print(f"timing of the {len(errors)} matched estimates (estimate − label, ms): mean "
              f"{errors.mean():+.2f}, SD {errors.std():.2f}, mean |error| {np.abs(errors).mean():.2f}, "
              f"within ±5 ms {np.mean(np.abs(errors) <= 5):.3f}, within ±10 ms "
              f"{np.mean(np.abs(errors) <= 10):.3f}")
    counts, _ = np.histogram(offsets, EDGES)
    print(f"false alarms: {len(offsets)} of {estimates} estimates; offset from the nearest label:")
    for low, high, count in zip(EDGES[:-1], EDGES[1:], counts):
        print(f"  {low:+.2f} … {high:+.2f} s: {count}")
    print("mean per-file F as it is, and if the detector also found … (false alarms unchanged):")
    for name, scores in ceiling_scores.items():
        print(f"  {name:<26} {np.mean(scores):.4f}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
