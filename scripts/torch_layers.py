"""PyTorch twins of earshot-nn's layers, shared by nn_fixtures.py and bench_nn.py.

Conventions mirrored from earshot-nn: a frame is channels × bins (a plain vector is n channels
of one bin); convolutions and pooling over time are causal, with zeros before the first frame
(PyTorch: F.pad on the left of the time axis, then the layer with no time padding). Each layer
has `forward` over a whole (time, channels, bins) sequence, `step` over one (channels, bins)
frame with its state carried (how PyTorch would run it live, at batch 1), `reset`, and `write`
into an Earshot weight file (this module's own writer: an independent implementation of the
format documented in nn/src/format.rs).
"""

import json
import struct
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

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


def weight_file(task, channels, bins, layers, standardise, metadata=None):
    """The bytes of an Earshot weight file holding `layers` for input frames channels × bins."""
    w = Writer()
    w.text(task)
    w.text(frontend_json(channels, bins, standardise))
    metadata = metadata or {}
    w.u32(len(metadata))
    for key, value in metadata.items():
        w.text(key)
        w.text(value)
    w.u32(channels)
    w.u32(bins)
    w.u32(len(layers))
    for layer in layers:
        layer.write(w)
    return w.finish()


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

    def step(self, frame):
        return self.module(frame.reshape(1, -1)).reshape(-1, 1)

    def reset(self, shape):
        pass

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

    def step(self, frame):
        self.window = torch.cat([self.window[:, :, 1:], frame.reshape(1, -1, 1)], dim=2)
        return self.module(self.window).reshape(-1, 1)

    def reset(self, shape):
        m = self.module
        self.window = torch.zeros(1, m.in_channels, self.padding + 1, dtype=m.weight.dtype)

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

    def step(self, frame):
        self.window = torch.cat([self.window[:, :, 1:], frame[None, :, None, :]], dim=2)
        return self.module(self.window)[0, :, 0, :]

    def reset(self, shape):
        bins = shape[1]
        m = self.module
        self.window = torch.zeros(1, m.in_channels, m.kernel_size[0], bins, dtype=m.weight.dtype)

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

    def step(self, frame):
        self.window = torch.cat([self.window[:, :, 1:], frame[None, :, None, :]], dim=2)
        pool = F.max_pool2d if self.kind == "max" else F.avg_pool2d
        return pool(self.window, (self.time, self.freq), (1, self.freq_stride))[0, :, 0, :]

    def reset(self, shape):
        channels, bins = shape
        self.window = torch.zeros(1, channels, self.time, bins)

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
        d = x.dtype
        return F.batch_norm(x, self.mean.to(d), self.var.to(d), self.gamma.to(d),
                            self.beta.to(d), training=False, eps=self.eps)

    def step(self, frame):
        return self.forward(frame[None])[0]

    def reset(self, shape):
        pass

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

    def step(self, frame):
        return self.forward(frame[None])[0]

    def reset(self, shape):
        pass

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

    def step(self, frame):
        """One frame through a GRUCell/LSTMCell holding the same weights (the cheapest per-step
        API PyTorch has)."""
        x = frame.reshape(1, -1)
        if self.cell == "gru":
            self.state = self.step_cell(x, self.state)
            return self.state.reshape(-1, 1)
        self.state = self.step_cell(x, self.state)
        return self.state[0].reshape(-1, 1)

    def reset(self, shape):
        m = self.module
        cell = (nn.GRUCell if self.cell == "gru" else nn.LSTMCell)(m.input_size, m.hidden_size)
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(cell, name).copy_(getattr(m, name + "_l0"))
        self.step_cell = cell
        zeros = torch.zeros(1, m.hidden_size)
        self.state = zeros if self.cell == "gru" else (zeros, zeros.clone())

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


def reset_all(layers, channels, bins):
    """Resets every layer's streaming state for input frames of channels × bins."""
    x = torch.zeros(1, channels, bins)
    with torch.no_grad():
        for layer in layers:
            layer.reset(tuple(x.shape[1:]))
            x = layer.forward(x)


def step_all(layers, frame):
    """One (channels, bins) frame through every layer, state carried."""
    for layer in layers:
        frame = layer.step(frame)
    return frame
