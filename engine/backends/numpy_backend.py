"""The `numpy` backend: vectorized kernels, the fast default at playground size.

At this size ~95% of a step is per-call overhead (≈0.3–1 µs per numpy call), so the kernels are fused and
written to make as few numpy calls as possible: a layer's bias rides in its parameter matrix (see `kernels`),
`network_gradients` runs the whole network in one call and keeps its hidden [a, 1] scratch in the caller's
`work` dict, and the update is one subtraction per layer. Every returned tensor is a fresh array.
"""

from __future__ import annotations

import numpy as np

from .array_kernels import ArrayKernels
from .kernels import LOSSES, REGULARIZATIONS

_EPS = 1e-12


def probe() -> tuple[bool, str, str]:
    return True, "", "host CPU (numpy)"


def create(dtype: str) -> NumpyBackend:
    return NumpyBackend(dtype)


class NumpyBackend(ArrayKernels):
    name = "numpy"
    device = "cpu"

    def __init__(self, dtype: str):
        self.dtype = dtype
        self._np_dtype = np.dtype(dtype)
        super().__init__()

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

    def append_ones(self, t):
        out = np.empty((t.shape[0], t.shape[1] + 1), t.dtype)
        out[:, :-1] = t
        out[:, -1] = 1.0
        return out

    # -- elementwise and linear algebra
    def scale(self, a, s):
        return a * s

    def transpose(self, a):
        return a.T.copy()

    def activation_grad(self, name, z, a):
        return self._grad_times(name, np.ones_like(z), z, a)

    def _activate_into(self, name, z, out):
        """out[...] = activation(z): in place (next to a ones column) without a temporary where numpy can."""
        if name == "tanh":
            np.tanh(z, out=out)
        elif name == "relu":
            np.maximum(z, 0.0, out=out)
        else:
            out[...] = self.activation(name, z)

    def sum_rows(self, a):
        return a.sum(axis=0, keepdims=True)

    def sum_all(self, a):
        return float(a.sum())

    def sign(self, a):
        return np.sign(a)

    # -- fused
    def dense_forward(self, x1, p, act, ones):
        z = x1 @ p
        if not ones:
            return z, self.activation(act, z), None
        a1 = np.empty((z.shape[0], z.shape[1] + 1), z.dtype)
        a = a1[:, :-1]
        self._activate_into(act, z, a)
        a1[:, -1] = 1.0
        return z, a, a1

    def network_gradients(self, x1, y, params, acts, loss, scale, work):
        """The whole pass in one kernel: per layer the same calls as dense_forward/dense_backward, with no
        per-layer Python layering, and the hidden [a, 1] buffers kept in `work` between calls (they never
        leave this function: every returned gradient is a fresh array)."""
        last = len(params) - 1
        buffers = work.get(x1.shape[0])
        if buffers is None:  # per hidden layer: [a, 1] with its ones column set once, and its a view
            if len(work) > 8:  # one entry per batch size seen; a few at a time
                work.clear()
            ones = [np.ones((x1.shape[0], p.shape[1] + 1), x1.dtype) for p in params[:last]]
            buffers = work[x1.shape[0]] = [(a1, a1[:, :-1]) for a1 in ones]
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
        activate_into, grad_times = self._activate_into, self._grad_times
        caches = []  # per layer: (input [x, 1], z, a)
        x = x1
        for p, act, (a1, a) in zip(params, acts, buffers, strict=False):  # hidden layers: buffers stop before the output
            z = x @ p
            if act == "tanh":  # _activate_into, inlined: this loop is the playground's hot path
                np.tanh(z, out=a)
            else:
                activate_into(act, z, a)
            caches.append((x, z, a))
            x = a1
        act = acts[last]
        z = x @ params[last]
        a = np.tanh(z) if act == "tanh" else self.activation(act, z)
        caches.append((x, z, a))
        da = a - y  # loss_grad: square o − t; cross-entropy p − t, already w.r.t. z
        if scale != 1.0:
            da *= scale  # (a fresh array) one multiply here scales every layer's gradient
        if loss != "square":
            act = "linear"
        grads = [None] * (last + 1)
        for i in range(last, -1, -1):
            x, z, a = caches[i]
            dz = da * (1.0 - a * a) if act == "tanh" else grad_times(act, da, z, a)
            grads[i] = x.T @ dz
            if i:
                da = dz @ params[i][:-1].T  # (W without its bias row)ᵀ
                act = acts[i - 1]
        return grads

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

    # -- updates
    def playground_update(self, params, sums, step, decay, reg, dead):
        if reg not in REGULARIZATIONS:  # anything else would silently run as L2 below
            raise ValueError(f"unknown regularization {reg!r}; choose one of {', '.join(REGULARIZATIONS)}")
        if reg == "none" and not [d for d in dead if d is not None]:  # the common case: one pass per layer
            if step == 1.0:  # sums already scaled by lr/n (x·1.0 == x, so skipping the multiply is exact)
                return [p - acc for p, acc in zip(params, sums, strict=True)], dead
            return [p - step * acc for p, acc in zip(params, sums, strict=True)], dead
        out = [self._update_layer(p, acc, step, decay, reg, d) for p, acc, d in zip(params, sums, dead, strict=True)]
        return [p for p, _ in out], [d for _, d in out]

    @staticmethod
    def _update_layer(p, acc, step, decay, reg, dead):
        new = p - step * acc  # weights and bias row alike; only the weights are regularized below
        if reg != "none":
            w, stepped = p[:-1], new[:-1]
            regularized = stepped - decay * (np.sign(w) if reg == "L1" else w)  # R'(w) before this update
            if reg == "L1":
                crossed = stepped * regularized < 0
                if crossed.any():
                    regularized[crossed] = 0.0
                    dead = crossed if dead is None else dead | crossed
            new[:-1] = regularized
        if dead is not None:
            new[:-1][dead] = 0.0  # a dead link passes 0 and is never updated again
        return new, dead

    # -- the primitives the shared kernels (array_kernels) are written with
    _sqrt = staticmethod(np.sqrt)
    _exp = staticmethod(np.exp)
    _tanh = staticmethod(np.tanh)

    @staticmethod
    def _sigmoid(t):
        return 1.0 / (1.0 + np.exp(-t))

    @staticmethod
    def _relu(t):
        return np.maximum(t, 0.0)

    @staticmethod
    def _row_max(t):
        return t.max(axis=1, keepdims=True)

    @staticmethod
    def _row_sum(t):
        return t.sum(axis=1, keepdims=True)
