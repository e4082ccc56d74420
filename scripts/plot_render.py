"""Draws a rendered clip's log-mel spectrogram with its labels on top, to check by eye that the
labels sit where the music is. Run by hand:

    target/reference-venv/bin/python scripts/plot_render.py RENDER_DIR/001 [START END] [OUT.png]

reads RENDER_DIR/001.wav and its .onsets.txt, .beats.txt, .chords.lab, .melody.lab, .key.txt
(as written by `earshot-train dataset render`) and writes OUT.png (default: beside the WAV).
"""

import sys

import librosa
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def rows(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def draw_log_mel(ax, wav, start, end):
    """Draws the 128-band log-mel spectrogram (dB below its peak) of `wav` from `start` to `end`
    seconds on `ax`, time on the x axis and mel band on the y axis."""
    y, sr = librosa.load(wav, sr=None, mono=True, offset=start, duration=end - start)
    mel = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, n_fft=2048, hop_length=441,
                                                             n_mels=128, fmax=11025), ref=np.max)
    ax.imshow(mel, origin="lower", aspect="auto", cmap="magma", extent=[start, end, 0, 128], vmin=-70)


def main():
    stem = sys.argv[1]
    start = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    end = float(sys.argv[3]) if len(sys.argv) > 3 else start + 12.0
    out = sys.argv[4] if len(sys.argv) > 4 else f"{stem}.png"
    fig, ax = plt.subplots(figsize=(16, 6), dpi=100)
    draw_log_mel(ax, f"{stem}.wav", start, end)
    inside = lambda t: start <= t <= end  # noqa: E731
    for time, *value in rows(f"{stem}.onsets.txt"):
        t = float(time)
        if inside(t):
            ax.plot([t, t], [118, 128], color="white" if not value else "orange", lw=1)
    for time, position in rows(f"{stem}.beats.txt"):
        t = float(time)
        if inside(t):
            ax.axvline(t, color="cyan", lw=2.0 if position == "1" else 0.6, alpha=0.8)
    for s, e, label in rows(f"{stem}.chords.lab"):
        s = float(s)
        if inside(s):
            ax.axvline(s, color="lime", lw=1, ls="--")
            ax.text(s + 0.03, 100, label, color="lime", fontsize=9, rotation=90, va="bottom")
    for s, e, label in rows(f"{stem}.melody.lab"):
        s, e = max(float(s), start), min(float(e), end)
        if s < e:
            ax.fill_between([s, e], 0, 4, color="deepskyblue" if label == "voice" else "gold")
    key = open(f"{stem}.key.txt").read().strip()
    ax.set_title(f"{stem}: log-mel (dB), key {key} — onsets white ticks (orange: slow), beats cyan "
                 f"(downbeats thick), chord changes green, melody bar at the bottom (blue voice, gold lead)")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("mel band")
    fig.tight_layout()
    fig.savefig(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
