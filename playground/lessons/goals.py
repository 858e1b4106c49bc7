"""Lesson goals: the conditions a lesson can ask for, and how a goal is checked against an experiment."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any

from ..domain.experiment import Experiment
from ..domain.features import FEATURES, STATE_PARAM

DIVERGED_LOSS = 100.0  # labels are within [-1, 1], so a mean 0.5·err² this large means the weights blew up


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and the field."""


def suggestion(word: str, choices) -> str:
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


def whole_count(v, where):
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
            raise LessonError(f"{where}: unknown input {name!r}{suggestion(name, FEATURES)}; "
                              f"inputs are {', '.join(FEATURES)}")
    return list(v)


def _losses(exp: Experiment) -> tuple[float, float]:
    last = exp.history[-1] if exp.history else None
    return (last["train_loss"], last["test_loss"]) if last else exp.losses()


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "diverged"  # NaN or infinity, in a student's words (as the output's read-outs say it)
    return f"{x:.4g}" if abs(x) < 1000 else f"{x:.3g}"


def input_labels(names) -> str:
    """Input names as the page labels them: X₁, X₂, sin(X₁) …"""
    return ", ".join(FEATURES[name][1] for name in names)


# Each check returns (met, now, goal): `now` is the live value ("test loss 0.021"), shown even after the
# goal was reached; `goal` what it must become ("below 0.05").

def _test_loss_below(exp, value):
    loss = _losses(exp)[1]
    return loss < value, f"test loss {_fmt(loss)}", f"below {value:g}"


def _train_loss_below(exp, value):
    loss = _losses(exp)[0]
    return loss < value, f"training loss {_fmt(loss)}", f"below {value:g}"


def _accuracy_above(exp, value):
    accuracy = exp.accuracy()
    if accuracy is None:
        return False, "accuracy needs a classification problem", f"above {value:.0%}"
    test = accuracy[1]
    return test > value, f"test accuracy {test:.1%}", f"above {value:.0%}"


def _no_hidden_layers(exp, _value):
    n = len(exp.state.network_shape)
    return n == 0, "no hidden layers" if n == 0 else f"{n} hidden layer{'s' * (n > 1)}", "none"


def _min_epochs(exp, value):
    return exp.epoch >= value, f"epoch {exp.epoch}", f"train at least {value} epochs"


def _allowed_inputs(exp, value):
    used = [name for name in FEATURES if getattr(exp.state, STATE_PARAM[name])]
    extra = [name for name in used if name not in value]
    if extra:
        return False, f"uses {input_labels(extra)}", f"only {input_labels(value)}"
    return True, f"inputs: only {input_labels(used) or 'none'}", None


def _dead_links_at_least(exp, value):
    dead = sum(int(mask.sum()) for mask in exp.trainer.dead_links())
    return dead >= value, f"{dead} dead link{'s' * (dead != 1)}", f"at least {value}"


def _loss_increases(exp, _value):
    start, now = exp.history[0]["train_loss"], _losses(exp)[0]
    went_up = exp.epoch > 0 and now > start
    return went_up, f"training loss {_fmt(now)}, started at {_fmt(start)}", "higher than at the start"


def _diverges(exp, _value):
    loss = _losses(exp)[0]
    blown = loss > DIVERGED_LOSS  # a loss that is no number at all never meets a goal (Goal.check)
    return blown, f"training loss {_fmt(loss)}", f"blow up past {DIVERGED_LOSS:g}"


# kind -> (validator, check(experiment, value) -> (met, text), is an outcome rather than a constraint)
CONDITIONS = {
    "test_loss_below": (_positive, _test_loss_below, True),
    "train_loss_below": (_positive, _train_loss_below, True),
    "accuracy_above": (_fraction, _accuracy_above, True),
    "dead_links_at_least": (whole_count, _dead_links_at_least, True),
    "loss_increases": (_true, _loss_increases, True),
    "diverges": (_true, _diverges, True),
    "no_hidden_layers": (_true, _no_hidden_layers, False),
    "allowed_inputs": (_inputs, _allowed_inputs, False),
    "min_epochs": (whole_count, _min_epochs, False),  # the result must still hold this late (no early stopping)
}


@dataclass(frozen=True)
class GoalStatus:
    met: bool
    progress: str  # one line for the app: every condition with ✓/✗, then the epoch budget
    out_of_epochs: bool = False  # the budget is spent: reset (or change settings) and try again
    now: str = ""  # the live values of what the goal asks for, e.g. "test loss 0.021 · test accuracy 99.0%"
    holds: bool = False  # every condition holds now, whatever the epoch (`met` also needs it within the budget)


NOT_FINITE = "✗ the loss is no longer a number (lower the learning rate and press Reset)"


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
        within = whole_count(table["within_epochs"], f"{where}.within_epochs")
        conditions = []
        for kind, value in table.items():
            if kind == "within_epochs":
                continue
            if kind not in CONDITIONS:
                raise LessonError(f"{where}: unknown condition {kind!r}{suggestion(kind, CONDITIONS)}; "
                                  f"known: {', '.join(CONDITIONS)}")
            conditions.append((kind, CONDITIONS[kind][0](value, f"{where}.{kind}")))
        if dict(conditions).get("min_epochs", 0) > within:
            raise LessonError(f"{where}.min_epochs is more than {where}.within_epochs: the goal can never be met")
        if not any(CONDITIONS[kind][2] for kind, _ in conditions):
            outcomes = [k for k, (_v, _c, outcome) in CONDITIONS.items() if outcome]
            raise LessonError(f"{where} needs something to reach, one of: {', '.join(outcomes)}")
        return cls(within, tuple(conditions))

    def describe(self) -> str:
        """The goal in words, as the file says it: "test loss below 0.05, no hidden layers"."""
        parts = []
        for kind, value in self.conditions:
            words = kind.replace("_", " ")
            if value is True:
                parts.append(words)
            elif isinstance(value, list):
                parts.append(f"{words}: {', '.join(value)}")
            else:
                parts.append(f"{words} {value:g}")
        return ", ".join(parts)

    def check(self, experiment: Experiment) -> GoalStatus:
        """Every condition now. A loss that is not finite (NaN, infinity) never meets a goal, whatever the
        conditions say: a blown-up network has not learnt anything."""
        results = [(kind, *CONDITIONS[kind][1](experiment, value)) for kind, value in self.conditions]
        epoch = experiment.epoch
        over = epoch > self.within_epochs
        parts = [f"{'✓' if ok else '✗'} {now}" + (f" (goal: {want})" if want else "")
                 for _kind, ok, now, want in results]
        finite = all(math.isfinite(loss) for loss in _losses(experiment))
        if not finite:
            parts.insert(0, NOT_FINITE)
        budget = f"epoch {epoch} of {self.within_epochs}"
        if over:
            budget += ": out of epochs, press reset and try again"
        holds = finite and all(ok for _kind, ok, _now, _want in results)
        now = " · ".join(now for kind, _ok, now, _want in results if CONDITIONS[kind][2])
        return GoalStatus(holds and not over, " · ".join(parts + [budget]), over, now, holds)

    def first_met(self, experiment: Experiment, epochs: int | None = None) -> int | None:
        """Train headless, checking after every epoch; the first epoch the goal is met, or None."""
        limit = self.within_epochs if epochs is None else min(epochs, self.within_epochs)
        while True:
            if self.check(experiment).met:
                return experiment.epoch
            if experiment.epoch >= limit:
                return None
            experiment.step()
