"""A lesson's goal followed live while a session trains: when it was first reached, and how it stands now.

The checking itself is `lessons.Goal.check`; this module only decides when to call it and remembers the
first epoch it said "met". It checks after every epoch while the goal can still be reached for the first
time (so a goal met at epoch 48 of a 50-epoch budget is not missed because the next frame came at 55), and
once per frame for the latest wording and live values, also after the goal was reached (the badge keeps
showing "now 0.021"). A new run (a reset, a rebuilt experiment) starts it over.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.experiment import Experiment
from .goals import CONDITIONS, Goal, GoalStatus, input_labels

__all__ = ["GoalProgress", "GoalTracker", "describe_goal", "CONDITION_PHRASES"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


# kind -> what the student has to achieve, in words (the goal badge's "Goal: ..." line)
CONDITION_PHRASES = {
    "test_loss_below": lambda v: f"test loss below {v:g}",
    "train_loss_below": lambda v: f"training loss below {v:g}",
    "accuracy_above": lambda v: f"test accuracy above {v:.0%}",
    "dead_links_at_least": lambda v: f"at least {_plural(v, 'dead link')}",
    "loss_increases": lambda _v: "training loss higher than at the start",
    "diverges": lambda _v: "training loss blowing up",
    "no_hidden_layers": lambda _v: "no hidden layers",
    "allowed_inputs": lambda v: f"only the inputs {input_labels(v)}",
    "min_epochs": lambda v: f"still so after {_plural(v, 'epoch')}",
}


def describe_goal(goal: Goal) -> str:
    """The goal in one line, e.g. "test loss below 0.05 (no hidden layers) within 100 epochs"."""
    def phrase(kind, value):
        return CONDITION_PHRASES.get(kind, lambda v: f"{kind.replace('_', ' ')} {v}")(value)

    outcomes = [phrase(k, v) for k, v in goal.conditions if CONDITIONS[k][2]]
    constraints = [phrase(k, v) for k, v in goal.conditions if not CONDITIONS[k][2]]
    text = " and ".join(outcomes)
    if constraints:
        text += f" ({', '.join(constraints)})"
    return f"{text} within {_plural(goal.within_epochs, 'epoch')}"


@dataclass(frozen=True)
class GoalProgress:
    """What a frame tells the goal badge."""

    summary: str  # describe_goal: what to reach
    reached_at: int | None  # the first epoch the goal was met in this run, or None
    detail: str  # every condition with ✓/✗ and the epoch budget (GoalStatus.progress)
    out_of_epochs: bool  # not reached and the budget is spent
    now: str = ""  # the live values of what the goal asks for (GoalStatus.now), also after it was reached
    holds: bool = False  # every condition holds now (GoalStatus.holds): after reaching it, is it still so?

    @property
    def met(self) -> bool:
        return self.reached_at is not None

    @property
    def lost(self) -> bool:
        """Reached earlier in this run, and no longer so now (e.g. the test accuracy fell back)."""
        return self.met and not self.holds


class GoalTracker:
    """Follows one goal across epochs of whatever experiment the session trains. Not thread-safe: the
    session calls it under its training lock."""

    def __init__(self, goal: Goal):
        self.goal = goal
        self.summary = describe_goal(goal)
        self.reached_at: int | None = None
        self._status: GoalStatus | None = None
        self._run: list | None = None  # the history list of the run being followed: a reset makes a new one

    def _follow(self, experiment: Experiment) -> None:
        if experiment.history is not self._run:
            self._run, self.reached_at, self._status = experiment.history, None, None

    def _check(self, experiment: Experiment) -> None:
        self._status = self.goal.check(experiment)
        if self._status.met and self.reached_at is None:
            self.reached_at = experiment.epoch

    def after_epoch(self, experiment: Experiment) -> str | None:
        """Check while the goal can still be reached for the first time (cheap; bounded by the budget). At the
        budget's last epoch: the words for pausing there (the app pauses a lesson at its budget), else None."""
        self._follow(experiment)
        if self.reached_at is None and experiment.epoch <= self.goal.within_epochs:
            self._check(experiment)
        budget = self.goal.within_epochs
        if experiment.epoch != budget:
            return None
        if self.reached_at is not None:
            return (f"Training paused at epoch {budget}, the end of this lesson's {budget} epochs: the goal was "
                    f"reached at epoch {self.reached_at}. Press Play to go on watching, or Reset to start over.")
        return (f"Training paused at epoch {budget}: this lesson gives {budget} epochs to reach its goal. "
                "Change something and press Reset to try again (Play goes on past the budget).")

    def progress(self, experiment: Experiment) -> GoalProgress:
        """The state for a frame; checks again (edits between epochs count too, and live values go on)."""
        self._follow(experiment)
        self._check(experiment)
        status, detail = self._status, self._status.progress
        if self.reached_at is not None and status.out_of_epochs:  # past the budget after reaching it: no blame
            detail = detail.rsplit(" · ", 1)[0] + f" · epoch {experiment.epoch}"
        return GoalProgress(self.summary, self.reached_at, detail,
                            self.reached_at is None and status.out_of_epochs, status.now, status.holds)
