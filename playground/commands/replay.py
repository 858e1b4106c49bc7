"""`playground replay`: retrain a recorded playground run here and compare the losses with the recording."""

from __future__ import annotations

import json
import math

from ..errors import UsageError
from ..state import AUTO_ENGINE, ENGINES

NAME = "replay"
HELP = "retrain a recorded TensorFlow Playground run (trajectory JSON) and compare its losses"
TOLERANCE = 1e-9  # largest absolute loss difference that still counts as reproducing the recording


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.json", help="a recording, as in tests/fixtures/reference/trajectories/ "
                        "or (K classes, softmax, cross-entropy) tests/fixtures/multiclass/")
    parser.add_argument("--engine", choices=ENGINES, default="numpy",
                        help=f"backend (default numpy; {AUTO_ENGINE} picks by model size)")


def _json_number(value: float):
    return value if math.isfinite(value) else None  # JSON has no NaN or infinity


def run(args) -> int:
    import engine
    from engine.recordings import load_recording

    try:
        recording = load_recording(args.file)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    name = engine.backends.resolve_name(args.engine)  # a recording's network is small: auto is numpy
    info = engine.backend_info(name)
    if not info.available:
        raise UsageError(f"engine {name!r} is not available: {info.reason}")
    try:
        losses = recording.replay(name)
    except ValueError as exc:  # e.g. the device cannot compute in float64 (Apple MPS)
        raise UsageError(f"engine {name!r} cannot replay {args.file}: {exc}") from None
    error = recording.loss_error(losses)
    print(json.dumps({
        "engine": name,
        "epochs": [{"epoch": i, "loss": _json_number(loss)} for i, loss in enumerate(losses)],
        "max_abs_error": _json_number(error),
    }))
    return 0 if error <= TOLERANCE else 1
