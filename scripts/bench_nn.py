"""earshot-nn against PyTorch stepping the same models frame by frame, in one run on this machine.

    target/torch-venv/bin/python scripts/bench_nn.py [STEPS]

Both run on one thread at batch 1, one frame per step with the state carried, as on an audio
thread: PyTorch through the layers' `step` in torch_layers.py (GRUCell/LSTMCell for recurrent
layers, a rolling window of frames for convolutions and pooling over time), under
`torch.inference_mode()`. The sizes follow RTNeural's benchmarks (dense, GRU, LSTM and
Conv1d layers of 8 to 64 units), then the realistic stacks of the parity fixtures. The models are
written to target/nn-bench/ and timed by `cargo run --release -p earshot-nn --example nn_speed`.
Prints a Markdown table of the best-of-five time per step and the ratio.
"""

import json
import pathlib
import subprocess
import sys
import time

import torch

from nn_fixtures import models as fixture_models
from torch_layers import Act, Conv1d, Conv2d, Dense, Recurrent, reset_all, step_all, weight_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "nn-bench"
STACKS = ["cnn_onset", "gru_beat", "dense_chroma", "crnn_chord"]


def bench_models():
    """name -> (input channels, input bins, layers)."""
    chosen = {}
    for n in (8, 16, 32, 64):
        chosen[f"dense_{n}"] = (1, n, [Dense(n, n), Act("tanh")])
    for n in (8, 16, 32, 64):
        chosen[f"gru_{n}"] = (1, n, [Recurrent("gru", n, n)])
    for n in (8, 16, 32, 64):
        chosen[f"lstm_{n}"] = (1, n, [Recurrent("lstm", n, n)])
    for n in (8, 16, 32, 64):
        chosen[f"conv1d_{n}_k3_d2"] = (1, n, [Conv1d(n, n, 3, 2)])
    chosen["conv2d_3x80_8ch_3x3"] = (3, 80, [Conv2d(3, 8, 3, 3, 1), Act("relu")])
    chosen["gru_80_to_64"] = (1, 80, [Recurrent("gru", 80, 64)])
    stacks = fixture_models()
    for name in STACKS:
        channels, bins, _, _, layers, _ = stacks[name]
        chosen[name] = (channels, bins, layers)
    return chosen


def time_pytorch(layers, channels, bins, steps):
    frames = [torch.randn(channels, bins) for _ in range(64)]
    best = float("inf")
    with torch.inference_mode():
        reset_all(layers, channels, bins)
        for i in range(200):
            step_all(layers, frames[i % 64])
        for _ in range(5):
            start = time.perf_counter()
            for i in range(steps):
                step_all(layers, frames[i % 64])
            best = min(best, time.perf_counter() - start)
    return best / steps * 1e9


def check_steps_match_forward(name, layers, channels, bins):
    """The PyTorch step path must compute what the parity-checked forward path does."""
    x = torch.randn(12, channels, bins)
    with torch.no_grad():
        whole = x
        for layer in layers:
            whole = layer.forward(whole)
        reset_all(layers, channels, bins)
        stepped = torch.stack([step_all(layers, frame) for frame in x])
    error = (whole - stepped).abs().max().item()
    assert error < 1e-5, f"{name}: PyTorch step and forward differ by {error}"


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    torch.set_num_threads(1)
    torch.manual_seed(7)
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = bench_models()
    pytorch = {}
    for name, (channels, bins, layers) in chosen.items():
        (OUT / f"{name}.esw").write_bytes(weight_file(f"bench:{name}", channels, bins, layers, False))
        check_steps_match_forward(name, layers, channels, bins)
        pytorch[name] = time_pytorch(layers, channels, bins, steps)
    command = ["cargo", "run", "--quiet", "--release", "-p", "earshot-nn", "--example", "nn_speed",
               "--", "--steps", str(steps * 10)] + [str(OUT / f"{n}.esw") for n in chosen]
    lines = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    earshot = {r["model"]: r["ns_per_step"] for r in map(json.loads, lines.splitlines())}
    print(f"torch {torch.__version__}, one thread; time per step (best of 5)\n")
    print("| model | earshot-nn | PyTorch | PyTorch / earshot-nn |")
    print("|---|---:|---:|---:|")
    for name in chosen:
        ours, theirs = earshot[name], pytorch[name]
        print(f"| {name} | {ours / 1000:.2f} µs | {theirs / 1000:.1f} µs | {theirs / ours:.0f}× |")


if __name__ == "__main__":
    main()
