"""`playground export`: turn a playground link into a Jupyter notebook (and optionally its HTML page)."""

from __future__ import annotations

from pathlib import Path

from ..domain.state import AUTO_ENGINE, ENGINES
from ..errors import UsageError
from . import data_file
from .bounds import check_epochs
from .console import warn

NAME = "export"
HELP = "write a Jupyter notebook that rebuilds and trains a playground link step by step"


def add_arguments(parser) -> None:
    parser.add_argument("--url", required=True, help="a playground.tensorflow.org link, or just its #hash")
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (default 100, at most 1,000,000)")
    # Checked in run(), not with argparse choices, so a bad value is one line on stderr like other errors.
    parser.add_argument("--engine", help=f"backend: {', '.join(ENGINES)} (default: the link's, else numpy)")
    parser.add_argument("--out", required=True, help="the notebook to write (FILE.ipynb)")
    parser.add_argument("--html", help="also run the notebook and write it as a self-contained HTML page")
    parser.add_argument("--timeout", type=int, default=600, help="seconds each cell may run with --html")
    parser.add_argument("--standalone", action="store_true",
                        help="a notebook that needs only numpy and bokeh: data, network, training written out")
    parser.add_argument("--data", metavar="FILE.csv", help=data_file.HELP)


def _writable_file(option: str, value: str) -> Path:
    path = Path(value)
    if path.is_dir():
        raise UsageError(f"{option} {value!r} is a directory; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"{option} {value!r}: directory {str(path.parent)!r} does not exist")
    return path


def run(args) -> int:
    from ..export.notebook import ExportError, export

    check_epochs(args.epochs)
    if args.timeout < 1:
        raise UsageError(f"--timeout must be >= 1 second, got {args.timeout}")
    if args.engine is not None:
        if args.engine not in ENGINES:
            raise UsageError(f"unknown engine {args.engine!r}; choose one of {', '.join(ENGINES)}")
        if args.engine != AUTO_ENGINE:
            import engine

            info = engine.backend_info(args.engine)
            if not info.available:
                raise UsageError(f"engine {args.engine!r} is not available: {info.reason}")
    out = _writable_file("--out", args.out)
    html = _writable_file("--html", args.html) if args.html else None
    points = data_file.read_points(args.data, args.url) if args.data else None
    try:
        if args.standalone:
            from ..export.standalone_notebook import export_standalone

            nb = export_standalone(args.url, out, args.epochs, html, timeout=args.timeout, points=points)
        else:
            nb = export(args.url, out, args.epochs, args.engine, html, timeout=args.timeout, points=points)
    except ExportError as exc:
        raise UsageError(str(exc), 1) from None
    except OSError as exc:  # not a write (those name their file): e.g. the kernel could not start
        raise UsageError(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), 1) from None
    if args.standalone and args.engine not in (None, "numpy"):
        warn(f"--engine {args.engine} is not used: a standalone notebook computes with numpy "
             "(its losses equal `playground run --engine numpy`)")
    for warning in nb.metadata["playground"]["warnings"]:
        warn(warning)
    print(f"wrote {out}" + (f" and {html}" if html else ""))
    return 0
