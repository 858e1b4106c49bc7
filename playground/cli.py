"""`playground` command line: one sub-command per module in `playground.commands`.

Each command module defines `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`.
Errors the user can fix are reported on stderr as one line with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import server_tuning
from .errors import UsageError

# Sub-command modules, imported lazily so `playground engines` does not pay for panel or torch.
COMMANDS = ("replay", "engines", "bench", "run", "serve", "export", "lessons")

__all__ = ["COMMANDS", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="playground", description="TensorFlow Playground in Python.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"playground.commands.{name}")
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:
        server_tuning.set_environment()  # before the parser's imports load numpy
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        print(f"playground {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
