"""`playground engines`: which engine backends work on this machine, and why not where they do not."""

from __future__ import annotations

from .json_output import dumps

NAME = "engines"
HELP = "list the engine backends and whether each is available here"
EXAMPLES = """
playground engines
playground engines --format json
"""


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=("json", "table"), default="table", help="output format (default table)")


def _table(rows: list[dict]) -> str:
    headers = ("engine", "available", "device / reason")
    lines = [(r["name"], "yes" if r["available"] else "no", r["device"] if r["available"] else r["reason"])
             for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers[:2])]
    out = []
    for cells in (headers, *lines):
        out.append(f"{cells[0]:<{widths[0]}}  {cells[1]:<{widths[1]}}  {cells[2]}".rstrip())
    return "\n".join(out)


def run(args) -> int:
    import engine

    rows = [info.as_dict() for info in engine.list_backends()]
    print(dumps(rows) if args.format == "json" else _table(rows))
    return 0
