"""Weight initializers. All randomness is drawn on the host from one uniform source `rand()` in [0, 1),
so every backend starts from identical numbers (the playground's seeded Math.random, or Python's).

Draw order is the playground's: neuron by neuron (output unit), input link by input link.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Rand = Callable[[], float]


def _draw(fan_in: int, fan_out: int, rand: Rand, value: Callable[[float], float]) -> np.ndarray:
    kernel = np.empty((fan_in, fan_out))
    for j in range(fan_out):
        for i in range(fan_in):
            kernel[i, j] = value(rand())
    return kernel


def playground_uniform(fan_in: int, fan_out: int, rand: Rand) -> np.ndarray:
    """U(−0.5, 0.5) as `Math.random() - 0.5`, the playground's link weight."""
    return _draw(fan_in, fan_out, rand, lambda u: u - 0.5)


def glorot_uniform(fan_in: int, fan_out: int, rand: Rand) -> np.ndarray:
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return _draw(fan_in, fan_out, rand, lambda u: (2.0 * u - 1.0) * limit)


def zeros(fan_in: int, fan_out: int, rand: Rand) -> np.ndarray:
    """All-zero weights; still draws one number per link so the random stream advances as the playground's."""
    return _draw(fan_in, fan_out, rand, lambda u: 0.0)


KERNEL_INITIALIZERS = {"playground_uniform": playground_uniform, "glorot_uniform": glorot_uniform, "zeros": zeros}


def get(name: str):
    if name not in KERNEL_INITIALIZERS:
        raise ValueError(f"unknown initializer {name!r}; choose one of {', '.join(KERNEL_INITIALIZERS)}")
    return KERNEL_INITIALIZERS[name]
