"""`playground export`: turn a playground link into a Jupyter notebook (and optionally its HTML page)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .. import DISTRIBUTION
from ..domain.state import AUTO_ENGINE, ENGINES
from ..errors import UsageError
from ..export.errors import ExportError, ExportFailed
from ..safe_text import terminal_text
from . import data_file
from .bounds import check_epochs, check_link
from .console import StatusLine, warn

NAME = "export"
HELP = "write a Jupyter notebook that rebuilds and trains a playground link step by step"
EXAMPLES = """
playground export --url '#dataset=xor&networkShape=4,2&seed=0.5' --epochs 200 --out xor.ipynb
playground export --url '#dataset=spiral' --out spiral.ipynb --html spiral.html --timeout 300
playground export --standalone --url '#dataset=circle' --out circle.ipynb
"""
# What export imports that a base install lacks (the `notebook` extra): nbformat to write a notebook;
# nbclient, jupyter_client and ipykernel to run it; nbconvert (with jinja2) to make its HTML page.
NOTEBOOK_MODULES = {"nbformat", "nbclient", "nbconvert", "jupyter_client", "jupyter_core", "ipykernel", "jinja2",
                    "zmq"}


def add_arguments(parser) -> None:
    parser.add_argument("--url", required=True, help="a playground.tensorflow.org link, or just its #hash")
    parser.add_argument("--epochs", type=int, default=100, help="epochs to train (default 100, at most 1,000,000)")
    # Checked in run(), not with argparse choices, so a bad value is one line on stderr like other errors.
    parser.add_argument("--engine", help=f"backend: {', '.join(ENGINES)} (default: the link's, else numpy)")
    parser.add_argument("--out", required=True, help="the notebook to write (FILE.ipynb)")
    parser.add_argument("--html", help="also run the notebook and write it as a self-contained HTML page")
    parser.add_argument("--timeout", type=int, default=600,
                        help="with --html: seconds the notebook may run, for each cell and in all, the kernel's "
                             "start included (default 600); past it the kernel is stopped and no page written")
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


def _check_engine(name: str | None) -> None:
    if name is None:
        return
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
    if name != AUTO_ENGINE:
        import engine

        info = engine.backend_info(name)
        if not info.available:
            raise UsageError(f"engine {name!r} is not available: {info.reason}")


def _missing_notebook_package(html: bool) -> str | None:
    """The first notebook package this export needs and cannot import (checked before any work)."""
    for name in ("nbformat", *(("nbclient", "nbconvert", "ipykernel") if html else ())):
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except ImportError:
            return name
    return None


def _packages_missing(name: str) -> UsageError:
    return UsageError(f"the notebook packages are not installed (no module {name}); install them with "
                      f"pip install '{DISTRIBUTION}[notebook]'")


def _export(args, out: Path, html: Path | None, points, status: StatusLine):
    from ..export.notebook import build_notebook, write_notebook

    status("building the notebook")
    if args.standalone:
        from ..export.standalone_notebook import build_standalone_notebook

        nb = build_standalone_notebook(args.url, args.epochs, points)
    else:
        nb = build_notebook(args.url, args.epochs, args.engine, points)
    return write_notebook(nb, out, html, timeout=args.timeout, status=status)


def run(args) -> int:
    check_epochs(args.epochs)
    check_link(args.url)
    if args.timeout < 1:
        raise UsageError(f"--timeout must be >= 1 second, got {args.timeout}")
    _check_engine(args.engine)
    out = _writable_file("--out", args.out)
    html = _writable_file("--html", args.html) if args.html else None
    missing = _missing_notebook_package(html is not None)
    if missing is not None:
        raise _packages_missing(missing)
    points = data_file.read_points(args.data, args.url) if args.data else None
    try:
        with StatusLine("export") as status:
            nb = _export(args, out, html, points, status)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in NOTEBOOK_MODULES:
            raise
        raise _packages_missing(exc.name) from None
    except ExportError as exc:  # the link (exit 2), or as ExportFailed: running or writing (exit 1)
        raise UsageError(str(exc), 1 if isinstance(exc, ExportFailed) else 2) from None
    except OSError as exc:  # not a write (those name their file): e.g. the kernel could not start
        raise UsageError(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""), 1) from None
    if args.standalone and args.engine not in (None, "numpy"):
        warn(f"--engine {args.engine} is not used: a standalone notebook computes with numpy "
             "(its losses equal `playground run --engine numpy`)")
    for warning in nb.metadata["playground"]["warnings"]:
        warn(warning)
    print(terminal_text(f"wrote {out}" + (f" and {html}" if html else "")))
    return 0
