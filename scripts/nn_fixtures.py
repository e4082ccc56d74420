"""PyTorch parity fixtures for earshot-nn.

Builds random-weight models of every layer kind and a few realistic stacks with PyTorch, writes
each as an Earshot weight file (by this script's own writer: an independent implementation of
the format documented in nn/src/format.rs), with an input sequence and PyTorch's output for it,
into nn/tests/fixtures/. Run by hand:

    scripts/setup-reference-venv.sh torch
    target/torch-venv/bin/python scripts/nn_fixtures.py

Conventions mirrored from earshot-nn: a frame is channels × bins (a plain vector is n channels
of one bin); convolutions and pooling over time are causal, with zeros before the first frame
(PyTorch: F.pad on the left of the time axis, then the layer with no time padding).

The reference runs in float64 from the float32 weights and inputs, so the bound the Rust test
applies (1e-5 absolute) measures earshot-nn's own float32 rounding, not PyTorch's.
"""

import json
import pathlib
import struct
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

OUT = pathlib.Path(__file__).resolve().parent.parent / "nn" / "tests" / "fixtures"
SAMPLE_RATE, HOP = 44100, 441


# ---- the weight-file writer -------------------------------------------------------------------

class Writer:
    def __init__(self):
        self.data = bytearray(b"EARSHOTW")
        self.u32(1)

    def u32(self, value):
        self.data += struct.pack("<I", value)

    def f32(self, value):
        self.data += struct.pack("<f", value)

    def text(self, value):
        raw = value.encode("utf-8")
        self.u32(len(raw))
        self.data += raw

    def tensor(self, values):
        flat = np.ascontiguousarray(values.detach().numpy() if torch.is_tensor(values) else values,
                                    dtype="<f4").ravel()
        self.u32(flat.size)
        self.data += flat.tobytes()

    def finish(self):
        self.u32(zlib.crc32(bytes(self.data)) & 0xFFFFFFFF)
        return bytes(self.data)


def frontend_json(channels, bins, standardise):
    """A frontend whose frame is `channels` mel streams of `bins` bands each."""
    streams = [{
        "frame_size": 1024 << (c % 3) if bins <= 512 else 2048,
        "spectrum": "Power",
        "filterbank": {"Mel": {"bands": bins, "fmin": 0.0, "fmax": 16000.0,
                               "scale": "Slaney", "norm": "Slaney"}},
        "compression": {"Log1p": {"lambda": 1.0}},
        "difference": None,
    } for c in range(channels)]
    config = {"sample_rate": SAMPLE_RATE, "hop_length": HOP, "streams": streams,
              "standardisation": None}
    if standardise:
        rng = np.random.default_rng(channels * 1000 + bins)
        n = channels * bins
        config["standardisation"] = {
            "mean": [float(np.float32(v)) for v in rng.normal(0, 1, n)],
            "std": [float(np.float32(v)) for v in rng.uniform(0.5, 2, n)],
        }
    return json.dumps(config)


# ---- layers: each maps a (time, channels, bins) sequence and writes itself ---------------------

def as_image(x):
    """(T, C, F) -> (1, C, T, F)."""
    return x.permute(1, 0, 2).unsqueeze(0)


def from_image(y):
    """(1, C, T, F) -> (T, C, F)."""
    return y[0].permute(1, 0, 2)


def vectors(y):
    """(T, n) -> (T, n, 1)."""
    return y.unsqueeze(2)


class Dense:
    def __init__(self, inputs, units, gain=1.0):
        self.module = nn.Linear(inputs, units)
        with torch.no_grad():  # a gain > 1 spreads a deep stack's outputs over their range
            self.module.weight.mul_(gain)

    def forward(self, x):
        return vectors(self.module(x.reshape(x.shape[0], -1)))

    def write(self, w):
        w.u32(1)
        w.u32(self.module.out_features)
        w.tensor(self.module.weight)
        w.tensor(self.module.bias)


class Conv1d:
    def __init__(self, inputs, outputs, kernel, dilation):
        self.module = nn.Conv1d(inputs, outputs, kernel, dilation=dilation)
        self.padding = (kernel - 1) * dilation

    def forward(self, x):
        sequence = x.reshape(x.shape[0], -1).T.unsqueeze(0)  # (1, in, T)
        y = self.module(F.pad(sequence, (self.padding, 0)))
        return vectors(y[0].T)

    def write(self, w):
        m = self.module
        w.u32(2)
        for v in (m.out_channels, m.kernel_size[0], m.dilation[0]):
            w.u32(v)
        w.tensor(m.weight)
        w.tensor(m.bias)


