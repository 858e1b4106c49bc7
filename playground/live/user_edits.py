"""What a user changes by hand in one session's experiment: weights and biases, their own points (drawn, erased,
from a CSV), the engine, the input or neuron whose picture the output shows. Each becomes a command that runs
between epochs (`submit`); `TrainingSession` has them through `UserEdits`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..data import datasets
from ..domain.experiment import Experiment
from ..domain.network_choices import class_count

ERASE_RADIUS = 0.6  # data units: how near a click must be to remove a point


class UserEdits:
    """Mixed into `TrainingSession`, whose `state`, `experiment`, `submit`, `_lock` and `_builder` it uses."""

    submit: Callable[..., None]

    def set_weight(self, layer: int, source: int, dest: int, value: float) -> None:
        self.submit(lambda ex: ex.set_weight(layer, source, dest, float(value)))

    def set_bias(self, layer: int, neuron: int, value: float) -> None:
        self.submit(lambda ex: ex.set_bias(layer, neuron, float(value)))

    def add_point(self, x: float, y: float, label: float) -> None:
        self.submit(lambda ex: ex.set_user_points(datasets.add_point(ex.user_points, x, y, label)))

    def remove_point(self, x: float, y: float, radius: float = ERASE_RADIUS) -> None:
        self.submit(lambda ex: ex.set_user_points(datasets.remove_nearest(ex.user_points, x, y, radius)))

    def clear_points(self) -> None:
        self.submit(lambda ex: ex.set_user_points(np.empty((0, 3))))

    def load_csv(self, content: bytes | str) -> int:
        """Use the points in a CSV as the user's dataset; raises DataError and keeps the data if malformed."""
        if self.state.problem != "classification":
            raise datasets.DataError("your own data is for classification; switch the problem type first")
        points = datasets.parse_csv(content, self.state.problem, class_count({**self.state.param.values(),
                                                                                  "dataset": "user"}))
        self.submit(lambda ex: ex.set_user_points(points))
        self.state.dataset = "user"
        return len(points)

    def data_csv(self) -> str:
        """The current points as CSV: your own in the order you made them, else training then test."""
        with self._lock:
            ex = self.experiment
            if ex.state.dataset == "user" and not ex.is_regression:
                return datasets.to_csv(ex.user_points)
            return datasets.to_csv(np.concatenate([ex.train, ex.test]))

    def set_engine(self, name: str) -> None:
        self.state.engine = name  # the command refuses an unavailable engine and the state is synced back

    def show_detail(self, node: tuple[str, int] | None) -> None:
        """The page hovers `node` (("input", feature index) or ("neuron", index)), or nothing: while it does,
        frames carry its picture at full resolution for the output plot, as the playground shows it."""
        def hover(_experiment: Experiment) -> None:
            self._builder.detail = node

        self.submit(hover)
