"""`playground run`: build the experiment a playground link describes and train it headlessly.

Epochs are written out as they are trained, so a long run holds only the experiment's bounded history
(and, for the table, the rows it will print). When the loss stops being finite or the network collapses,
one warning line on stderr names the epoch; training goes on for the epochs asked for.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from ..domain.state import ENGINES
from . import data_file
from .bounds import check_epochs
from .console import numpy_quiet, warn
from .json_output import dumps

NAME = "run"
HELP = "train the experiment a playground link (URL or #hash) describes, without a browser"
TABLE_ROWS = 20  # a long run's table shows about this many epochs, evenly spaced, and always the last


def add_arguments(parser) -> None:
    parser.add_argument("--url", required=True, help="a playground.tensorflow.org link, or just its #hash")
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (default 100, at most 1,000,000)")
    parser.add_argument("--engine", choices=ENGINES, help="backend (default: the link's, else numpy)")
    parser.add_argument("--format", choices=("json", "table"), default="table")
    parser.add_argument("--data", metavar="FILE.csv", help=data_file.HELP)


def _progress(done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} epochs, {rate:.0f}/s")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class Run:
    """A run being trained: the experiment, and the open lesson's goal (a `#lesson=NAME` link)."""

    def __init__(self, experiment, lesson, tracker):
        self.experiment, self.lesson, self.tracker = experiment, lesson, tracker

    @property
    def lesson_result(self) -> dict | None:
        from ..lessons.links import lesson_name

        if self.lesson is None:
            return None
        return {"name": lesson_name(self.lesson), "goal_met_at": self.tracker.reached_at}


def train(url: str, epochs: int, engine_name: str | None, progress=None, points=None) -> dict:
    """The run's result as the JSON object the command prints (every epoch kept: for short runs and tests)."""
    entries: list[dict] = []
    run = stream(url, epochs, engine_name, entries.append, progress, points=points)
    experiment = run.experiment
    result = {"engine": experiment.model.backend_name, "warnings": experiment.warnings,
              "n_train": len(experiment.train), "n_test": len(experiment.test), "epochs": entries}
    if run.lesson is not None:
        result["lesson"] = run.lesson_result
    return result


def stream(url: str, epochs: int, engine_name: str | None, on_epoch: Callable[[dict], None], progress=None,
           on_start: Callable[[object], None] | None = None, points=None) -> Run:
    """Train `epochs` epochs; `on_epoch(entry)` gets epoch 0 and every epoch after, as they are trained.
    `points`: your own (n, 3) points (`--data`), trained on instead of the link's dataset."""
    from ..domain.experiment import Experiment
    from ..domain.state import ExperimentState
    from ..lessons.links import read_link
    from ..lessons.progress import GoalTracker

    lesson, values, link_warnings = read_link(url)  # `#lesson=NAME` starts that lesson, as the app does
    if engine_name:
        values["engine"] = engine_name
    if points is not None:
        values["dataset"] = "user"
    with numpy_quiet():  # a diverging run is said once, below
        experiment = Experiment(ExperimentState(**values), user_points=points)
        experiment.warnings[:0] = link_warnings
        if experiment.batch_note:  # the page says it under the batch size
            experiment.warnings.append(experiment.batch_note)
        run = Run(experiment, lesson, GoalTracker(lesson.goal) if lesson is not None else None)
        if run.tracker is not None:
            run.tracker.after_epoch(experiment)  # a goal met at the start counts (epoch 0)
        if on_start is not None:
            on_start(experiment)
        on_epoch(experiment.history[-1])
        started = time.perf_counter()
        warned = False
        for done in range(1, epochs + 1):
            experiment.step()
            if run.tracker is not None:
                run.tracker.after_epoch(experiment)
            on_epoch(experiment.history[-1])
            if not warned:
                found = experiment.diagnosis()
                if found is not None:
                    warn(found.warning)
                    warned = True
            if progress and (done % 25 == 0 or done == epochs):
                progress(done, epochs, started)
    return run


def _run_json(args) -> None:
    """One JSON object, written as it goes: the header, then each epoch (non-finite numbers as null)."""
    out = sys.stdout
    first = [True]

    def start(experiment) -> None:
        header = dumps({"engine": experiment.model.backend_name, "warnings": list(experiment.warnings),
                        "n_train": len(experiment.train), "n_test": len(experiment.test)})
        out.write(header[:-1] + ', "epochs": [')

    def epoch(entry: dict) -> None:
        out.write(("" if first[0] else ", ") + dumps(entry))
        first[0] = False

    run = stream(args.url, args.epochs, args.engine, epoch, on_start=start, points=args.points)
    lesson = run.lesson_result
    out.write("]" + (f', "lesson": {dumps(lesson)}' if lesson is not None else "") + "}\n")


def _run_table(args) -> None:
    stride = 1 if args.epochs < 25 else max(1, args.epochs // TABLE_ROWS)
    rows: list[dict] = []

    def start(experiment) -> None:
        for warning in experiment.warnings:
            warn(warning)

    def epoch(entry: dict) -> None:
        if entry["epoch"] % stride == 0 or entry["epoch"] == args.epochs:  # each epoch at most once
            rows.append(entry)

    # The progress bar goes to stderr for long runs; the table follows it.
    run = stream(args.url, args.epochs, args.engine, epoch, _progress if args.epochs >= 200 else None,
                 on_start=start, points=args.points)
    experiment, lesson = run.experiment, run.lesson_result
    print(f"engine {experiment.model.backend_name}, {len(experiment.train)} training and "
          f"{len(experiment.test)} test points")
    if lesson is not None:
        met = lesson["goal_met_at"]
        print(f"lesson {lesson['name']}: goal " + (f"met at epoch {met}" if met is not None else "not met"))
    print(f"{'epoch':>6}  {'train loss':>12}  {'test loss':>12}")
    for row in rows:
        print(f"{row['epoch']:>6}  {row['train_loss']:>12.6f}  {row['test_loss']:>12.6f}")


def run(args) -> int:
    check_epochs(args.epochs)
    if args.engine and args.engine != "auto":
        import engine

        from ..errors import UsageError

        info = engine.backend_info(args.engine)
        if not info.available:
            raise UsageError(f"engine {args.engine!r} is not available: {info.reason}")
    args.points = data_file.read_points(args.data, args.url) if args.data else None
    (_run_json if args.format == "json" else _run_table)(args)
    return 0
