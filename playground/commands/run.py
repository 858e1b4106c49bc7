"""`playground run`: build the experiment a playground link describes and train it headlessly.

Epochs are written out as they are trained, so a long run holds only the experiment's bounded history
(and, for the table, the rows it will print). When the loss stops being finite or the network collapses,
one warning line on stderr names the epoch; training goes on for the epochs asked for. The output names
the seed and the whole link the run used (a link without `seed` gets a fresh one), so `--url LINK` repeats
it exactly. Stopped by Ctrl+C or SIGTERM, the JSON is closed with what was trained (`"interrupted": true`)
and the table shows the epochs so far.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..domain.state import ENGINES
from ..errors import Interrupted, UsageError
from ..safe_text import terminal_text
from . import data_file
from .bounds import check_epochs, check_link
from .console import numpy_quiet, progress_bar, warn
from .json_output import dumps
from .stopping import held

NAME = "run"
HELP = "train the experiment a playground link (URL or #hash) describes, without a browser"
EXAMPLES = """
playground run --url '#dataset=xor&networkShape=4,2&seed=0.5' --epochs 200
playground run --url '#lesson=03-hidden-layers' --format json > run.json
"""
TABLE_ROWS = 20  # a long run's table shows about this many epochs, evenly spaced, and always the last
NO_POINTS = ("no points to train on: dataset 'user' is your own points, which a link cannot carry; give them "
             "with --data FILE.csv")


def add_arguments(parser) -> None:
    parser.add_argument("--url", required=True, help="a playground.tensorflow.org link, or just its #hash "
                        "(`playground lessons` lists the lessons a '#lesson=NAME' link opens)")
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (default 100, at most 1,000,000)")
    parser.add_argument("--engine", choices=ENGINES, help="backend (default: the link's, else numpy)")
    parser.add_argument("--format", choices=("json", "table"), default="table")
    parser.add_argument("--data", metavar="FILE.csv", help=data_file.HELP)


class Run:
    """A run being trained: the experiment, the open lesson's goal (a `#lesson=NAME` link), and the link
    that repeats it (every setting, the seed included)."""

    def __init__(self, experiment, lesson, tracker):
        from ..domain.links import to_hash
        from ..lessons.links import with_lesson

        self.experiment, self.lesson, self.tracker = experiment, lesson, tracker
        self.link = "#" + with_lesson(to_hash(experiment.state), lesson)
        self.seed = experiment.state.seed

    @property
    def lesson_result(self) -> dict | None:
        from ..lessons.links import lesson_name

        if self.lesson is None:
            return None
        return {"name": lesson_name(self.lesson), "goal_met_at": self.tracker.reached_at}

    def header(self) -> dict:
        """What the JSON says before its epochs."""
        experiment = self.experiment
        return {"engine": experiment.model.backend_name, "seed": self.seed, "link": self.link,
                "warnings": list(experiment.warnings), "n_train": len(experiment.train),
                "n_test": len(experiment.test)}


def train(url: str, epochs: int, engine_name: str | None, progress=None, points=None) -> dict:
    """The run's result as the JSON object the command prints (every epoch kept: for short runs and tests)."""
    entries: list[dict] = []
    run = stream(url, epochs, engine_name, entries.append, progress, points=points)
    result = {**run.header(), "epochs": entries}
    if run.lesson is not None:
        result["lesson"] = run.lesson_result
    return result


