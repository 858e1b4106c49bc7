"""`playground run`: build the experiment a playground link describes and train it headlessly."""

from __future__ import annotations

import json
import sys
import time

from ..errors import UsageError
from ..state import ENGINES

NAME = "run"
HELP = "train the experiment a playground link (URL or #hash) describes, without a browser"


def add_arguments(parser) -> None:
    parser.add_argument("--url", required=True, help="a playground.tensorflow.org link, or just its #hash")
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (default 100)")
    parser.add_argument("--engine", choices=ENGINES, help="backend (default: the link's, else numpy)")
    parser.add_argument("--format", choices=("json", "table"), default="table")


def _progress(done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} epochs, {rate:.0f}/s")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def train(url: str, epochs: int, engine_name: str | None, progress=None) -> dict:
    """The run's result as the JSON object the command prints."""
    from ..experiment import Experiment
    from ..lessons.links import lesson_name, read_link
    from ..lessons.progress import GoalTracker
    from ..state import ExperimentState

    lesson, values, warnings = read_link(url)  # `#lesson=NAME` starts that lesson, as the app does
    if engine_name:
        values["engine"] = engine_name
    experiment = Experiment(ExperimentState(**values))
    experiment.warnings[:0] = warnings
    tracker = GoalTracker(lesson.goal) if lesson is not None else None
    if tracker is not None:
        tracker.after_epoch(experiment)  # a goal met at the start counts (epoch 0)
    started = time.perf_counter()
    for done in range(1, epochs + 1):
        experiment.step()
        if tracker is not None:
            tracker.after_epoch(experiment)
        if progress and (done % 25 == 0 or done == epochs):
            progress(done, epochs, started)
    result = {
        "engine": experiment.model.backend_name,
        "warnings": experiment.warnings,
        "n_train": len(experiment.train),
        "n_test": len(experiment.test),
        "epochs": experiment.history,
    }
    if lesson is not None:
        result["lesson"] = {"name": lesson_name(lesson), "goal_met_at": tracker.reached_at}
    return result


def run(args) -> int:
    if args.epochs < 0:
        raise UsageError(f"--epochs must be >= 0, got {args.epochs}")
    if args.engine and args.engine != "auto":
        import engine

        info = engine.backend_info(args.engine)
        if not info.available:
            raise UsageError(f"engine {args.engine!r} is not available: {info.reason}")
    # The progress bar goes to stderr for table output of long runs; JSON output stays one clean object.
    long_run = args.format == "table" and args.epochs >= 200
    result = train(args.url, args.epochs, args.engine, _progress if long_run else None)
    if args.format == "json":
        print(json.dumps(result))
        return 0
    for warning in result["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"engine {result['engine']}, {result['n_train']} training and {result['n_test']} test points")
    if "lesson" in result:
        met = result["lesson"]["goal_met_at"]
        print(f"lesson {result['lesson']['name']}: goal " + (f"met at epoch {met}" if met is not None else "not met"))
    print(f"{'epoch':>6}  {'train loss':>12}  {'test loss':>12}")
    rows = result["epochs"]
    shown = rows if len(rows) <= 25 else rows[:: max(1, len(rows) // 20)] + [rows[-1]]
    for row in shown:
        print(f"{row['epoch']:>6}  {row['train_loss']:>12.6f}  {row['test_loss']:>12.6f}")
    return 0
