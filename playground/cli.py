"""`playground` command line: one sub-command per module in `playground.commands`, found there by name.

Each command module defines `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`; a module there
without `NAME` is a helper the commands share, not a command.
Errors the user can fix are reported on stderr as one line with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from .errors import UsageError
from .server import tuning as server_tuning

__all__ = ["command_modules", "build_parser", "main"]


def command_modules() -> list:
    """The sub-command modules, by name. They import panel or torch only when run, so building the parser
    (every `playground ...` call) stays cheap."""
    from . import commands

    found = [importlib.import_module(f"playground.commands.{info.name}")
             for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda info: info.name)]
    return [module for module in found if hasattr(module, "NAME")]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="playground", description="TensorFlow Playground in Python.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in command_modules():
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
    except BrokenPipeError:  # the reader stopped early (`playground run ... | head`): not worth a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
        return 1


if __name__ == "__main__":
    sys.exit(main())
