"""The optimizer kernels for backends whose tensors take Python's arithmetic operators (numpy, torch).

They are the same formulas on either library; only the square root differs (`_sqrt`).
"""

from __future__ import annotations


class ArrayUpdates:
    def _sqrt(self, t):
        raise NotImplementedError

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
