"""librosa's onset_detect or beat_track over audio files, for the onset and beat comparisons.

Usage: librosa_events.py onsets|beats OUT_DIR FILE...
(writes OUT_DIR/STEM.onsets.txt or OUT_DIR/STEM.beats.txt, one time per line)
Run with target/reference-venv/bin/python (scripts/setup-reference-venv.sh).
"""
import pathlib
import sys

import librosa


def onsets(y, sr):
    return librosa.onset.onset_detect(y=y, sr=sr, units="time")


def beats(y, sr):
    return librosa.beat.beat_track(y=y, sr=sr, units="time")[1]


def main():
    kind, out = sys.argv[1], pathlib.Path(sys.argv[2])
    detect = {"onsets": onsets, "beats": beats}[kind]
    out.mkdir(parents=True, exist_ok=True)
    for path in map(pathlib.Path, sys.argv[3:]):
        y, sr = librosa.load(path, sr=None, mono=True)
        times = detect(y, sr)
        (out / f"{path.stem}.{kind}.txt").write_text("".join(f"{t:.3f}\n" for t in times))


if __name__ == "__main__":
    main()
