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
import difflib
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import links
from .experiment import Experiment
from .features import FEATURES, STATE_PARAM
from .state import HIDABLE_CONTROLS, ExperimentState

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 needs the backport (`tomli; python_version<'3.11'`)
    import tomli as tomllib

__all__ = ["LESSONS_DIR", "CONDITIONS", "Lesson", "Goal", "GoalStatus", "LessonError", "load_lesson",
           "list_lessons", "lesson_files"]

LESSONS_DIR = Path(__file__).resolve().parents[1] / "assets" / "lessons"
DEFAULT_SEED = "1"  # lessons are reproducible: every student sees the same data unless the file says otherwise
DIVERGED_LOSS = 100.0  # labels are within [-1, 1], so a mean 0.5·err² this large means the weights blew up
_TOP_KEYS = {"title", "text", "hide", "link", "settings", "goal", "reference"}


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and the field."""


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ---------------------------------------------------------------- goal conditions

def _number(v, where):
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise LessonError(f"{where} must be a number, got {v!r}")
    return float(v)


def _positive(v, where):
    v = _number(v, where)
    if v <= 0:
        raise LessonError(f"{where} must be greater than 0, got {v:g}")
    return v


def _fraction(v, where):
    v = _number(v, where)
    if not 0 < v <= 1:
        raise LessonError(f"{where} must be a fraction between 0 and 1 (e.g. 0.95), got {v:g}")
    return v


def _count(v, where):
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise LessonError(f"{where} must be a whole number of at least 1, got {v!r}")
    return v


def _true(v, where):
    if v is not True:
        raise LessonError(f"{where} can only be true (leave it out otherwise), got {v!r}")
    return True


def _inputs(v, where):
    if not isinstance(v, list) or not v or not all(isinstance(s, str) for s in v):
        raise LessonError(f"{where} must be a list of input names, e.g. [\"x\", \"y\"]")
    for name in v:
        if name not in FEATURES:
            raise LessonError(f"{where}: unknown input {name!r}{_suggest(name, FEATURES)}; "
                              f"inputs are {', '.join(FEATURES)}")
    return list(v)


def _losses(exp: Experiment) -> tuple[float, float]:
    last = exp.history[-1] if exp.history else None
    return (last["train_loss"], last["test_loss"]) if last else exp.losses()


def _fmt(x: float) -> str:
    return f"{x:.4g}" if math.isfinite(x) and abs(x) < 1000 else f"{x:.3g}"


def _test_loss_below(exp, value):
    loss = _losses(exp)[1]
    return loss < value, f"test loss {_fmt(loss)} (goal: below {value:g})"


def _train_loss_below(exp, value):
    loss = _losses(exp)[0]
    return loss < value, f"training loss {_fmt(loss)} (goal: below {value:g})"


def _accuracy_above(exp, value):
    accuracy = exp.accuracy()
    if accuracy is None:
        return False, "accuracy needs a classification problem"
    test = accuracy[1]
    return test > value, f"test accuracy {test:.1%} (goal: above {value:.0%})"


def _no_hidden_layers(exp, _value):
    n = len(exp.state.network_shape)
    return n == 0, "no hidden layers" if n == 0 else f"{n} hidden layer{'s' * (n > 1)} (goal: none)"


def _min_epochs(exp, value):
    return exp.epoch >= value, f"epoch {exp.epoch} (goal: train at least {value} epochs)"


def _allowed_inputs(exp, value):
    used = [name for name in FEATURES if getattr(exp.state, STATE_PARAM[name])]
    extra = [name for name in used if name not in value]
    if extra:
        return False, f"uses {', '.join(extra)} (goal: only {', '.join(value)})"
    return True, f"inputs: only {', '.join(used) or 'none'}"


def _dead_links_at_least(exp, value):
    dead = sum(int(mask.sum()) for mask in exp.trainer.dead_links())
    return dead >= value, f"{dead} dead link{'s' * (dead != 1)} (goal: at least {value})"


def _loss_increases(exp, _value):
    start, now = exp.history[0]["train_loss"], _losses(exp)[0]
    went_up = exp.epoch > 0 and not now <= start  # NaN counts as up
    return went_up, f"training loss {_fmt(now)}, started at {_fmt(start)} (goal: higher than at the start)"


def _diverges(exp, _value):
    loss = _losses(exp)[0]
    blown = not loss < DIVERGED_LOSS  # also true for NaN and infinity
    return blown, f"training loss {_fmt(loss)} (goal: blow up past {DIVERGED_LOSS:g})"


# kind -> (validator, check(experiment, value) -> (met, text), is an outcome rather than a constraint)
CONDITIONS = {
    "test_loss_below": (_positive, _test_loss_below, True),
    "train_loss_below": (_positive, _train_loss_below, True),
    "accuracy_above": (_fraction, _accuracy_above, True),
    "dead_links_at_least": (_count, _dead_links_at_least, True),
    "loss_increases": (_true, _loss_increases, True),
    "diverges": (_true, _diverges, True),
    "no_hidden_layers": (_true, _no_hidden_layers, False),
    "allowed_inputs": (_inputs, _allowed_inputs, False),
    "min_epochs": (_count, _min_epochs, False),  # the result must still hold this late (no early stopping)
}


@dataclass(frozen=True)
class GoalStatus:
    met: bool
    progress: str  # one line for the app: every condition with ✓/✗, then the epoch budget
    out_of_epochs: bool = False  # the budget is spent: reset (or change settings) and try again


@dataclass(frozen=True)
class Goal:
    within_epochs: int
    conditions: tuple[tuple[str, Any], ...]  # (kind, value), in file order

    @classmethod
    def from_table(cls, table, where: str) -> Goal:
        if not isinstance(table, dict):
            raise LessonError(f"{where} must be a table of conditions ([goal])")
        if "within_epochs" not in table:
            raise LessonError(f"{where}.within_epochs is missing: how many epochs the student gets")
        within = _count(table["within_epochs"], f"{where}.within_epochs")
        conditions = []
        for kind, value in table.items():
            if kind == "within_epochs":
                continue
            if kind not in CONDITIONS:
                raise LessonError(f"{where}: unknown condition {kind!r}{_suggest(kind, CONDITIONS)}; "
                                  f"known: {', '.join(CONDITIONS)}")
            conditions.append((kind, CONDITIONS[kind][0](value, f"{where}.{kind}")))
        if dict(conditions).get("min_epochs", 0) > within:
            raise LessonError(f"{where}.min_epochs is more than {where}.within_epochs: the goal can never be met")
        if not any(CONDITIONS[kind][2] for kind, _ in conditions):
            outcomes = [k for k, (_v, _c, outcome) in CONDITIONS.items() if outcome]
            raise LessonError(f"{where} needs something to reach, one of: {', '.join(outcomes)}")
        return cls(within, tuple(conditions))

    def check(self, experiment: Experiment) -> GoalStatus:
        results = [CONDITIONS[kind][1](experiment, value) for kind, value in self.conditions]
        epoch = experiment.epoch
        over = epoch > self.within_epochs
        parts = [f"{'✓' if ok else '✗'} {text}" for ok, text in results]
        budget = f"epoch {epoch} of {self.within_epochs}"
        if over:
            budget += ": out of epochs, press reset and try again"
        met = not over and all(ok for ok, _ in results)
        return GoalStatus(met, " · ".join(parts + [budget]), over)

    def first_met(self, experiment: Experiment, epochs: int | None = None) -> int | None:
        """Train headless, checking after every epoch; the first epoch the goal is met, or None."""
        limit = self.within_epochs if epochs is None else min(epochs, self.within_epochs)
        while True:
            if self.check(experiment).met:
                return experiment.epoch
            if experiment.epoch >= limit:
                return None
            experiment.step()


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
            raise LessonError(f"{where}: unknown setting {key!r}{_suggest(key, links.KEYS)}")
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
            raise LessonError(f"{where}: unknown key {key!r}{_suggest(key, links.KEYS)}")
        raw[key] = value
    return raw, hidden


def _hidden(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise LessonError(f"{where} must be a list of control names, e.g. [\"dataset\", \"noise\"]")
    for name in value:
        if name not in HIDABLE_CONTROLS:
            raise LessonError(f"{where}: {name!r} is not a control that can be hidden{_suggest(name, HIDABLE_CONTROLS)}"
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
            raise LessonError(f"{name}: unknown field {key!r}{_suggest(key, _TOP_KEYS)}")
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
        raise LessonError(f"{where}: unknown field {key!r}{_suggest(key, ['settings', 'epochs'])}")
    epochs = _count(table.get("epochs"), f"{where}.epochs")
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
    return [load_lesson(p) for p in lesson_files(directory)]
