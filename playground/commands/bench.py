"""`playground bench`: time the engine's backends against a numpy floor, PyTorch, scikit-learn and micrograd."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import atomic_write
from ..errors import UsageError
from .console import say
from .json_output import dumps

NAME = "bench"
HELP = "time the engine's backends (and numpy, PyTorch, scikit-learn, micrograd) on three workloads"
EXAMPLES = """
playground bench --quick
playground bench --out bench/
"""
MARKDOWN_FILE = "bench.md"
JSON_FILE = "bench.json"


def add_arguments(parser) -> None:
    parser.add_argument("--quick", action="store_true", help="fewer repeats and widths (under a minute)")
    parser.add_argument("--format", choices=("json", "markdown"), default="markdown",
                        help="markdown (the table, the crossover sweep and its plot) or json (the rows)")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help=f"also save {MARKDOWN_FILE} and the crossover plot, or {JSON_FILE}, in this folder "
                             "(default: print to stdout only, write no file)")


def _out_dir(text: str) -> Path:
    folder = Path(text)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {text!r} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {text!r}: cannot create the folder: {exc.strerror or exc}") from None
    return folder


def _progress(message: str) -> None:
    say(f"bench: {message}")


def run(args) -> int:
    folder = _out_dir(args.out) if args.out is not None else None
    from .. import benchmarks
    from ..benchmarks import config, crossover, report

    cfg = config.QUICK if args.quick else config.FULL
    markdown = args.format == "markdown"
    result = benchmarks.run(cfg, crossover=markdown, progress=_progress)
    if markdown:
        plot = None
        if folder is not None:
            try:
                plot = crossover.save_plot(result.crossover, folder, "playground bench: seconds per epoch against width")
            except OSError as exc:
                raise UsageError(f"cannot write the plot in {folder}: {exc.strerror or exc}", 1) from None
        text = report.to_markdown(result, plot)
        saved = folder / MARKDOWN_FILE if folder is not None else None
    else:
        text = dumps(report.to_json(result), indent=2) + "\n"
        saved = folder / JSON_FILE if folder is not None else None
    sys.stdout.write(text)
    if saved is None:
        if markdown:
            _progress("no file written; --out DIR saves the report and the crossover plot")
        return 0
    try:
        atomic_write.write_text(saved, text)
    except OSError as exc:
        raise UsageError(f"cannot write {saved}: {exc.strerror or exc}", 1) from None
    _progress(f"wrote {saved.resolve()}")
    return 0
