"""The `numpy` backend: vectorized kernels, the fast default at playground size.

At this size ~95% of a step is per-call overhead (≈1 µs per numpy call), so the kernels are fused and
written to make as few numpy calls as possible; nothing here preallocates, which measured no faster.
"""

from __future__ import annotations

import numpy as np

from .kernels import ACTIVATIONS, LOSSES, REGULARIZATIONS

_EPS = 1e-12


def probe() -> tuple[bool, str, str]:
    return True, "", "host CPU (numpy)"


def create(dtype: str) -> NumpyBackend:
    return NumpyBackend(dtype)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "linear": lambda z: z,
    "softmax": _softmax,
}


def _activate(name, z):
    fn = _ACTIVATIONS.get(name)
    if fn is None:  # a ValueError naming the choices, not a bare KeyError
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    return fn(z)


def _grad_times(name, da, z, a):
    """da · activation'(z), fused per activation to save calls."""
    if name == "tanh":
        return da * (1.0 - a * a)
    if name == "relu":
        return da * (z > 0)  # relu'(x) = 0 for x <= 0, as the playground
    if name == "linear":
        return da
    if name == "sigmoid":
        return da * (a * (1.0 - a))
    raise ValueError(f"activation {name!r} has no elementwise derivative (softmax pairs with cross-entropy)")


class NumpyBackend:
    name = "numpy"
    device = "cpu"

    def __init__(self, dtype: str):
        self.dtype = dtype
        self._np_dtype = np.dtype(dtype)

    # -- data movement
    def from_host(self, array):
        out = np.array(array, dtype=self._np_dtype)
        if out.ndim != 2:
            raise ValueError(f"expected a 2-D array, got shape {out.shape}")
        return out

    def to_host(self, t):
        return t

    def mask_from_host(self, array):
        return np.array(array, dtype=bool)

    def shape(self, t):
        return t.shape

    def zeros(self, rows, cols):
        return np.zeros((rows, cols), dtype=self._np_dtype)

    def slice_rows(self, t, start, stop):
        return t[start:stop]

    # -- elementwise and linear algebra
    def add(self, a, b):
        return a + b

    def sub(self, a, b):
        return a - b

    def mul(self, a, b):
        return a * b

    def scale(self, a, s):
        return a * s

    def matmul(self, a, b):
        return a @ b

    def transpose(self, a):
        return a.T.copy()

    def activation(self, name, z):
        return _activate(name, z)

    def activation_grad(self, name, z, a):
        return _grad_times(name, np.ones_like(z), z, a)

    def sum_rows(self, a):
        return a.sum(axis=0, keepdims=True)

    def sum_all(self, a):
        return float(a.sum())

    def sign(self, a):
        return np.sign(a)

    # -- fused
    def dense_forward(self, x, w, b, act):
        z = x @ w
        z += b
        return z, _activate(act, z)

    def dense_backward(self, da, x, w, z, a, act, need_dx):
        dz = _grad_times(act, da, z, a)
        dx = dz @ w.T if need_dx else None
        return dx, x.T @ dz, dz.sum(axis=0, keepdims=True)

    def loss_sum(self, kind, y_pred, y_true):
        if kind == "square":
            d = y_pred - y_true
            return 0.5 * float(np.dot(d.ravel(), d.ravel()))
        if kind == "binary_crossentropy":
            p = np.clip(y_pred, _EPS, 1 - _EPS)
            return float(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)).sum())
        if kind == "categorical_crossentropy":
            return float(-(y_true * np.log(np.clip(y_pred, _EPS, 1.0))).sum())
        raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")

    def loss_grad(self, kind, y_pred, y_true):
        if kind in LOSSES:
            return y_pred - y_true  # square: o − t; cross-entropy: p − t w.r.t. the pre-activation
        raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")

    # -- updates
    def playground_update(self, w, acc, n, lr, reg, rate, dead):
        if reg not in REGULARIZATIONS:  # anything else would silently run as L2 below
            raise ValueError(f"unknown regularization {reg!r}; choose one of {', '.join(REGULARIZATIONS)}")
        if reg == "none":
            new = w - (lr / n) * acc
        else:
            r = np.sign(w) if reg == "L1" else w  # R'(w) at the weight before this update
            stepped = w - (lr / n) * acc
            new = stepped - (lr * rate) * r
            if reg == "L1":
                crossed = stepped * new < 0
                if crossed.any():
                    new[crossed] = 0.0
                    dead = crossed if dead is None else dead | crossed
        if dead is not None:
            new[dead] = 0.0  # a dead link passes 0 and is never updated again
        return new, dead

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
        return p - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
