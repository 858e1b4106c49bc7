"""The benchmark inputs, seeded: circle-like ±1 points (W1), random MNIST-sized data (W2), the boundary grid (W3),
and the W1 network's initial weights, so every engine and peer starts from the same numbers."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from engine import Dense, Sequential


def circle_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(x (n, 2), y (n,)) as the playground's circle: label +1 inside radius 2.5, −1 in the ring 3.5–5, shuffled."""
    rng = np.random.default_rng(seed)
    inside = n // 2
    radius = np.concatenate([rng.uniform(0.0, 2.5, inside), rng.uniform(3.5, 5.0, n - inside)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    x = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    y = np.where(radius < 2.5, 1.0, -1.0)
    order = rng.permutation(n)
    return x[order], y[order]


def classification_data(rows: int, sizes: tuple[int, ...], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(x (rows, sizes[0]) standard normal, y (rows, sizes[-1]) one-hot random classes), float64."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, sizes[0]))
    y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], rows)]
    return x, y


def boundary_grid(size: int) -> np.ndarray:
    """The size × size points of the playground's decision-boundary heatmap over [−6, 6]²."""
    axis = np.linspace(-6.0, 6.0, size)
    gx, gy = np.meshgrid(axis, axis)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def playground_layers(hidden: tuple[int, ...], activation: str = "tanh") -> list[Dense]:
    """2 inputs, `hidden` layers of `activation`, one tanh output: the playground's network."""
    sizes = (2, *hidden)
    layers = [Dense(units, activation, input_dim=n_in) for n_in, units in zip(sizes, hidden, strict=False)]
    return [*layers, Dense(1, "tanh", input_dim=sizes[-1])]


def mlp_layers(sizes: tuple[int, ...]) -> list[Dense]:
    """relu hidden layers and a softmax output (W2)."""
    last = len(sizes) - 2
    return [Dense(units, "softmax" if i == last else "relu", input_dim=n_in, kernel_initializer="glorot_uniform")
            for i, (n_in, units) in enumerate(zip(sizes, sizes[1:], strict=False))]


def initial_weights(layers: list[Dense], seed: int) -> list[np.ndarray]:
    """The Keras-order weights [kernel, bias, ...] `layers` start from (drawn once, on the host)."""
    return Sequential(layers, backend="numpy").build(seed=seed).get_weights()


@lru_cache(maxsize=16)
def w1_inputs(points: int, seed: int, hidden: tuple[int, ...]):
    """(x, y, initial weights) for W1 with `hidden` layers, shared by every engine and peer (read-only)."""
    x, y = circle_points(points, seed)
    return x, y, initial_weights(playground_layers(hidden), seed)


@lru_cache(maxsize=4)
def w2_inputs(sizes: tuple[int, ...], rows: int, seed: int):
    """(x, y one-hot, initial weights) for W2 (read-only; drawing 784×256 weights takes a while)."""
    x, y = classification_data(rows, sizes, seed)
    return x, y, initial_weights(mlp_layers(sizes), seed)