class Conv2d:
    def __init__(self, inputs, outputs, kernel_time, kernel_freq, freq_padding):
        self.module = nn.Conv2d(inputs, outputs, (kernel_time, kernel_freq),
                                padding=(0, freq_padding))

    def forward(self, x):
        kernel_time = self.module.kernel_size[0]
        return from_image(self.module(F.pad(as_image(x), (0, 0, kernel_time - 1, 0))))

    def write(self, w):
        m = self.module
        w.u32(3)
        for v in (m.out_channels, m.kernel_size[0], m.kernel_size[1], m.padding[1]):
            w.u32(v)
        w.tensor(m.weight)
        w.tensor(m.bias)


class Pool:
    def __init__(self, kind, time, freq, freq_stride):
        self.kind, self.time, self.freq, self.freq_stride = kind, time, freq, freq_stride

    def forward(self, x):
        padded = F.pad(as_image(x), (0, 0, self.time - 1, 0))
        pool = F.max_pool2d if self.kind == "max" else F.avg_pool2d
        return from_image(pool(padded, (self.time, self.freq), (1, self.freq_stride)))

    def write(self, w):
        w.u32(4)
        for v in (0 if self.kind == "max" else 1, self.time, self.freq, self.freq_stride):
            w.u32(v)


class BatchNorm:
    """Inference-mode batch norm with random running statistics."""

    def __init__(self, channels):
        self.eps = 1e-5
        self.mean = torch.randn(channels) * 0.5
        self.var = torch.rand(channels) * 1.5 + 0.5
        self.gamma = torch.rand(channels) + 0.5
        self.beta = torch.randn(channels) * 0.2

    def forward(self, x):
        return F.batch_norm(x, self.mean.double(), self.var.double(), self.gamma.double(),
                            self.beta.double(), training=False, eps=self.eps)

    def write(self, w):
        w.u32(5)
        w.f32(self.eps)
        for t in (self.mean, self.var, self.gamma, self.beta):
            w.tensor(t)


ACTIVATIONS = {"identity": 0, "relu": 1, "elu": 2, "tanh": 3, "sigmoid": 4, "softmax": 5}


class Act:
    def __init__(self, name, alpha=1.0):
        self.name, self.alpha = name, alpha

    def forward(self, x):
        return {
            "identity": lambda: x,
            "relu": lambda: F.relu(x),
            "elu": lambda: F.elu(x, self.alpha),
            "tanh": lambda: torch.tanh(x),
            "sigmoid": lambda: torch.sigmoid(x),
            "softmax": lambda: torch.softmax(x, dim=1),
        }[self.name]()

    def write(self, w):
        w.u32(6)
        w.u32(ACTIVATIONS[self.name])
        w.f32(self.alpha if self.name == "elu" else 0.0)


class Recurrent:
    def __init__(self, cell, inputs, hidden, bidirectional=False):
        kind = nn.GRU if cell == "gru" else nn.LSTM
        self.cell = cell
        self.module = kind(inputs, hidden, batch_first=True, bidirectional=bidirectional)

    def forward(self, x):
        y, _ = self.module(x.reshape(x.shape[0], -1).unsqueeze(0))
        return vectors(y[0])

    def write(self, w):
        m = self.module
        w.u32(7)
        w.u32(0 if self.cell == "gru" else 1)
        w.u32(m.hidden_size)
        suffixes = ["_l0", "_l0_reverse"] if m.bidirectional else ["_l0"]
        w.u32(len(suffixes))
        for suffix in suffixes:
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                w.tensor(getattr(m, name + suffix))


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
    w = Writer()
    w.text(f"test:{name}")
    w.text(frontend_json(channels, bins, standardise))
    w.u32(1)
    w.text("source")
    w.text("scripts/nn_fixtures.py")
    w.u32(channels)
    w.u32(bins)
    w.u32(len(layers))
    for layer in layers:
        layer.write(w)
    with torch.no_grad():
        y = x.double()
        for layer in layers:
            if hasattr(layer, "module"):
                layer.module.double()
            y = layer.forward(y)
            if hasattr(layer, "module"):
                layer.module.float()
    (OUT / f"{name}.esw").write_bytes(w.finish())
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
