"""Writes the reference fixtures of earshot-dsp: deterministic test signals and what librosa
computes from them, for the Rust tests in dsp/tests/librosa_fixtures.rs to compare against.

Run by hand (never in CI), after scripts/setup-reference-venv.sh:
    target/reference-venv/bin/python scripts/dsp_fixtures.py
Output: dsp/tests/fixtures/manifest.json and little-endian float32 files beside it.
"""

import json
from pathlib import Path

import librosa
import numpy as np
import scipy.signal

SR = 44100
HOP = 441
SECONDS = 0.3
OUT = Path(__file__).resolve().parent.parent / "dsp" / "tests" / "fixtures"


def signals() -> dict:
    n = int(SR * SECONDS)
    t = np.arange(n) / SR
    rng = np.random.default_rng(1234)

    def note(freq, start, length, harmonics=6):
        y = np.zeros(n)
        s, e = int(start * SR), min(n, int((start + length) * SR))
        tt = np.arange(e - s) / SR
        for h in range(1, harmonics + 1):
            y[s:e] += np.sin(2 * np.pi * freq * h * tt) / h * np.exp(-tt * (3 + h))
        return y

    chord = sum(note(librosa.note_to_hz(p), 0.0, SECONDS) for p in ("C4", "E4", "G4")) / 3
    melody = [("A3", 0.00), ("C#4", 0.06), ("E4", 0.12), ("A4", 0.18), ("E5", 0.24)]
    music = sum(note(librosa.note_to_hz(p), s, 0.2) for p, s in melody)
    kick = np.zeros(n)
    for s in (0.0, 0.15):
        i = int(s * SR)
        k = np.arange(min(n - i, 4000)) / SR
        kick[i : i + len(k)] = np.sin(2 * np.pi * (60 + 100 * np.exp(-k * 40)) * k) * np.exp(-k * 25)
    return {
        "sine": 0.5 * np.sin(2 * np.pi * 440.0 * t),
        "sweep": 0.5 * scipy.signal.chirp(t, f0=50.0, t1=SECONDS, f1=16000.0, method="logarithmic"),
        "chord": 0.8 * chord,
        "noise": 0.3 * rng.uniform(-1.0, 1.0, n),
        "music": 0.4 * music + 0.5 * kick,
    }


def stream(frame_size, spectrum, filterbank="None", compression="None", difference=None):
    """One StreamConfig as earshot-dsp's serde JSON."""
    return {
        "frame_size": frame_size,
        "spectrum": spectrum,
        "filterbank": filterbank,
        "compression": compression,
        "difference": difference,
    }


def mel_fb(bands, fmin, fmax, scale, norm):
    return {"Mel": {"bands": bands, "fmin": fmin, "fmax": fmax, "scale": scale, "norm": norm}}


def stft(y, n_fft, power):
    return np.abs(librosa.stft(y, n_fft=n_fft, hop_length=HOP, window="hann", center=True, pad_mode="constant")) ** power


def melspec(y, n_fft, power, **kw):
    return librosa.feature.melspectrogram(
        y=y, sr=SR, n_fft=n_fft, hop_length=HOP, power=power, center=True, pad_mode="constant", **kw
    )


FEATURES = {
    "stft_magnitude_1024": (
        stream(1024, "Magnitude"),
        lambda y: stft(y, 1024, 1.0),
    ),
    "mel_power_2048_slaney": (
        stream(2048, "Power", mel_fb(80, 27.5, 16000.0, "Slaney", "Slaney")),
        lambda y: melspec(y, 2048, 2.0, n_mels=80, fmin=27.5, fmax=16000.0, htk=False, norm="slaney"),
    ),
    "mel_magnitude_4096_htk_log1p": (
        stream(4096, "Magnitude", mel_fb(40, 30.0, 17000.0, "Htk", "None"), {"Log1p": {"lambda": 1.0}}),
        lambda y: np.log1p(1.0 * melspec(y, 4096, 1.0, n_mels=40, fmin=30.0, fmax=17000.0, htk=True, norm=None)),
    ),
    "mel_power_1024_db": (
        stream(1024, "Power", mel_fb(64, 0.0, 22050.0, "Slaney", "Slaney"), {"Decibels": {"amin": 1e-10}}),
        lambda y: librosa.power_to_db(melspec(y, 1024, 2.0, n_mels=64, fmin=0.0, fmax=22050.0), ref=1.0, amin=1e-10, top_db=None),
    ),
    "chroma_4096": (
        stream(4096, "Power", {"Chroma": {"bins": 12, "tuning": 0.0}}),
        lambda y: librosa.feature.chroma_stft(
            y=y, sr=SR, n_fft=4096, hop_length=HOP, tuning=0.0, norm=np.inf, center=True, pad_mode="constant"
        ),
    ),
    "superflux_2048": (
        stream(
            2048,
            "Magnitude",
            mel_fb(80, 27.5, 16000.0, "Slaney", "Slaney"),
            {"Log1p": {"lambda": 10.0}},
            {"lag": 1, "max_size": 3},
        ),
        # Per band (channel boundaries 0..=80 make each band its own channel): librosa's
        # onset_strength_multi gives max(0, S[t] - maxfilter(S)[t - lag]) per band.
        lambda y: librosa.onset.onset_strength_multi(
            S=np.log1p(10.0 * melspec(y, 2048, 1.0, n_mels=80, fmin=27.5, fmax=16000.0)),
            lag=1,
            max_size=3,
            detrend=False,
            center=False,
            channels=np.arange(81),
        ),
    ),
}


def cqt_feature(fmin_note, bins, bins_per_octave, frame_size):
    """A constant-Q stream and librosa's CQT magnitudes, with fmin rounded to float32 exactly
    as the Rust config stores it."""
    fmin = float(np.float32(librosa.note_to_hz(fmin_note)))
    config = stream(
        frame_size,
        "Magnitude",
        {"ConstantQ": {"fmin": fmin, "bins": bins, "bins_per_octave": bins_per_octave}},
    )
    return config, lambda y: np.abs(
        librosa.cqt(
            y, sr=SR, hop_length=HOP, fmin=fmin, n_bins=bins, bins_per_octave=bins_per_octave,
            tuning=0.0, pad_mode="constant",
        )
    )


FEATURES["cqt_c1_12bpo"] = cqt_feature("C1", 84, 12, 32768)
FEATURES["cqt_a1_24bpo"] = cqt_feature("A1", 120, 24, 32768)


def write(name: str, array: np.ndarray) -> str:
    path = OUT / f"{name}.f32"
    np.ascontiguousarray(array, dtype="<f4").tofile(path)
    return path.name


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.f32"):
        old.unlink()
    entries = []
    for signal_name, y in signals().items():
        y = y.astype(np.float32)
        signal_file = write(f"signal_{signal_name}", y)
        for feature_name, (config, reference) in FEATURES.items():
            values = np.asarray(reference(y), dtype=np.float64).T  # frames x dims
            entries.append(
                {
                    "signal": signal_file,
                    "feature": feature_name,
                    "config": {"sample_rate": SR, "hop_length": HOP, "streams": [config]},
                    "frames": values.shape[0],
                    "dims": values.shape[1],
                    "values": write(f"{signal_name}__{feature_name}", values),
                }
            )
    manifest = {"librosa": librosa.__version__, "numpy": np.__version__, "sample_rate": SR, "entries": entries}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(entries)} fixtures to {OUT}")


if __name__ == "__main__":
    main()
