"""A vocal-activity baseline anyone could build, to give Earshot's voice figures a meaning:
20 MFCCs (librosa) and their deltas, with their mean and standard deviation over one second
around each frame, into a logistic regression (scikit-learn). Its frame probabilities are
segmented as Earshot's are (hysteresis: on at 0.5 for 100 ms, off below 0.3 for 250 ms), so that
the two differ only in what computes the probability.

Usage:
    voice_baseline.py --train DIR [--train DIR ...] --songs 1-700 --out OUT FILE.wav...

trains on the renders in the --train folders (`NNN.wav` beside `NNN.melody.lab`, `voice`
phrases sung) whose song is in --songs, then writes OUT/FOLDER/STEM.voice.lab (`sing`/`nosing`)
for each FILE, FOLDER the name of the file's folder (renders of one song in two folders stay
apart). Score with `earshot eval --task voice --ref RENDERS --est OUT/FOLDER`.
Run with target/reference-venv/bin/python (scripts/setup-reference-venv.sh).
"""
import argparse
import pathlib
import re

import librosa
import numpy as np
from scipy.ndimage import uniform_filter1d
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

RATE = 16000
HOP = 160  # 10 ms frames, as Earshot's
CONTEXT = 101  # frames of context (about one second)
STRIDE = 10  # every tenth training frame: neighbours are nearly the same
ON, OFF, MIN_ON, MIN_OFF = 0.5, 0.3, 10, 25


def features(path):
    y, _ = librosa.load(path, sr=RATE, mono=True)
    mfcc = librosa.feature.mfcc(y=y, sr=RATE, n_mfcc=20, n_fft=1024, hop_length=HOP)
    frame = np.vstack([mfcc, librosa.feature.delta(mfcc)]).T
    mean = uniform_filter1d(frame, CONTEXT, axis=0, mode="nearest")
    spread = np.sqrt(np.maximum(uniform_filter1d(frame**2, CONTEXT, axis=0, mode="nearest") - mean**2, 0))
    return np.hstack([frame, mean, spread])


def sung_frames(lab, frames):
    target = np.zeros(frames, bool)
    for line in lab.read_text().splitlines():
        start, end, label = line.split()[:3]
        if label in ("voice", "sing"):
            target[int(round(float(start) * 100)):int(round(float(end) * 100)) + 1] = True
    return target


def song_set(text):
    songs = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        songs.update(range(int(low), int(high or low) + 1))
    return songs


def segments(probability):
    """Earshot's segmenter: changes dated where their confirming run began."""
    singing, run, start, changes = False, 0, 0, []
    for i, p in enumerate(probability):
        toward = p < OFF if singing else p >= ON
        if not toward:
            run = 0
            continue
        if run == 0:
            start = i
        run += 1
        if run >= (MIN_OFF if singing else MIN_ON):
            singing, run = not singing, 0
            changes.append(start)
    return changes


def write_lab(path, changes, duration):
    bounds = [0.0] + [c / 100 for c in changes] + [duration]
    lines = []
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        if b > a:
            lines.append(f"{a:.3f}\t{b:.3f}\t{'sing' if k % 2 else 'nosing'}\n")
    path.write_text("".join(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="append", required=True, type=pathlib.Path)
    parser.add_argument("--songs", required=True)
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("files", nargs="+", type=pathlib.Path)
    args = parser.parse_args()
    songs = song_set(args.songs)
    xs, ys = [], []
    for folder in args.train:
        for wav in sorted(folder.glob("*.wav")):
            match = re.match(r"(\d+)", wav.stem)
            lab = wav.with_suffix(".melody.lab")
            if not match or int(match.group(1)) not in songs or not lab.is_file():
                continue
            x = features(wav)
            xs.append(x[::STRIDE])
            ys.append(sung_frames(lab, len(x))[::STRIDE])
    x, y = np.vstack(xs), np.concatenate(ys)
    print(f"training on {len(xs)} renders, {len(y)} frames, {100 * y.mean():.1f} % sung")
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model.fit(x, y)
    print(f"training frame accuracy {model.score(x, y):.3f}")
    for wav in args.files:
        probability = model.predict_proba(features(wav))[:, 1]
        duration = librosa.get_duration(path=wav)
        folder = args.out / wav.resolve().parent.name
        folder.mkdir(parents=True, exist_ok=True)
        write_lab(folder / f"{wav.stem}.voice.lab", segments(probability), duration)


if __name__ == "__main__":
    main()
