"""Runs the built Earshot.vst3 in pedalboard (Spotify's JUCE-based host) and checks that audio
passes through bit-exact (subnormal samples flushed to zeros of their sign) at 44.1 and 48 kHz and
several block sizes, with Align MIDI off, on and off again. On, the plug-in reports the onset
latency, which pedalboard compensates; off, none. A change reaches the plug-in inside a processing
call (JUCE sends parameter changes with the audio), so that call keeps the old latency and its
alignment and asks for a restart, which pedalboard's next reset gives; from then on the new
latency holds.

Usage: python vst3_host.py PATH/TO/Earshot.vst3 LATENCY_AT_44100 LATENCY_AT_48000
(run by tests/tests/vst3_host.rs, which works the latencies out from the shipped weights).
Prints one line per run and exits non-zero on the first difference.
"""

import sys

import numpy as np
import pedalboard


def test_signal(sample_rate: float, seconds: float, seed: int) -> np.ndarray:
    """Stereo float32: noise, a sine, silence, subnormals of both signs, NaN and infinities."""
    rng = np.random.default_rng(seed)
    n = int(sample_rate * seconds)
    t = np.arange(n) / sample_rate
    left = rng.uniform(-1.0, 1.0, n).astype(np.float32)
    right = (0.8 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    right[n // 4 : n // 2] = 0.0
    left[10:20] = np.float32(1e-42)
    left[20:25] = np.float32(-1e-42)
    left[100] = np.nan
    right[200] = np.inf
    right[201] = -np.inf
    return np.stack([left, right])


def expected_output(audio: np.ndarray) -> np.ndarray:
    """The input with subnormal samples replaced by zeros of their sign."""
    subnormal = (audio != 0) & (np.abs(audio) < np.finfo(np.float32).tiny)
    return np.where(subnormal, np.copysign(np.float32(0), audio), audio).astype(np.float32)


def check_run(plugin, sample_rate: float, buffer_size: int, latencies: set, label: str) -> str:
    """Processes the test signal; returns an error, or "" when the reported latency is one of
    `latencies` and the output is the input, bit for bit, subnormals flushed."""
    audio = test_signal(sample_rate, 2.0, int(sample_rate) + buffer_size)
    out = plugin.process(audio, sample_rate, buffer_size=buffer_size, reset=True)
    latency = plugin.reported_latency_samples
    if latency not in latencies:
        return f"{label}: reported latency {latency}, want one of {sorted(latencies)}"
    if out.shape != audio.shape or out.dtype != np.float32:
        return f"{label}: shape {out.shape} {out.dtype}, want {audio.shape}"
    want = expected_output(audio)
    same = out.view(np.uint32) == want.view(np.uint32)
    finite = np.isfinite(audio)
    if not same[finite].all():
        bad = tuple(np.argwhere(~same & finite)[0])
        return f"{label}: sample {bad} is {out[bad]}, want {want[bad]}"
    print(
        f"{label}: latency {latency}, {audio.shape[1]} frames bit-exact "
        f"({int((want != audio).sum())} subnormals flushed, "
        f"{int(same[~finite].sum())}/{int((~finite).sum())} non-finite samples kept as sent)"
    )
    return ""


def main() -> int:
    path = sys.argv[1]
    latencies = {44100.0: int(sys.argv[2]), 48000.0: int(sys.argv[3])}
    plugin = pedalboard.load_plugin(path)
    if plugin.name != "Earshot":
        print(f"unexpected plugin name {plugin.name!r}")
        return 1
    runs = 0
    was_on = False
    for align in (False, True, False):
        plugin.align_midi_report_latency = align
        switch = f"Align MIDI {'on' if align else 'off'}"
        old, new = (latencies[44100.0] if on else 0 for on in (was_on, align))
        error = check_run(plugin, 44100.0, 512, {old, new}, f"{switch}, first call after the change")
        if error:
            print(error)
            return 1
        for sample_rate in (44100.0, 48000.0):
            want = latencies[sample_rate] if align else 0
            for buffer_size in (64, 441, 4096, 8192):
                label = f"{switch}, {sample_rate:.0f} Hz, blocks of {buffer_size}"
                error = check_run(plugin, sample_rate, buffer_size, {want}, label)
                if error:
                    print(error)
                    return 1
                runs += 1
        was_on = align
    print(f"{runs} runs passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
