"""The playground's input features, in its order (``INPUTS`` in playground.ts).

``cosX``/``cosY`` exist as link keys but are not network inputs, so they are
not listed here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np

__all__ = ["FEATURES", "STATE_PARAM", "feature_matrix"]

FeatureFn = Callable[[np.ndarray, np.ndarray], np.ndarray]

# name -> (function of x and y arrays, label shown on the input node)
FEATURES: OrderedDict[str, tuple[FeatureFn, str]] = OrderedDict(
    [
        ("x", (lambda x, y: x, "X₁")),
        ("y", (lambda x, y: y, "X₂")),
        ("xSquared", (lambda x, y: x * x, "X₁²")),
        ("ySquared", (lambda x, y: y * y, "X₂²")),
        ("xTimesY", (lambda x, y: x * y, "X₁X₂")),
        ("sinX", (lambda x, y: np.sin(x), "sin(X₁)")),
        ("sinY", (lambda x, y: np.sin(y), "sin(X₂)")),
    ]
)

# The ExperimentState boolean that switches each feature on.
STATE_PARAM: dict[str, str] = {
    "x": "x", "y": "y", "xSquared": "x_squared", "ySquared": "y_squared",
    "xTimesY": "x_times_y", "sinX": "sin_x", "sinY": "sin_y",
}


def feature_matrix(xy: np.ndarray, names: Iterable[str]) -> np.ndarray:
    """Columns for the selected features, always in FEATURES order (the network's input order)."""
    wanted = set(names)
    unknown = wanted - FEATURES.keys()
    if unknown:
        raise ValueError(f"unknown feature(s): {', '.join(sorted(unknown))}")
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    x, y = xy[:, 0], xy[:, 1]
    columns = [fn(x, y) for name, (fn, _label) in FEATURES.items() if name in wanted]
    if not columns:
        return np.empty((len(xy), 0), dtype=np.float64)
    return np.column_stack(columns)
