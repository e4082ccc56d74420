"""PyTorch parity fixtures for earshot-nn.

Builds random-weight models of every layer kind and a few realistic stacks with PyTorch (the
layers in torch_layers.py), writes each as an Earshot weight file with an input sequence and
PyTorch's output for it into nn/tests/fixtures/. Run by hand:

    scripts/setup-reference-venv.sh torch
    target/torch-venv/bin/python scripts/nn_fixtures.py

The reference runs in float64 from the float32 weights and inputs, so the bound the Rust test
applies (1e-5 absolute) measures earshot-nn's own float32 rounding, not PyTorch's.
"""

import json
import pathlib
import zlib

import torch

from torch_layers import Act, BatchNorm, Conv1d, Conv2d, Dense, Pool, Recurrent, weight_file

OUT = pathlib.Path(__file__).resolve().parent.parent / "nn" / "tests" / "fixtures"


# ---- the fixtures -----------------------------------------------------------------------------

def models():
    """name -> (input channels, input bins, frames, input scale, layers, standardise)."""
    return {
        "dense_identity": (1, 16, 40, 1.0, [Dense(16, 8)], False),
        "dense_relu": (1, 40, 40, 1.0, [Dense(40, 32), Act("relu")], False),
        "dense_elu": (1, 40, 40, 1.0, [Dense(40, 32), Act("elu", 0.7)], True),
        "dense_tanh": (2, 12, 40, 1.0, [Dense(24, 16), Act("tanh")], False),
        "dense_sigmoid": (1, 40, 40, 1.0, [Dense(40, 16), Act("sigmoid")], False),
        "dense_softmax": (1, 40, 40, 2.0, [Dense(40, 25), Act("softmax")], False),
        "dense_batch_norm_relu": (1, 40, 40, 1.0,
                                  [Dense(40, 32), BatchNorm(32), Act("relu")], False),
        "batch_norm_alone": (3, 16, 40, 1.0,
                             [BatchNorm(3), Act("elu"), Dense(48, 8), Act("identity")], False),
        "conv1d": (1, 20, 40, 1.0, [Conv1d(20, 16, 3, 1), Act("relu")], False),
        "conv1d_dilated": (2, 10, 40, 1.0,
                           [Conv1d(20, 12, 3, 4), BatchNorm(12), Act("tanh")], False),
        "conv2d_same": (3, 40, 30, 1.0,
                        [Conv2d(3, 8, 3, 3, 1), BatchNorm(8), Act("relu")], False),
        "conv2d_valid": (1, 40, 30, 1.0, [Conv2d(1, 4, 7, 3, 0)], False),
        "conv2d_patches": (2, 6, 30, 1.0, [Conv2d(2, 3, 3, 4, 2), Act("tanh")], False),
        "conv2d_softmax": (2, 12, 30, 1.0, [Conv2d(2, 5, 2, 5, 2), Act("softmax")], False),
        "pool_max_freq": (2, 30, 30, 1.0,
                          [Conv2d(2, 4, 3, 3, 1), Pool("max", 1, 3, 3)], False),
        "pool_average_time": (3, 20, 30, 1.0, [Pool("average", 3, 2, 2)], False),
        "pool_max_time": (2, 10, 30, 1.0, [Pool("max", 4, 1, 1)], False),
        "gru_8": (1, 8, 60, 1.0, [Recurrent("gru", 8, 8)], False),
        "gru_80_64": (1, 80, 60, 1.0, [Recurrent("gru", 80, 64)], False),
        "gru_saturated": (1, 16, 60, 6.0, [Recurrent("gru", 16, 16)], False),
        "lstm_8": (1, 8, 60, 1.0, [Recurrent("lstm", 8, 8)], False),
        "lstm_40_32": (1, 40, 60, 1.0, [Recurrent("lstm", 40, 32)], False),
        "bigru_offline": (1, 16, 50, 1.0,
                          [Recurrent("gru", 16, 12, bidirectional=True), Dense(24, 4)], False),
        "bilstm_offline": (1, 16, 50, 1.0, [Recurrent("lstm", 16, 12, bidirectional=True)], False),
        # Realistic stacks.
        "cnn_onset": (3, 80, 40, 1.0, [
            Conv2d(3, 8, 7, 3, 1), BatchNorm(8), Act("relu"), Pool("max", 1, 3, 3),
            Conv2d(8, 16, 3, 3, 1), BatchNorm(16), Act("relu"), Pool("max", 1, 3, 3),
            Conv2d(16, 32, 5, 8, 0), Act("relu"),
            Dense(32, 1, gain=30), Act("sigmoid"),
        ], True),
        "gru_beat": (3, 80, 60, 1.0, [
            Dense(240, 32), Act("elu"),
            Recurrent("gru", 32, 32), Recurrent("gru", 32, 32),
            Dense(32, 1, gain=10), Act("sigmoid"),
        ], True),
        "dense_chroma": (1, 105, 40, 1.0, [
            Dense(105, 128), Act("relu"), Dense(128, 128), Act("relu"),
            Dense(128, 12, gain=20), Act("sigmoid"),
        ], True),
        "crnn_chord": (1, 84, 50, 1.0, [
            Conv2d(1, 8, 3, 3, 1), Act("elu"), Pool("max", 1, 4, 4),
            Dense(168, 32), Recurrent("lstm", 32, 24), Dense(24, 25, gain=15), Act("softmax"),
        ], False),
    }


def write_fixture(name, channels, bins, frames, scale, layers, standardise):
    generator = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    x = (torch.randn(frames, channels, bins, generator=generator) * scale).float()
    weights = weight_file(f"test:{name}", channels, bins, layers, standardise,
                          {"source": "scripts/nn_fixtures.py"})
    with torch.no_grad():
        y = x.double()
        for layer in layers:
            if hasattr(layer, "module"):
                layer.module.double()
            y = layer.forward(y)
            if hasattr(layer, "module"):
                layer.module.float()
    (OUT / f"{name}.esw").write_bytes(weights)
    (OUT / f"{name}.input.f32").write_bytes(x.numpy().astype("<f4").tobytes())
    (OUT / f"{name}.output.f32").write_bytes(y.numpy().astype("<f4").tobytes())
    offline = any(isinstance(l, Recurrent) and l.module.bidirectional for l in layers)
    return {"name": name, "frames": frames, "input_len": channels * bins,
            "output_len": int(y.shape[1] * y.shape[2]), "offline_only": offline}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(2026)
    manifest = [write_fixture(name, *spec) for name, spec in models().items()]
    (OUT / "manifest.json").write_text(json.dumps(
        {"torch": torch.__version__, "fixtures": manifest}, indent=1) + "\n")
    print(f"{len(manifest)} fixtures in {OUT}")


if __name__ == "__main__":
    main()
