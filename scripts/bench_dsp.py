"""Earshot's frontend against librosa computing the same features, in one run on this machine.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
        target/reference-venv/bin/python scripts/bench_dsp.py [SECONDS]

(one thread for both, as on an audio thread; the OPENBLAS_* overrides some machines set slow a
current numpy down, so they are unset for the measurement).

Runs `cargo run --release -p earshot-dsp --example frontend_speed` (Earshot, streaming in
512-frame blocks) and times librosa 0.11 on the same configs over a whole signal (its fastest
case: one call, no streaming). Prints seconds of CPU per second of audio and the ratio.
"""

import sys

import librosa
import numpy as np
from frontend_speed import SR, earshot_seconds_per_second, reference_seconds_per_second

HOP = 441


def mel(y, n_fft, power, n_mels):
    return librosa.feature.melspectrogram(
        y=y, sr=SR, n_fft=n_fft, hop_length=HOP, power=power, n_mels=n_mels, fmin=27.5, fmax=16000.0, pad_mode="constant"
    )


def multi_resolution(y):
    logs = [np.log1p(mel(y, n, 1.0, 80)) for n in (1024, 2048, 4096)]
    flux = librosa.onset.onset_strength_multi(S=logs[1], lag=1, max_size=3, detrend=False, center=False, channels=np.arange(81))
    return logs, flux


LIBROSA = {
    "multi-resolution log-mel + superflux": multi_resolution,
    "spectrogram (2048, 96 mel, dB)": lambda y: librosa.power_to_db(mel(y, 2048, 2.0, 96), ref=1.0, amin=1e-10, top_db=None),
    "chroma (8192)": lambda y: librosa.feature.chroma_stft(y=y, sr=SR, n_fft=8192, hop_length=HOP, tuning=0.0, pad_mode="constant"),
    "constant-Q (C1-B7, 84 bins)": lambda y: np.abs(
        librosa.cqt(y, sr=SR, hop_length=HOP, fmin=32.703, n_bins=84, bins_per_octave=12, tuning=0.0, pad_mode="constant")
    ),
}


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    earshot = earshot_seconds_per_second(seconds)
    print(f"{'config':40} {'Earshot 44.1k':>14} {'Earshot 48k':>12} {'librosa':>10} {'librosa / Earshot':>18}")
    for name, fn in LIBROSA.items():
        ours, ours48 = earshot[(name, 44100)], earshot[(name, 48000)]
        theirs = reference_seconds_per_second(lambda left, right: fn(librosa.to_mono(np.stack([left, right]))), seconds)
        print(f"{name:40} {ours * 100:13.3f}% {ours48 * 100:11.3f}% {theirs * 100:9.3f}% {theirs / ours:17.1f}x")
    print("(CPU time per second of audio, as % of one core; best of 5 runs; "
          f"librosa {librosa.__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