def stream(url: str, epochs: int, engine_name: str | None, on_epoch: Callable[[dict], None], progress=None,
           on_start: Callable[[Run], None] | None = None, points=None) -> Run:
    """Train `epochs` epochs; `on_epoch(entry)` gets epoch 0 and every epoch after, as they are trained;
    `progress`, a tqdm bar, is advanced once per epoch. `points`: your own (n, 3) points (`--data`), trained
    on instead of the link's dataset."""
    from ..domain.experiment import Experiment
    from ..domain.state import ExperimentState
    from ..lessons.progress import GoalTracker

    lesson, values, link_warnings = check_link(url)  # `#lesson=NAME` starts that lesson, as the app does
    if engine_name:
        values["engine"] = engine_name
    if points is not None:
        values["dataset"] = "user"
    with numpy_quiet():  # a diverging run is said once, below
        experiment = Experiment(ExperimentState(**values), user_points=points)
        experiment.warnings[:0] = link_warnings
        if not len(experiment.train):
            experiment.warnings.append(NO_POINTS)
        elif experiment.batch_note:  # the page says it under the batch size
            experiment.warnings.append(experiment.batch_note)
        run = Run(experiment, lesson, GoalTracker(lesson.goal) if lesson is not None else None)
        if run.tracker is not None:
            run.tracker.after_epoch(experiment)  # a goal met at the start counts (epoch 0)
        if on_start is not None:
            on_start(run)
        on_epoch(experiment.history[-1])
        warned = False
        for _ in range(epochs):
            experiment.step()
            if run.tracker is not None:
                run.tracker.after_epoch(experiment)
            on_epoch(experiment.history[-1])
            if not warned:
                found = experiment.diagnosis()
                if found is not None:
                    warn(found.warning)
                    warned = True
            if progress is not None:
                progress.update(1)
    return run


def _run_json(args) -> None:
    """One JSON object, written as it goes: the header, then each epoch (non-finite numbers as null).

    Each piece is written whole (`held`): stopped by a signal, the object is closed after the last epoch
    written, marked `"interrupted": true`; stopped before the header, nothing is written.
    """
    out = sys.stdout
    started = [False, True]  # header written, next epoch is the first

    def write(text: str) -> None:
        with held():
            out.write(text)

    def start(run: Run) -> None:
        write(dumps(run.header())[:-1] + ', "epochs": [')
        started[0] = True

    def epoch(entry: dict) -> None:
        write(("" if started[1] else ", ") + dumps(entry))
        started[1] = False

    with progress_bar(args.epochs, "epochs") as bar:
        try:
            run = stream(args.url, args.epochs, args.engine, epoch, bar, on_start=start, points=args.points)
        except Interrupted:
            if started[0]:
                write('], "interrupted": true}\n')
            raise
    lesson = run.lesson_result
    write("]" + (f', "lesson": {dumps(lesson)}' if lesson is not None else "") + "}\n")


def _print_table(run: Run | None, rows: list[dict]) -> None:
    if run is None:
        return
    experiment, lesson = run.experiment, run.lesson_result
    print(f"engine {experiment.model.backend_name}, {len(experiment.train)} training and "
          f"{len(experiment.test)} test points")
    print(terminal_text(f"seed {run.seed}"))
    print(terminal_text(f"link {run.link}"))
    if lesson is not None:
        met = lesson["goal_met_at"]
        print(f"lesson {lesson['name']}: goal " + (f"met at epoch {met}" if met is not None else "not met"))
    print(f"{'epoch':>6}  {'train loss':>12}  {'test loss':>12}")
    for row in rows:
        print(f"{row['epoch']:>6}  {row['train_loss']:>12.6f}  {row['test_loss']:>12.6f}")


def _run_table(args) -> None:
    stride = 1 if args.epochs < 25 else max(1, args.epochs // TABLE_ROWS)
    rows: list[dict] = []
    started: list[Run] = []

    def start(run: Run) -> None:
        started.append(run)
        for warning in run.experiment.warnings:
            warn(warning)

    last: list[dict] = []

    def epoch(entry: dict) -> None:
        if entry["epoch"] % stride == 0 or entry["epoch"] == args.epochs:  # each epoch at most once
            rows.append(entry)
        last[:] = [entry]

    try:
        with progress_bar(args.epochs, "epochs") as bar:  # on stderr; the table follows it on stdout
            stream(args.url, args.epochs, args.engine, epoch, bar, on_start=start, points=args.points)
    except Interrupted:
        if last and rows and rows[-1] is not last[0]:
            rows.append(last[0])  # the table ends with the last epoch trained
        with held():
            _print_table(started[0] if started else None, rows)
        raise
    _print_table(started[0], rows)


def run(args) -> int:
    check_epochs(args.epochs)
    check_link(args.url)  # refused before any work (stream reads it again: cheap)
    if args.engine and args.engine != "auto":
        import engine

        info = engine.backend_info(args.engine)
        if not info.available:
            raise UsageError(f"engine {args.engine!r} is not available: {info.reason}")
    args.points = data_file.read_points(args.data, args.url) if args.data else None
    (_run_json if args.format == "json" else _run_table)(args)
    return 0
