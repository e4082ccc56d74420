"""Clips that ask whether an onset detector fires where a note ends: 12 s of FM tones (sharp
5 ms attack, 330 ms long, one every 400 ms, so each ends 70 ms before the next starts), in a
treble and a bass register, each ending with a release of 0, 2 or 30 ms. The labels are the note
starts only, so every estimate near a note's end is a false alarm; `earshot eval` gives the
precision per clip. Run by hand:

    target/reference-venv/bin/python scripts/note_end_clips.py OUT_DIR

writes OUT_DIR/{cut,rel2,rel30}{,-bass}.wav (44.1 kHz mono) with NAME.onsets.txt beside.
"""

import pathlib
import sys

import numpy as np
import soundfile

RATE = 44_100
NOTE_SECONDS = 0.33
STEP_SECONDS = 0.40
RELEASES_MS = {"cut": 0, "rel2": 2, "rel30": 30}
PITCHES = {"": [220.0, 262.0, 294.0, 330.0], "-bass": [55.0, 65.4, 73.4, 82.4]}


def fm_note(frequency, release_ms):
    """A two-operator FM tone with a 5 ms attack and a linear release of `release_ms`."""
    t = np.arange(int(NOTE_SECONDS * RATE)) / RATE
    envelope = np.minimum(t / 0.005, 1.0)
    release = int(release_ms * RATE / 1000)
    if release:
        envelope[-release:] *= np.linspace(1.0, 0.0, release)
    return 0.4 * envelope * np.sin(2 * np.pi * frequency * t + 2 * np.sin(4 * np.pi * frequency * t))


def clip(pitches, release_ms, seed=1):
    """12 s of notes drawn from `pitches`, and their start times."""
    rng = np.random.default_rng(seed)
    signal, starts = np.zeros(12 * RATE), []
    start = 0.5
    while start < 11.0:
        note = fm_note(rng.choice(pitches), release_ms)
        at = int(start * RATE)
        signal[at : at + len(note)] += note
        starts.append(start)
        start += STEP_SECONDS
    return signal, starts


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for release_name, release_ms in RELEASES_MS.items():
        for register, pitches in PITCHES.items():
            signal, starts = clip(pitches, release_ms)
            name = f"{release_name}{register}"
            soundfile.write(out / f"{name}.wav", signal, RATE)
            (out / f"{name}.onsets.txt").write_text("".join(f"{s:.6f}\n" for s in starts))


if __name__ == "__main__":
    main(sys.argv[1])
