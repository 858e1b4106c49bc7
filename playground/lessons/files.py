"""Lessons: a title, a short text, starting settings, hidden controls and a goal that can be checked.

A lesson is a TOML file in ``assets/lessons/`` (``NN-name.toml``, ordered by NN)::

    title = "Feature crosses"
    text = '''Markdown shown beside the playground.'''
    hide = ["numHiddenLayers"]            # controls to hide (link key names)
    link = "#dataset=xor&networkShape=&seed=1"   # the start as a link ...
    [settings]                            # ... or as a table of the same keys (not both)
    dataset = "xor"
    networkShape = []
    [goal]                                # every condition must hold at once, within the epoch budget
    within_epochs = 100
    no_hidden_layers = true
    test_loss_below = 0.05
    [reference]                           # a solution: changes to the start, and epochs it needs
    epochs = 100
    settings = { xTimesY = true }

Settings go through the same reader as links (``links.parse_link``), so a lesson says exactly what a link
can; anything the reader would only warn about is an error here, naming the file and the field.
``Goal.check(experiment)`` is cheap (last history entry, one accuracy pass) so the app can call it after
every frame; tests call it after every headless epoch.
"""

from __future__ import annotations

import copy
import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import links
from ..domain.experiment import Experiment
from ..domain.state import HIDABLE_CONTROLS, ExperimentState
from ..resources import asset
from .goals import CONDITIONS, Goal, GoalStatus, LessonError, suggestion, whole_count

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 needs the backport (`tomli; python_version<'3.11'`)
    import tomli as tomllib

__all__ = ["LESSONS_DIR", "CONDITIONS", "Lesson", "Goal", "GoalStatus", "LessonError", "load_lesson",
           "list_lessons", "lesson_files"]

LESSONS_DIR = asset("lessons")  # `assets/lessons/`, shipped in the package (see playground/resources.py)
DEFAULT_SEED = "1"  # lessons are reproducible: every student sees the same data unless the file says otherwise
_TOP_KEYS = {"title", "text", "hide", "link", "settings", "goal", "reference"}


# ---------------------------------------------------------------- settings (link keys)

