"""Keras-like layers. A layer owns its parameters as one backend tensor; the model calls only fused kernels."""

from __future__ import annotations

import numpy as np

from . import initializers
from .backends.kernels import ACTIVATIONS


class Dense:
    """y = activation(x·W + b), W of shape (inputs, units) as in Keras.

    `params` holds [W; b], (inputs + 1) × units with the bias as the last row, so that the layer is one
    product of its input with a ones column appended (see `engine.backends.kernels`).
    """

    def __init__(self, units: int, activation: str = "linear", input_dim: int | None = None,
                 kernel_initializer: str = "playground_uniform", bias_initializer: float = 0.1):
        if not isinstance(units, (int, np.integer)) or units < 1:
            raise ValueError(f"Dense units must be a positive integer, got {units!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        initializers.get(kernel_initializer)  # validate early
        self.units = int(units)
        self.activation = activation
        self.input_dim = input_dim
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = float(bias_initializer)
        self.params = None

    def initial_weights(self, input_dim: int, rand) -> tuple[np.ndarray, np.ndarray]:
        kernel = initializers.get(self.kernel_initializer)(input_dim, self.units, rand)
        return kernel, np.full(self.units, self.bias_initializer)

    def count_params(self, input_dim: int) -> int:
        return (input_dim + 1) * self.units

    def __repr__(self) -> str:
        return f"Dense({self.units}, activation={self.activation!r})"
