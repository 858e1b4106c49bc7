"""`playground` command line: one sub-command per module in `playground.commands`, found there by name.

Each command module defines `NAME`, `HELP`, `add_arguments(parser)`, `run(args) -> int` and `EXAMPLES`
(command lines shown at the end of its `--help`); a module there without `NAME` is a helper the commands
share, not a command. Errors the user can fix are reported on stderr as one line with exit 2 (1 when the
work itself failed), never a traceback; Ctrl+C and SIGTERM stop a command with exit 130 and 143. Every line
printed goes through `safe_text.terminal_text` (docs/cli.md lists the conventions).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from . import __version__
from .errors import Interrupted, UsageError
from .safe_text import terminal_text
from .server import tuning as server_tuning

__all__ = ["command_modules", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse's parser, with its own errors (an unknown argument is echoed) shown as terminal text."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {terminal_text(message)}\n")


def command_modules() -> list:
    """The sub-command modules, by name. They import panel or torch only when run, so building the parser
    (every `playground ...` call) stays cheap."""
    from . import commands

    found = [importlib.import_module(f"playground.commands.{info.name}")
             for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda info: info.name)]
    return [module for module in found if hasattr(module, "NAME")]


def _epilog(examples: str) -> str | None:
    lines = examples.strip().splitlines()
    return f"example{'s' * (len(lines) > 1)}:\n" + "".join(f"  {line}\n" for line in lines) if lines else None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="playground", description="TensorFlow Playground in Python.",
                     epilog=_epilog("playground serve\nplayground lessons\nplayground run --url '#dataset=xor' "
                                    "--epochs 50\nplayground <command> --help"),
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in command_modules():
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP,
                             epilog=_epilog(getattr(module, "EXAMPLES", "")), formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(cmd)
        cmd.set_defaults(handler=module.run)
    return parser


def _run(args) -> int:
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        print(terminal_text(f"playground {args.command}: {exc}"), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt as exc:  # Interrupted (Ctrl+C or SIGTERM) or Python's own Ctrl+C
        stopped = exc if isinstance(exc, Interrupted) else Interrupted()
        print(f"playground {args.command}: stopped ({stopped.name})", file=sys.stderr)
        return stopped.code
    except BrokenPipeError:  # the reader stopped early (`playground run ... | head`): not worth a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
        return 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:
        server_tuning.set_environment()  # before the parser's imports load numpy
    args = build_parser().parse_args(argv)
    if args.command == "serve":  # the server stops the way Python and tornado stop it
        return _run(args)
    from .commands.stopping import handling_signals

    with handling_signals():
        return _run(args)


if __name__ == "__main__":
    sys.exit(main())