def _setting_text(key: str, value, where: str) -> str:
    """One TOML value as the raw text a link would carry, type-checked for its key."""
    kind = links.KEYS[key][1]
    if kind == "bool":
        if not isinstance(value, bool):
            raise LessonError(f"{where} must be true or false, got {value!r}")
        return "true" if value else "false"
    if kind == "shape":
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(n, int) and not isinstance(n, bool) for n in value):
            return ",".join(str(n) for n in value)
        raise LessonError(f"{where} must be a list of layer sizes, e.g. [4, 2] ([] for none), got {value!r}")
    if kind in ("int", "rate", "noise"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise LessonError(f"{where} must be a number, got {value!r}")
        return links.js_number_to_string(value)
    if kind == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return links.js_number_to_string(value)  # `seed = 0.5` reads like the link's seed=0.5
    if not isinstance(value, str):
        raise LessonError(f"{where} must be text, got {value!r}")
    return value


def _settings_from_table(table, where: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise LessonError(f"{where} must be a table of playground link keys")
    raw = {}
    for key, value in table.items():
        if key not in links.KEYS:
            raise LessonError(f"{where}: unknown setting {key!r}{suggestion(key, links.KEYS)}")
        raw[key] = _setting_text(key, value, f"{where}.{key}")
    return raw


def _settings_from_link(link, where: str) -> tuple[dict[str, str], list[str]]:
    """A link's keys as raw text; `<control>_hide=true` parts come back as hidden controls."""
    if not isinstance(link, str):
        raise LessonError(f"{where} must be a playground link or #hash, got {link!r}")
    hash_part = link.split("#", 1)[1] if "#" in link else link
    raw, hidden = {}, []
    for part in filter(None, hash_part.split("&")):
        key, _, value = part.partition("=")
        if key.endswith("_hide"):
            if value == "true":
                hidden.append(key[: -len("_hide")])
            continue
        if key not in links.KEYS:
            raise LessonError(f"{where}: unknown key {key!r}{suggestion(key, links.KEYS)}")
        raw[key] = value
    return raw, hidden


def _hidden(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise LessonError(f"{where} must be a list of control names, e.g. [\"dataset\", \"noise\"]")
    for name in value:
        if name not in HIDABLE_CONTROLS:
            raise LessonError(f"{where}: {name!r} is not a control that can be hidden{suggestion(name, HIDABLE_CONTROLS)}"
                              f"; these can: {', '.join(HIDABLE_CONTROLS)}")
    return list(dict.fromkeys(value))


def _state_values(raw: dict[str, str], hidden: list[str], where: str) -> dict[str, Any]:
    """Raw link texts -> ExperimentState values, through the link reader; its warnings are errors here."""
    raw = {"seed": DEFAULT_SEED, **raw}
    values, warnings = links.parse_link("&".join(f"{k}={v}" for k, v in raw.items()))
    if warnings:
        raise LessonError(f"{where}: {warnings[0]}")
    values["hidden"] = hidden
    return values


# ---------------------------------------------------------------- lessons

@dataclass(frozen=True)
class Reference:
    """A known solution: link-key changes to the start, and the epochs it is given to reach the goal."""
    changes: dict[str, str]
    epochs: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Lesson:
    path: Path
    number: int | None
    title: str
    text: str
    values: dict[str, Any]  # ExperimentState values of the start (hidden controls included)
    raw_settings: dict[str, str] = field(repr=False)  # the start's link keys as written
    goal: Goal
    reference: Reference

    @property
    def hidden(self) -> list[str]:
        return list(self.values["hidden"])

    def state(self, **overrides) -> ExperimentState:
        # Copies: the app edits its state's lists (network shape, hidden) and must not edit the lesson.
        return ExperimentState(**copy.deepcopy({**self.values, **overrides}))

    def link(self) -> str:
        """The start as a playground hash (without '#'), hidden controls as `<control>_hide=true`."""
        return links.to_hash(self.state())

    def experiment(self, **overrides) -> Experiment:
        """A fresh headless experiment at the lesson's start (overrides: state values, e.g. engine)."""
        return Experiment(self.state(**overrides))

    def reference_experiment(self, **overrides) -> Experiment:
        return Experiment(ExperimentState(**copy.deepcopy({**self.reference.values, **overrides})))

    def check_reference(self, **overrides) -> int | None:
        """Train the reference solution headless; the epoch its goal is first met, or None."""
        return self.goal.first_met(self.reference_experiment(**overrides), self.reference.epochs)


def _number_in_name(path: Path) -> int | None:
    match = re.match(r"\d+", path.stem)
    return int(match.group()) if match else None


def load_lesson(path) -> Lesson:
    path = Path(path)
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LessonError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise LessonError(f"{name}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{name}: not valid TOML: {exc}") from None
    for key in data:
        if key not in _TOP_KEYS:
            raise LessonError(f"{name}: unknown field {key!r}{suggestion(key, _TOP_KEYS)}")
    for key in ("title", "text"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise LessonError(f"{name}: {key} is missing or empty")
    if ("link" in data) == ("settings" in data):
        raise LessonError(f"{name}: give the starting settings as either link or [settings], not "
                          f"{'both' if 'link' in data else 'neither'}")
    if "link" in data:
        where = f"{name}: link"
        raw, hidden = _settings_from_link(data["link"], where)
    else:
        where = f"{name}: settings"
        raw, hidden = _settings_from_table(data["settings"], where), []
    hidden = _hidden(hidden, f"{name}: link") + _hidden(data.get("hide", []), f"{name}: hide")
    hidden = list(dict.fromkeys(hidden))
    values = _state_values(raw, hidden, where)
    if "goal" not in data:
        raise LessonError(f"{name}: [goal] is missing")
    goal = Goal.from_table(data["goal"], f"{name}: goal")
    reference = _reference(data.get("reference"), raw, hidden, goal, name)
    return Lesson(path, _number_in_name(path), data["title"].strip(), data["text"].strip(), values, raw,
                  goal, reference)


def _reference(table, raw: dict[str, str], hidden: list[str], goal: Goal, name: str) -> Reference:
    where = f"{name}: reference"
    if not isinstance(table, dict):
        raise LessonError(f"{where} is missing: every lesson needs a worked solution ([reference])")
    unknown = set(table) - {"settings", "epochs"}
    if unknown:
        key = sorted(unknown)[0]
        raise LessonError(f"{where}: unknown field {key!r}{suggestion(key, ['settings', 'epochs'])}")
    epochs = whole_count(table.get("epochs"), f"{where}.epochs")
    if epochs > goal.within_epochs:
        raise LessonError(f"{where}.epochs ({epochs}) is more than goal.within_epochs ({goal.within_epochs})")
    changes = _settings_from_table(table.get("settings", {}), f"{where}.settings")
    values = _state_values({**raw, **changes}, hidden, f"{where}.settings")
    return Reference(changes, epochs, values)


def lesson_files(directory=None) -> list[Path]:
    """Lesson files, ordered by the number their name starts with (unnumbered last, by name)."""
    directory = Path(directory) if directory is not None else LESSONS_DIR
    files = [p for p in directory.glob("*.toml") if p.is_file()]
    return sorted(files, key=lambda p: (_number_in_name(p) is None, _number_in_name(p) or 0, p.name))


def list_lessons(directory=None) -> list[Lesson]:
    """Every lesson of `directory`, each file read again only once it changed (a served page lists them all:
    reading twelve files is about a tenth of building a page)."""
    lessons = []
    for path in lesson_files(directory):
        try:
            stat = path.stat()
        except OSError:
            lessons.append(load_lesson(path))  # says why it cannot be read
            continue
        lessons.append(_loaded(path, stat.st_mtime_ns, stat.st_size))
    return lessons


@functools.lru_cache(maxsize=256)
def _loaded(path: Path, _mtime_ns: int, _size: int) -> Lesson:
    """`load_lesson(path)` for this version of the file (a Lesson is frozen; its users copy its values)."""
    return load_lesson(path)
