"""The network's pictures read in numpy: what `assets/network_pictures.js` draws from a frame, computed here
from the experiment itself (its weights, features and output), for `tests/browser/test_network_pictures.py`.

Codes are uint8 palette indexes, bottom row first: a value −1…1 is code 0…255 (NaN the middle); K ≥ 3
classes give `class × LEVELS + level` (playground/live/class_colors.py). The grid is the playground's:
density × density points over [−extent, extent]², as its d3 scales place them.
"""

from __future__ import annotations

import numpy as np

from playground.domain.experiment import Experiment
from playground.domain.features import FEATURES, feature_matrix
from playground.live.class_colors import LEVELS

DENSITY, EXTENT, THUMB = 100, 6.0, 10

ACTIVATIONS = {"linear": lambda z: z, "relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh,
               "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}


def grid_points(density: int = DENSITY, extent: float = EXTENT) -> np.ndarray:
    """(density², 2) points, row-major from the top-left."""
    t = np.arange(density) / (density - 1)
    xs = -extent * (1 - t) + extent * t
    ys = extent * (1 - t) + -extent * t  # y runs top to bottom on screen
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def to_codes(values: np.ndarray, discretize: bool = False) -> np.ndarray:
    """(..., rows, cols) values, top row first -> uint8 codes, bottom row first."""
    flipped = values[..., ::-1, :]
    if discretize:
        return np.where(flipped >= 0, 255, 0).astype(np.uint8)
    codes = (np.clip(flipped, -1.0, 1.0) + 1.0) * 127.5 + 0.5
    return np.where(np.isnan(codes), 128, codes).astype(np.uint8)


def thumbnails(grids: np.ndarray, size: int = THUMB) -> np.ndarray:
    """(units, d, d) -> (units, size, size) block means (the playground's `reduceMatrix`)."""
    units, d, _ = grids.shape
    block = d // size
    return grids[:, :block * size, :block * size].reshape(units, size, block, size, block).mean(axis=(2, 4))


def class_codes(probabilities: np.ndarray, discretize: bool = False) -> np.ndarray:
    """(K, rows, cols) probabilities, top row first -> codes (rows, cols), bottom row first."""
    classes = probabilities.shape[0]
    flipped = np.nan_to_num(probabilities[:, ::-1, :], nan=0.0)
    winner = np.argmax(flipped, axis=0)
    if discretize:
        level = np.full(winner.shape, LEVELS - 1)
    else:
        sure = np.clip((np.max(flipped, axis=0) - 1.0 / classes) / (1.0 - 1.0 / classes), 0.0, 1.0)
        level = np.rint(sure * (LEVELS - 1)).astype(np.int64)
    return (winner * LEVELS + level).astype(np.uint8)


def neuron_grids(experiment: Experiment) -> list[np.ndarray]:
    """Per layer, (units, d, d) values over the grid, top row first, from the float32 weights a frame carries;
    the output on the playground's scale (a sigmoid's p as 2p − 1; K ≥ 3: probabilities)."""
    spec, weights = experiment.spec, [w.astype(np.float32).astype(np.float64) for w in experiment.model.get_weights()]
    a = feature_matrix(grid_points(), spec.input_features)
    layers = []
    if not all(np.isfinite(w).all() for w in weights):
        sizes = [*spec.hidden_sizes, spec.output_units]
        return [np.full((units, DENSITY, DENSITY), np.nan) for units in sizes]
    for i, activation in enumerate([*spec.hidden_activations, spec.output_activation]):
        z = a @ weights[2 * i] + weights[2 * i + 1]
        if activation == "softmax":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
        else:
            a = ACTIVATIONS[activation](z)
        layers.append(a)
    layers[-1] = spec.to_playground(layers[-1])
    return [layer.T.reshape(-1, DENSITY, DENSITY) for layer in layers]


def pictures(experiment: Experiment) -> dict[str, np.ndarray]:
    """The output's codes, every neuron's thumbnail codes (hidden neurons, then the outputs) and every
    neuron's codes at full size, as the page draws them."""
    layers = neuron_grids(experiment)
    discretize = experiment.state.discretize and not experiment.is_regression
    if experiment.classes > 2:
        output = class_codes(layers[-1], discretize)
        layers = [*layers[:-1], 2.0 * layers[-1] - 1.0]  # each class's probability drawn as −1…1
    else:
        output = to_codes(layers[-1][0], discretize)
    grids = np.concatenate(layers)
    return {"output": output, "thumbnails": to_codes(thumbnails(grids)), "neurons": to_codes(grids)}


def feature_pictures() -> dict[str, np.ndarray]:
    """Every input feature's codes at full size and as a thumbnail, in FEATURES order."""
    values = feature_matrix(grid_points(), list(FEATURES)).T.reshape(-1, DENSITY, DENSITY)
    return {"detail": to_codes(values), "thumbnails": to_codes(thumbnails(values))}
