"""Kernels written with Python's operators, shared by the backends whose tensors take them (numpy, torch).

The same expressions on either library; only the square root differs (each backend's `_sqrt`).
"""

from __future__ import annotations

from .kernels import LOSSES


class ArrayKernels:
    def _sqrt(self, t):
        raise NotImplementedError

    def slice_rows(self, t, start, stop):
        return t[start:stop]

    def add(self, a, b):
        return a + b

    def sub(self, a, b):
        return a - b

    def mul(self, a, b):
        return a * b

    def matmul(self, a, b):
        return a @ b

    def loss_grad(self, kind, y_pred, y_true):
        if kind in LOSSES:
            return y_pred - y_true  # square: o − t; cross-entropy: p − t w.r.t. the pre-activation
        raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")

    def sgd_update(self, p, g, lr):
        return p - lr * g

    def momentum_update(self, p, g, v, lr, momentum):
        v = momentum * v - lr * g
        return p + v, v

    def adam_update(self, p, g, m, v, lr, beta1, beta2, eps, t):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        return p - lr * m_hat / (self._sqrt(v_hat) + eps), m, v
