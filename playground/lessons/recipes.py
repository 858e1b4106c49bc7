"""Whether a lesson's recipe works for every student: its `[reference]` trained from several random starts.

A student who opens a lesson and follows its recipe does not get the tests' start: pressing Regenerate
gives new data and every Reset or change of the network draws new initial weights. So a recipe is tried
from `TRIAL_SEEDS`, seeds no other test uses (each seed gives other data and other initial weights), and a
lesson's recipe must reach its goal within the budget from at least `REQUIRED` of them.
`scripts/lesson_recipes.py` prints the table; `tests/test_lesson_recipes.py` holds every lesson to it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .files import Lesson
from .links import lesson_name

__all__ = ["TRIAL_SEEDS", "REQUIRED", "RecipeTrials", "try_recipe"]

TRIAL_SEEDS = tuple(str(seed) for seed in range(101, 111))
REQUIRED = 9  # of the 10 starts


@dataclass(frozen=True)
class RecipeTrials:
    """The reference recipe of one lesson from each seed: the epoch its goal was first met, or None."""

    name: str
    budget: int
    seeds: tuple[str, ...]
    reached_at: tuple[int | None, ...]

    @property
    def reached(self) -> int:
        return sum(epoch is not None for epoch in self.reached_at)

    @property
    def median_epoch(self) -> float | None:
        """The median epoch the goal was reached at, over the starts that reached it."""
        epochs = [epoch for epoch in self.reached_at if epoch is not None]
        return statistics.median(epochs) if epochs else None

    def failed_seeds(self) -> list[str]:
        return [seed for seed, epoch in zip(self.seeds, self.reached_at, strict=True) if epoch is None]


def try_recipe(lesson: Lesson, seeds=TRIAL_SEEDS, engine: str = "numpy") -> RecipeTrials:
    """Train the lesson's reference from every seed, within its epochs, and note when the goal was met."""
    reached = tuple(lesson.check_reference(seed=seed, engine=engine) for seed in seeds)
    return RecipeTrials(lesson_name(lesson), lesson.reference.epochs, tuple(seeds), reached)
