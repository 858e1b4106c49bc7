"""Datasets with K = 3..5 classes (ours; the real playground has two): labels 0 … K−1.

- ``spiral``: K arms, the playground's spiral turned by 2π/K per class (each arm ⌈n/K⌉ points from the
  centre out to radius 5 over 1.75 turns; noise moves each point by up to ±ν per axis, as on the site).
- ``gauss``: K Gaussian clusters whose centres sit evenly on a circle of radius 3 (the first at 45°, where
  the two-class dataset puts its blue cluster); the variance grows with the noise as on the site (0.5 at
  no noise, 4 at 50%).

Both draw every number from the page's seeded stream, so a link reproduces them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .seedrandom import normal_random

__all__ = ["spiral", "gauss", "GENERATORS", "relabel"]

Rand = Callable[[], float]
CENTRE_RADIUS = 3.0


def spiral(n: int, noise: float, rand: Rand, classes: int) -> np.ndarray:
    m = n / classes
    rows = []
    for label in range(classes):
        delta_t = 2 * math.pi * label / classes
        i = 0
        while i < m:
            r = i / m * 5
            t = 1.75 * i / m * 2 * math.pi + delta_t
            x = r * math.sin(t) + (rand() * 2 - 1) * noise
            y = r * math.cos(t) + (rand() * 2 - 1) * noise
            rows.append((x, y, label))
            i += 1
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def gauss(n: int, noise: float, rand: Rand, classes: int) -> np.ndarray:
    variance = 0.5 + noise / 0.5 * 3.5  # the site's scale: noise 0..0.5 -> variance 0.5..4
    rows = []
    for label in range(classes):
        angle = math.pi / 4 + 2 * math.pi * label / classes
        cx, cy = CENTRE_RADIUS * math.cos(angle), CENTRE_RADIUS * math.sin(angle)
        for _ in range(math.ceil(n / classes)):
            x = normal_random(rand, cx, variance)
            y = normal_random(rand, cy, variance)
            rows.append((x, y, label))
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


GENERATORS: dict[str, Callable[[int, float, Rand, int], np.ndarray]] = {"spiral": spiral, "gauss": gauss}


def relabel(points: np.ndarray, classes: int) -> np.ndarray:
    """Your own points, labelled for `classes` classes: the two-class ±1 and the K-class 0…K−1 labels map
    onto each other as −1 ↔ 0 (orange) and +1 ↔ 1 (blue); points of a class that no longer exists are
    dropped. Points already labelled for `classes` come back as they are (the same array)."""
    labels = points[:, 2]
    if classes == 2:
        if np.isin(labels, (-1.0, 1.0)).all():
            return points
        kept = points[np.isin(labels, (0.0, 1.0))].copy()
        kept[:, 2] = np.where(kept[:, 2] == 0.0, -1.0, 1.0)
        return kept
    valid = np.arange(classes, dtype=np.float64)
    if np.isin(labels, valid).all():
        return points
    if (labels == -1.0).any():
        points = points.copy()
        points[:, 2] = np.where(labels == -1.0, 0.0, labels)
    return points[np.isin(points[:, 2], valid)]
