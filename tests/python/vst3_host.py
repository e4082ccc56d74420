"""Runs the built Earshot.vst3 in pedalboard (Spotify's JUCE-based host) and checks that audio
passes through bit-exact at 44.1 and 48 kHz and several block sizes.

Usage: python vst3_host.py PATH/TO/Earshot.vst3   (run by tests/tests/vst3_host.rs)
Prints one line per run and exits non-zero on the first difference.
"""

import sys

import numpy as np
import pedalboard


def test_signal(sample_rate: float, seconds: float, seed: int) -> np.ndarray:
    """Stereo float32: noise, a sine, silence, denormals, NaN and infinities."""
    rng = np.random.default_rng(seed)
    n = int(sample_rate * seconds)
    t = np.arange(n) / sample_rate
    left = rng.uniform(-1.0, 1.0, n).astype(np.float32)
    right = (0.8 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    right[n // 4 : n // 2] = 0.0
    left[10:20] = np.float32(1e-42)
    left[100] = np.nan
    right[200] = np.inf
    right[201] = -np.inf
    return np.stack([left, right])


def main() -> int:
    path = sys.argv[1]
    plugin = pedalboard.load_plugin(path)
    if plugin.name != "Earshot":
        print(f"unexpected plugin name {plugin.name!r}")
        return 1
    runs = 0
    for sample_rate in (44100.0, 48000.0):
        for buffer_size in (64, 441, 4096, 8192):
            audio = test_signal(sample_rate, 2.0, int(sample_rate) + buffer_size)
            out = plugin.process(audio, sample_rate, buffer_size=buffer_size, reset=True)
            if out.shape != audio.shape or out.dtype != np.float32:
                print(f"{sample_rate} Hz / {buffer_size}: shape {out.shape} {out.dtype}, want {audio.shape}")
                return 1
            same = out.view(np.uint32) == audio.view(np.uint32)
            finite = np.isfinite(audio)
            if not same[finite].all():
                bad = np.argwhere(~same & finite)[0]
                print(f"{sample_rate} Hz / {buffer_size}: sample {tuple(bad)} differs")
                return 1
            print(
                f"{sample_rate:.0f} Hz, blocks of {buffer_size}: {audio.shape[1]} frames bit-exact "
                f"({int(same[~finite].sum())}/{int((~finite).sum())} non-finite samples kept as sent)"
            )
            runs += 1
    print(f"{runs} runs passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
