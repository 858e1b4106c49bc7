"""How `playground replay`'s loading grows with a recording's depth: a deep chain of one-neuron layers.

Writes two recordings, one 10x deeper than the other, and times reading and validating each
(`engine.recordings.load_recording`) and the whole command (`playground replay`, in this process). Linear
validation gives a ratio near 10 between the two; a step that scans every neuron once per layer gives
near 100. Prints seconds and ratios (run it with `uptime` beside it: machines here differ by 2x and more).

    .venv/bin/python scripts/bench_replay_load.py [--layers 12000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import time
from pathlib import Path

from engine.recordings import load_recording
from playground.cli import main


def deep_recording(layers: int) -> dict:
    """A recording of `layers` one-neuron tanh layers, trained for no epoch."""
    neurons = [{"layer": 1, "bias": 0.1, "weights": [0.1, -0.1]}]
    neurons += [{"layer": layer, "bias": 0.1, "weights": [0.5]} for layer in range(2, layers + 2)]
    return {
        "config": {"name": f"deep_{layers}", "hidden": [1] * layers, "activation": "tanh",
                   "output_activation": "tanh", "regularization": "none", "regularization_rate": 0,
                   "batch_size": 1, "learning_rate": 0.03, "epochs": 0},
        "points": [[0.5, -0.5, 1], [-0.5, 0.5, -1]],
        "initial": neurons, "final": neurons, "epochs": [{"epoch": 0, "loss": 0.5}],
    }


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def replay_quietly(path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["replay", str(path)])


def main_(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=12_000, help="depth of the deeper recording")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load: {os.getloadavg()[0]:.2f} (1-minute average)")
    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for layers in (args.layers // 10, args.layers):
            path = Path(folder) / f"deep_{layers}.json"
            path.write_text(json.dumps(deep_recording(layers)))
            load = best_of(args.repeats, lambda path=path: load_recording(path))
            replay = best_of(args.repeats, lambda path=path: replay_quietly(path))
            rows.append((layers, path.stat().st_size, load, replay))
            print(f"{layers:>7} layers, {path.stat().st_size / 1e6:5.2f} MB: load {load:8.3f} s, "
                  f"playground replay {replay:8.3f} s")
    (_, _, load_small, replay_small), (_, _, load_big, replay_big) = rows
    print(f"ratio 10x deeper: load {load_big / load_small:.1f}x, replay {replay_big / replay_small:.1f}x "
          "(linear: about 10)")


if __name__ == "__main__":
    main_()
