"""What a user changes by hand in one session's experiment: weights and biases, their own points (drawn, erased,
from a CSV), the engine, the input or neuron whose picture the output shows. Each becomes a command that runs
between epochs (`submit`); `TrainingSession` has them through `UserEdits`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..data import datasets
from ..domain.own_data import points_from_csv
from ..domain.state import ExperimentState

ERASE_RADIUS = 0.6  # data units: how near a click must be to remove a point


class UserEdits:
    """Mixed into `TrainingSession`, whose `state` and `submit` it uses."""

    state: ExperimentState
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
        points = points_from_csv(content, self.state)
        self.submit(lambda ex: ex.set_user_points(points))
        self.state.dataset = "user"
        return len(points)

    def set_engine(self, name: str) -> None:
        self.state.engine = name  # the command refuses an unavailable engine and the state is synced back
