"""`playground replay`: retrain a recorded playground run here and compare the losses with the recording."""

from __future__ import annotations

import json
import math

from ..cli import UsageError

NAME = "replay"
HELP = "retrain a recorded TensorFlow Playground run (trajectory JSON) and compare its losses"
TOLERANCE = 1e-9  # largest absolute loss difference that still counts as reproducing the recording


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE.json", help="a recording, as in tests/fixtures/reference/trajectories/ "
                        "or (K classes, softmax, cross-entropy) tests/fixtures/multiclass/")
    parser.add_argument("--engine", choices=("cpu", "numpy", "gpu"), default="numpy", help="backend (default numpy)")


def _json_number(value: float):
    return value if math.isfinite(value) else None  # JSON has no NaN or infinity


def run(args) -> int:
    import engine
    from engine.recordings import load_recording

    try:
        recording = load_recording(args.file)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    info = engine.backend_info(args.engine)
    if not info.available:
        raise UsageError(f"engine {args.engine!r} is not available: {info.reason}")
    try:
        losses = recording.replay(args.engine)
    except ValueError as exc:  # e.g. the device cannot compute in float64 (Apple MPS)
        raise UsageError(f"engine {args.engine!r} cannot replay {args.file}: {exc}") from None
    error = recording.loss_error(losses)
    print(json.dumps({
        "engine": args.engine,
        "epochs": [{"epoch": i, "loss": _json_number(loss)} for i, loss in enumerate(losses)],
        "max_abs_error": _json_number(error),
    }))
    return 0 if error <= TOLERANCE else 1
