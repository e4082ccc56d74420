"""librosa's beat_track over audio files, for the beat comparison.

Usage: beats_librosa.py OUT_DIR FILE...   (writes OUT_DIR/STEM.beats.txt, one time per line)
Run with target/reference-venv/bin/python (scripts/setup-reference-venv.sh).
"""
import pathlib
import sys

import librosa


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for path in map(pathlib.Path, sys.argv[2:]):
        y, sr = librosa.load(path, sr=None, mono=True)
        _, times = librosa.beat.beat_track(y=y, sr=sr, units="time")
        (out / f"{path.stem}.beats.txt").write_text("".join(f"{t:.3f}\n" for t in times))


if __name__ == "__main__":
    main()
