"""Earshot's shipped onset input against madmom computing the same features, in one run on this
machine: three log-filtered spectrograms (1024, 2048 and 4096 samples, 12 bands per octave from
27.5 Hz to 16 kHz, filters summing to 1, log(1 + x)), 100 frames/s at 44.1 kHz.

    OPENBLAS_NUM_THREADS=1 target/madmom-venv/bin/python scripts/bench_madmom_frontend.py [SECONDS]

(after scripts/setup-madmom-venv.sh; one thread for both, as on an audio thread). Earshot streams
in 512-frame blocks (`frontend_speed`); madmom gets the whole mono signal in one call per
resolution, its fastest case, and its logarithm is log10 where Earshot's is ln (the same cost).
"""

import sys

import madmom
import numpy as np
from frontend_speed import SR, earshot_seconds_per_second, reference_seconds_per_second
from madmom.audio.spectrogram import LogarithmicFilteredSpectrogram

NAME = "onset input: 3 semitone log-filtered resolutions"


def madmom_onset_input(left, right):
    mono = (left + right) / 2
    return [
        LogarithmicFilteredSpectrogram(mono, sample_rate=SR, frame_size=size, fps=100, num_bands=12,
                                       fmin=27.5, fmax=16000.0, norm_filters=True, unique_filters=False,
                                       mul=1, add=1)
        for size in (1024, 2048, 4096)
    ]


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    earshot = earshot_seconds_per_second(seconds)
    ours, ours48 = earshot[(NAME, 44100)], earshot[(NAME, 48000)]
    theirs = reference_seconds_per_second(madmom_onset_input, seconds)
    print(f"{'config':50} {'Earshot 44.1k':>14} {'Earshot 48k':>12} {'madmom':>10} {'madmom / Earshot':>17}")
    print(f"{NAME:50} {ours * 100:13.3f}% {ours48 * 100:11.3f}% {theirs * 100:9.3f}% {theirs / ours:16.1f}x")
    print("(CPU time per second of audio, as % of one core; best of 5 runs; "
          f"madmom {madmom.__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
