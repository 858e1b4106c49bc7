"""Function datasets (ours): which side of a curve y = f(x) a point lies on.

Points are uniform over the playground's square [-5, 5]², labelled +1 (blue) above the curve and −1
(orange) below it. The curves are scaled to fill the square, and each puts half the area on either side:

- ``sine``:  y = 3·sin(x)            (1.6 periods across the square, peaks at ±3)
- ``cubic``: y = (x³ − 15x) / 10     (from (−5, −5) up to a bump at x = −√5, down to x = √5, up to (5, 5))
- ``abs``:   y = 2·|x| − 5           (a V from (0, −5) to (±5, 5))

Noise works as on ``xor``: the point that decides the label is moved by up to ±5·ν per axis, so points
near the curve land on the wrong side; the stored point is not moved. Every number comes from the page's
seeded stream (x, y, then the two noise draws, point by point), so a link's seed reproduces the data.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["CURVES", "sine", "cubic", "abs_curve", "curve_points"]

Rand = Callable[[], float]


def _sine(x: float) -> float:
    return 3 * math.sin(x)


def _cubic(x: float) -> float:
    return (x * x * x - 15 * x) / 10


def _abs(x: float) -> float:
    return 2 * abs(x) - 5


CURVES: dict[str, Callable[[float], float]] = {"sine": _sine, "cubic": _cubic, "abs": _abs}


def _above_or_below(curve: Callable[[float], float], n: int, noise: float, rand: Rand) -> np.ndarray:
    rows = []
    for _ in range(n):
        x = rand() * 10 - 5  # randUniform(-5, 5), as dataset.ts writes it
        y = rand() * 10 - 5
        noise_x = (rand() * 10 - 5) * noise
        noise_y = (rand() * 10 - 5) * noise
        label = 1 if y + noise_y > curve(x + noise_x) else -1
        rows.append((x, y, label))
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def sine(n: int, noise: float, rand: Rand) -> np.ndarray:
    """Above (+1) or below (−1) y = 3·sin(x)."""
    return _above_or_below(_sine, n, noise, rand)


def cubic(n: int, noise: float, rand: Rand) -> np.ndarray:
    """Above (+1) or below (−1) y = (x³ − 15x) / 10."""
    return _above_or_below(_cubic, n, noise, rand)


def abs_curve(n: int, noise: float, rand: Rand) -> np.ndarray:
    """Above (+1) or below (−1) y = 2·|x| − 5."""
    return _above_or_below(_abs, n, noise, rand)


def curve_points(name: str, extent: float = 6.0, count: int = 97) -> np.ndarray:
    """(count, 2) points (x, y) of curve `name` for x across [−extent, extent]: the line a dataset's
    thumbnail draws between its two classes."""
    curve = CURVES[name]
    xs = np.linspace(-extent, extent, count)
    return np.column_stack([xs, [curve(float(x)) for x in xs]])
