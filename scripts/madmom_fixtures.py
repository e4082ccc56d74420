"""Writes the reference fixture of earshot-dsp's logarithmic filterbank: madmom's
`LogarithmicFilterbank` weights for a few frame sizes, rates and grids, for the unit test in
dsp/src/filterbank.rs to compare against.

Run by hand (never in CI), after scripts/setup-madmom-venv.sh:
    target/madmom-venv/bin/python scripts/madmom_fixtures.py
Output: dsp/tests/fixtures/madmom_logarithmic.json (each band as its first non-zero bin and its
non-zero run of float32 weights).
"""

import json
from pathlib import Path

import numpy as np
from madmom.audio.filters import LogarithmicFilterbank
from madmom.audio.stft import fft_frequencies

OUT = Path(__file__).resolve().parent.parent / "dsp" / "tests" / "fixtures"

# (sample rate, frame size, bands per octave, fmin, fmax): madmom's defaults, the onset
# streams' range at three sizes, madmom's online onset grid, a 48 kHz case, and a small frame
# at 22.05 kHz with the grid up to Nyquist.
CASES = [
    (44100, 1024, 12, 30.0, 17000.0),
    (44100, 1024, 12, 27.5, 16000.0),
    (44100, 2048, 12, 27.5, 16000.0),
    (44100, 4096, 12, 27.5, 16000.0),
    (44100, 2048, 6, 30.0, 17000.0),
    (48000, 4096, 24, 60.0, 8000.0),
    (22050, 512, 12, 100.0, 11025.0),
]


def bands(matrix: np.ndarray) -> list:
    """Each column of a bins × bands matrix as [first non-zero bin, its non-zero run]."""
    out = []
    for column in matrix.T.astype(np.float32):
        nonzero = np.flatnonzero(column)
        first, last = nonzero[0], nonzero[-1] + 1
        out.append([int(first), [float(w) for w in column[first:last]]])
    return out


def main() -> None:
    cases = []
    for sample_rate, frame_size, per_octave, fmin, fmax in CASES:
        bins = fft_frequencies(frame_size // 2, sample_rate)
        bank = LogarithmicFilterbank(bins, num_bands=per_octave, fmin=fmin, fmax=fmax,
                                     norm_filters=True, unique_filters=False)
        cases.append({
            "sample_rate": sample_rate,
            "frame_size": frame_size,
            "bands_per_octave": per_octave,
            "fmin": fmin,
            "fmax": fmax,
            "bands": bands(np.asarray(bank)),
        })
    path = OUT / "madmom_logarithmic.json"
    path.write_text(json.dumps({"madmom": "0.16.1", "cases": cases}))
    print(f"wrote {path}: {', '.join(str(len(c['bands'])) + ' bands' for c in cases)}")


if __name__ == "__main__":
    main()
