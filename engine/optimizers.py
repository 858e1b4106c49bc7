"""Optimizers for ordinary mini-batch training (the playground's own rule lives in `engine.trainers`).

State (velocities, moments) is kept as backend tensors per layer parameter tensor [W; b] and moved with the
model; every rule here is elementwise, so updating W and b as one tensor is the same as one by one.
"""

from __future__ import annotations

import numpy as np


class Optimizer:
    def __init__(self, learning_rate: float = 0.01):
        if not learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {learning_rate!r}")
        self.learning_rate = float(learning_rate)
        self.state: dict[int, tuple] = {}
        self.iterations = 0

    def apply(self, model, grads, n: int) -> None:
        """Update every parameter from summed gradients over `n` examples (their mean is used)."""
        be = model.backend
        self.iterations += 1
        inv = 1.0 / n
        for k, (layer, dp) in enumerate(zip(model.layers, grads, strict=False)):
            layer.params = self._step(be, k, layer.params, be.scale(dp, inv))  # [W; b]: elementwise rules

    def _step(self, be, key, p, g):
        raise NotImplementedError

    def move_state(self, old, new) -> None:
        self.state = {k: tuple(new.from_host(np.asarray(old.to_host(t), dtype=np.float64)) for t in v)
                      for k, v in self.state.items()}


class SGD(Optimizer):
    def _step(self, be, key, p, g):
        return be.sgd_update(p, g, self.learning_rate)


class Momentum(Optimizer):
    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.9):
        super().__init__(learning_rate)
        self.momentum = float(momentum)

    def _step(self, be, key, p, g):
        (v,) = self.state.get(key) or (be.scale(g, 0.0),)
        p, v = be.momentum_update(p, g, v, self.learning_rate, self.momentum)
        self.state[key] = (v,)
        return p


class Adam(Optimizer):
    def __init__(self, learning_rate: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)

    def _step(self, be, key, p, g):
        m, v = self.state.get(key) or (be.scale(g, 0.0), be.scale(g, 0.0))
        p, m, v = be.adam_update(p, g, m, v, self.learning_rate, self.beta1, self.beta2, self.epsilon,
                                 self.iterations)
        self.state[key] = (m, v)
        return p


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def get(name: str, learning_rate: float) -> Optimizer:
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name](learning_rate)
