"""`playground lessons`: the lessons this copy ships (name, title, epoch budget, goal), so a teacher sees
what a class can open with `playground serve --lesson NAME` or `#lesson=NAME`."""

from __future__ import annotations

from ..errors import UsageError
from .json_output import dumps

NAME = "lessons"
HELP = "list the lessons that ship (name, title, epoch budget and goal)"
EXAMPLES = """
playground lessons
playground serve --lesson 01-linear-boundary
"""


def add_arguments(parser) -> None:
    parser.add_argument("--format", choices=("json", "table"), default="table", help="output format (default table)")


def rows() -> list[dict]:
    from ..lessons import LessonError, list_lessons
    from ..lessons.links import lesson_name

    try:
        lessons = list_lessons()
    except LessonError as exc:
        raise UsageError(f"a lesson file is broken: {exc}", code=1) from None
    return [{"name": lesson_name(lesson), "title": lesson.title, "epochs": lesson.goal.within_epochs,
             "goal": lesson.goal.describe(), "conditions": dict(lesson.goal.conditions)} for lesson in lessons]


def _table(found: list[dict]) -> str:
    headers = ("name", "title", "epochs", "goal")
    lines = [(r["name"], r["title"], str(r["epochs"]), r["goal"]) for r in found]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers[:3])]
    return "\n".join(f"{c[0]:<{widths[0]}}  {c[1]:<{widths[1]}}  {c[2]:>{widths[2]}}  {c[3]}".rstrip()
                     for c in (headers, *lines))


def run(args) -> int:
    found = rows()
    if not found:
        raise UsageError("no lessons found: this copy was installed without its assets", code=1)
    print(dumps(found, ensure_ascii=False) if args.format == "json" else _table(found))
    return 0
