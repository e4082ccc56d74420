"""madmom's onset detectors over audio files, for the README's onset comparison: the offline
CNN (as madmom's CNNOnsetDetector program runs it) and the online, causal RNN (as its
OnsetDetectorLL program runs it), each with its program's default peak picking.

Usage: onsets_madmom.py OUT_DIR FILE...
  writes OUT_DIR/madmom-cnn/STEM.onsets.txt and OUT_DIR/madmom-online/STEM.onsets.txt
Run with target/madmom-venv/bin/python (scripts/setup-madmom-venv.sh).
"""
import pathlib
import sys

from madmom.features.onsets import (CNNOnsetProcessor, OnsetPeakPickingProcessor,
                                    RNNOnsetProcessor)

FPS = 100


def detectors():
    # CNNOnsetDetector's defaults.
    cnn = (CNNOnsetProcessor(), OnsetPeakPickingProcessor(
        threshold=0.54, smooth=0.05, pre_max=0.01, post_max=0.01, combine=0.03, fps=FPS))
    # OnsetDetectorLL's defaults: causal network and causal peak picking.
    online = (RNNOnsetProcessor(online=True), OnsetPeakPickingProcessor(
        threshold=0.23, smooth=0.0, pre_avg=0.0, pre_max=0.01, post_max=0.0, combine=0.03,
        fps=FPS, online=True))
    return {"madmom-cnn": cnn, "madmom-online": online}


def main():
    out = pathlib.Path(sys.argv[1])
    systems = detectors()
    for name in systems:
        (out / name).mkdir(parents=True, exist_ok=True)
    for path in map(pathlib.Path, sys.argv[2:]):
        for name, (network, picker) in systems.items():
            picker.reset()
            times = picker(network(str(path)))
            (out / name / f"{path.stem}.onsets.txt").write_text(
                "".join(f"{t:.3f}\n" for t in times))


if __name__ == "__main__":
    main()
