"""`playground replay`: retrain a recorded playground run here and compare the losses with the recording."""

from __future__ import annotations

import math

from engine.recordings import MAX_FILE_BYTES

from ..domain.breakdown import CLI_DIVERGED
from ..domain.state import AUTO_ENGINE, ENGINES
from ..errors import UsageError
from .console import numpy_quiet, warn
from .json_output import print_json

NAME = "replay"
HELP = "retrain a recorded TensorFlow Playground run (trajectory JSON) and compare its losses"
EXAMPLES = """
playground replay recording.json --engine cpu
"""
TOLERANCE = 1e-9  # largest absolute loss difference that still counts as reproducing the recording


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.json",
                        help="a recording of the real playground training a network: its config, the points, every "
                             "neuron's initial and final weights and the loss after each epoch (JSON, at most "
                             f"{MAX_FILE_BYTES // 2**20} MB)")
    parser.add_argument("--engine", choices=ENGINES, default="numpy",
                        help=f"backend (default numpy; {AUTO_ENGINE} picks by model size)")


def run(args) -> int:
    import engine
    from engine.recordings import load_recording

    try:
        recording = load_recording(args.file)  # its errors name the file
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    name = engine.backends.resolve_name(args.engine)  # a recording's network is small: auto is numpy
    info = engine.backend_info(name)
    if not info.available:
        raise UsageError(f"engine {name!r} is not available: {info.reason}")
    try:
        with numpy_quiet():  # a diverging run is said once, below
            losses = recording.replay(name)
    except ValueError as exc:  # e.g. the device cannot compute in float64 (Apple MPS)
        raise UsageError(f"engine {name!r} cannot replay {args.file}: {exc}") from None
    diverged = next((i for i, loss in enumerate(losses) if not math.isfinite(loss)), None)
    if diverged is not None:
        what = "NaN" if math.isnan(losses[diverged]) else "infinite"
        warn(CLI_DIVERGED.format(epoch=diverged, what=what))
    error = recording.loss_error(losses)
    print_json({
        "engine": name,
        "epochs": [{"epoch": i, "loss": loss} for i, loss in enumerate(losses)],
        "max_abs_error": error,
    })
    return 0 if error <= TOLERANCE else 1
