"""The `cpu` backend: every kernel in plain Python, the readable reference (as tf.js's plain-JS CPU backend).

No numpy here on purpose: this file shows what each kernel computes, one float at a time. A tensor is a
`Matrix`: its shape and a flat row-major list of Python floats (IEEE float64, so float64 only).

Speed comes from a few habits, not from cleverness: loop over flat lists with `zip`/`map`/comprehensions
(one interpreted step per element instead of several), precompute the column slices a product needs once,
and bind hot names locally. The fused kernels never go through the generic elementwise ones.
"""

from __future__ import annotations

import math
from operator import mul

from .kernels import ACTIVATIONS as KERNEL_ACTIVATIONS
from .kernels import LOSSES, REGULARIZATIONS, layered_gradients

_EPS = 1e-12  # cross-entropy clips probabilities to [eps, 1 − eps], as the numpy backend
_exp, _log, _sqrt, _tanh = math.exp, math.log, math.sqrt, math.tanh


def probe() -> tuple[bool, str, str]:
    return True, "", "host CPU (pure Python)"


def create(dtype: str) -> CpuBackend:
    if dtype != "float64":
        raise ValueError(f"the cpu backend computes in float64 (Python floats); {dtype!r} is not supported")
    return CpuBackend()


class Matrix:
    """A rows × cols tensor as a flat row-major list (`data[i * cols + j]`). Kernels never mutate one."""

    __slots__ = ("rows", "cols", "data")

    def __init__(self, rows: int, cols: int, data: list):
        if len(data) != rows * cols:
            raise ValueError(f"a {rows}×{cols} matrix needs {rows * cols} values, got {len(data)}")
        self.rows, self.cols, self.data = rows, cols, data

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.cols

    def tolist(self) -> list[list]:
        d, c = self.data, self.cols
        return [d[i:i + c] for i in range(0, self.rows * c, c)] if c else [[] for _ in range(self.rows)]

    def __repr__(self) -> str:
        return f"Matrix({self.rows}×{self.cols}, {self.tolist()!r})"


# -- helpers on flat lists

def _columns(m: Matrix) -> list[list]:
    """Each column of `m` as its own list (a strided slice: the cheapest way to walk down a column)."""
    return [m.data[j::m.cols] for j in range(m.cols)]


def _row_times_columns(xd: list, k: int, cols: list[list]) -> list:
    """Flat (n × len(cols)) product of the n rows of length k > 0 in `xd` with the given columns."""
    out = []
    extend = out.extend
    for start in range(0, len(xd), k):
        row = xd[start:start + k]
        extend([sum(map(mul, row, col)) for col in cols])
    return out


def _same_shape(a: Matrix, b: Matrix, kernel: str) -> None:
    if a.rows != b.rows or a.cols != b.cols:
        raise ValueError(f"{kernel}: shapes {a.shape} and {b.shape} differ")


def _broadcast(a: Matrix, b: Matrix, kernel: str) -> list:
    """b's values lined up with a's: b itself, or a 1×n row repeated for every row of a."""
    if a.cols == b.cols:
        if a.rows == b.rows:
            return b.data
        if b.rows == 1:
            return b.data * a.rows
    raise ValueError(f"{kernel}: shapes {a.shape} and {b.shape} do not broadcast (rows equal, or a 1×n row)")


def _sigmoid(v: float) -> float:
    try:
        return 1.0 / (1.0 + _exp(-v))
    except OverflowError:  # exp(−v) overflows for v < −709: numpy gets 1/inf = 0 there
        return 0.0


def _softmax(z: Matrix) -> list:
    out = []
    d, c = z.data, z.cols
    for start in range(0, len(d), c or 1):  # (no columns: no rows to walk)
        row = d[start:start + c]
        top = max(row)
        e = [_exp(v - top) for v in row]  # shifted by the row max so exp cannot overflow
        total = sum(e)
        out.extend([v / total for v in e])
    return out


# The activations, one float at a time: per name (forward on a Matrix -> flat list, da·f'(z) on flat lists
# given z and a = forward(z), or None where there is no elementwise derivative). The same names as
# `kernels.ACTIVATIONS`; numpy and torch share theirs in `array_kernels.ACTIVATIONS`.
ACTIVATIONS = {
    "relu": (lambda z: [0.0 if v <= 0.0 else v for v in z.data],  # so NaN passes through, as np.maximum
             lambda da, z, a: [g if v > 0.0 else 0.0 for g, v in zip(da, z, strict=True)]),  # relu'(0) = 0
    "tanh": (lambda z: list(map(_tanh, z.data)),
             lambda da, z, a: [g * (1.0 - v * v) for g, v in zip(da, a, strict=True)]),
    "sigmoid": (lambda z: list(map(_sigmoid, z.data)),
                lambda da, z, a: [g * (v * (1.0 - v)) for g, v in zip(da, a, strict=True)]),
    "linear": (lambda z: z.data, lambda da, z, a: da),
    "softmax": (_softmax, None),  # row-wise; its derivative is fused into cross-entropy
}


def _unknown(name: str) -> ValueError:
    return ValueError(f"unknown activation {name!r}; choose one of {', '.join(KERNEL_ACTIVATIONS)}")


def _activate(name: str, z: Matrix) -> list:
    try:
        forward = ACTIVATIONS[name][0]
    except KeyError:
        raise _unknown(name) from None
    return forward(z)


def _grad_times(name: str, da: list, z: list, a: list) -> list:
    """da · activation'(z) elementwise, using a = activation(z) where that is cheaper."""
    try:
        grad = ACTIVATIONS[name][1]
    except KeyError:
        raise _unknown(name) from None
    if grad is None:
        raise ValueError(f"activation {name!r} has no elementwise derivative (it pairs with cross-entropy)")
    return grad(da, z, a)


def _check_loss(kind: str, y_pred: Matrix, y_true: Matrix) -> None:
    if kind not in LOSSES:
        raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")
    _same_shape(y_pred, y_true, f"loss {kind}")


class CpuBackend:
    name = "cpu"
    dtype = "float64"
    device = "cpu"

    # -- data movement
    def from_host(self, array) -> Matrix:
        values = array.tolist() if hasattr(array, "tolist") else array
        if not isinstance(values, (list, tuple)) or not all(isinstance(r, (list, tuple)) for r in values):
            raise ValueError(f"expected a 2-D array (a list of rows), got {type(array).__name__}")
        rows = len(values)
        shape = getattr(array, "shape", None)  # keeps the column count of an empty (0 × n) array
        cols = len(values[0]) if rows else (shape[1] if shape is not None and len(shape) == 2 else 0)
        if any(len(r) != cols for r in values):
            raise ValueError("expected a 2-D array, got rows of different lengths")
        try:
            data = [float(v) for r in values for v in r]
        except (TypeError, ValueError) as exc:
            raise ValueError(f"expected numbers in a 2-D array: {exc}") from None
        return Matrix(rows, cols, data)

    def to_host(self, t: Matrix) -> list[list]:
        return t.tolist()

    def mask_from_host(self, array) -> Matrix:
        m = self.from_host(array)
        return Matrix(m.rows, m.cols, [v != 0.0 for v in m.data])

    def shape(self, t: Matrix) -> tuple[int, int]:
        return t.rows, t.cols

    def zeros(self, rows: int, cols: int) -> Matrix:
        return Matrix(rows, cols, [0.0] * (rows * cols))

    def slice_rows(self, t: Matrix, start: int, stop: int) -> Matrix:
        start, stop, _ = slice(start, stop).indices(t.rows)  # clips like numpy's t[start:stop]
        rows = max(0, stop - start)
        return Matrix(rows, t.cols, t.data[start * t.cols:(start + rows) * t.cols])

    def append_ones(self, t: Matrix) -> Matrix:
        c, data = t.cols, []
        for start in range(0, t.rows * c, c) if c else ():
            data += t.data[start:start + c]
            data.append(1.0)
        return Matrix(t.rows, c + 1, data if c else [1.0] * t.rows)

    # -- elementwise and linear algebra
    def add(self, a: Matrix, b: Matrix) -> Matrix:
        return Matrix(a.rows, a.cols, [x + y for x, y in zip(a.data, _broadcast(a, b, "add"), strict=True)])

    def sub(self, a: Matrix, b: Matrix) -> Matrix:
        return Matrix(a.rows, a.cols, [x - y for x, y in zip(a.data, _broadcast(a, b, "sub"), strict=True)])

    def mul(self, a: Matrix, b: Matrix) -> Matrix:
        return Matrix(a.rows, a.cols, [x * y for x, y in zip(a.data, _broadcast(a, b, "mul"), strict=True)])

    def scale(self, a: Matrix, s: float) -> Matrix:
        s = float(s)
        return Matrix(a.rows, a.cols, [x * s for x in a.data])

    def matmul(self, a: Matrix, b: Matrix) -> Matrix:
        if a.cols != b.rows:
            raise ValueError(f"matmul: inner dimensions differ: {a.shape} @ {b.shape}")
        if a.cols == 0:
            return self.zeros(a.rows, b.cols)
        return Matrix(a.rows, b.cols, _row_times_columns(a.data, a.cols, _columns(b)))

    def transpose(self, a: Matrix) -> Matrix:
        return Matrix(a.cols, a.rows, [v for col in _columns(a) for v in col])

    def activation(self, name: str, z: Matrix) -> Matrix:
        return Matrix(z.rows, z.cols, _activate(name, z))

    def activation_grad(self, name: str, z: Matrix, a: Matrix) -> Matrix:
        return Matrix(z.rows, z.cols, _grad_times(name, [1.0] * len(z.data), z.data, a.data))

    def sum_rows(self, a: Matrix) -> Matrix:
        return Matrix(1, a.cols, [float(sum(col)) for col in _columns(a)])

    def sum_all(self, a: Matrix) -> float:
        return float(sum(a.data))

    def sign(self, a: Matrix) -> Matrix:
        # −1, 0 or +1; NaN stays NaN as np.sign
        return Matrix(a.rows, a.cols, [1.0 if v > 0.0 else -1.0 if v < 0.0 else v * 0.0 for v in a.data])

    # -- fused: one layer forward, one layer backward (parameters P = [W; b], inputs x1 = [x, 1])
    def dense_forward(self, x1: Matrix, p: Matrix, act: str, ones: bool):
        k1, m = p.rows, p.cols
        if x1.cols != k1:
            raise ValueError(f"dense_forward: input {x1.shape} and parameters {p.shape} do not fit")
        z = Matrix(x1.rows, m, _row_times_columns(x1.data, k1, _columns(p)))  # x·W + 1·b
        a = z if act == "linear" else Matrix(x1.rows, m, _activate(act, z))
        return z, a, (self.append_ones(a) if ones else None)

    def dense_backward(self, da: Matrix, x1: Matrix, p: Matrix, z: Matrix, a: Matrix, act: str, need_dx: bool):
        n, m, k1 = da.rows, da.cols, x1.cols
        if (z.rows, z.cols) != (n, m) or (p.rows, p.cols) != (k1, m) or x1.rows != n:
            raise ValueError(f"dense_backward: da {da.shape}, input {x1.shape}, parameters {p.shape}, "
                             f"z {z.shape} do not fit")
        dz = _grad_times(act, da.data, z.data, a.data)
        dz_cols = [dz[j::m] for j in range(m)]
        dp = [sum(map(mul, x_col, dz_col)) for x_col in _columns(x1) for dz_col in dz_cols]  # x1ᵀ·dz
        dx = None
        if need_dx:
            k = k1 - 1  # the ones column's gradient is never needed
            w_rows = [p.data[r:r + m] for r in range(0, k * m, m)]  # the columns of Wᵀ
            dx = Matrix(n, k, _row_times_columns(dz, m, w_rows) if m else [0.0] * (n * k))  # dz·Wᵀ
        return dx, Matrix(k1, m, dp)

    def network_gradients(self, x1: Matrix, y: Matrix, params: list, acts, loss: str, scale: float, work: dict):
        return layered_gradients(self, x1, y, params, acts, loss, scale)  # its definition, kernel by kernel

    def loss_sum(self, kind: str, y_pred: Matrix, y_true: Matrix) -> float:
        _check_loss(kind, y_pred, y_true)
        if kind == "square":
            return 0.5 * sum([(p - t) * (p - t) for p, t in zip(y_pred.data, y_true.data, strict=True)])
        lo, hi = _EPS, 1.0 - _EPS
        if kind == "binary_crossentropy":
            clipped = [min(max(p, lo), hi) for p in y_pred.data]
            return -sum([t * _log(p) + (1.0 - t) * _log(1.0 - p)
                         for p, t in zip(clipped, y_true.data, strict=True)])
        return -sum([t * _log(min(max(p, lo), 1.0)) for p, t in zip(y_pred.data, y_true.data, strict=True)])

    def loss_grad(self, kind: str, y_pred: Matrix, y_true: Matrix) -> Matrix:
        _check_loss(kind, y_pred, y_true)
        # square: o − t; cross-entropy: p − t w.r.t. the output's pre-activation
        diff = [p - t for p, t in zip(y_pred.data, y_true.data, strict=True)]
        return Matrix(y_pred.rows, y_pred.cols, diff)

    # -- updates
    def playground_update(self, params: list, sums: list, step: float, decay: float, reg: str, dead: list):
        """The playground's per-link rule (nn.ts updateWeights) on every layer's P = [W; b]."""
        if reg not in REGULARIZATIONS:
            raise ValueError(f"unknown regularization {reg!r}; choose one of {', '.join(REGULARIZATIONS)}")
        out = [self._update_layer(p, acc, step, decay, reg, d) for p, acc, d in zip(params, sums, dead, strict=True)]
        return [p for p, _ in out], [d for _, d in out]

    @staticmethod
    def _update_layer(p: Matrix, acc: Matrix, step: float, decay: float, reg: str, dead):
        """p − step·acc; then each weight (not the bias row) minus decay·R'(w), R' taken at the weight *before*
        this update. Under L1 a weight whose step crosses zero is set to 0 and its link is dead from then on.
        `dead` covers the weights only (the first (rows − 1)·cols values)."""
        _same_shape(p, acc, "playground_update")
        stepped = [v - step * g for v, g in zip(p.data, acc.data, strict=True)]
        n_weights = (p.rows - 1) * p.cols
        old, new, bias = p.data[:n_weights], stepped[:n_weights], stepped[n_weights:]
        if reg == "L2":
            new = [s - decay * v for s, v in zip(new, old, strict=True)]
        elif reg == "L1":  # R'(w) = sign(w), 0 at 0
            regularized = [s - decay if v > 0.0 else s + decay if v < 0.0 else s
                           for s, v in zip(new, old, strict=True)]
            crossed = [s * v < 0.0 for s, v in zip(new, regularized, strict=True)]
            new = regularized
            if any(crossed):
                if dead is not None:
                    crossed = [c or d for c, d in zip(crossed, dead.data, strict=True)]
                dead = Matrix(p.rows - 1, p.cols, crossed)
        if dead is not None:
            # a dead link passes 0 and is never updated again
            new = [0.0 if d else v for v, d in zip(new, dead.data, strict=True)]
        return Matrix(p.rows, p.cols, new + bias), dead

    def sgd_update(self, p: Matrix, g: Matrix, lr: float) -> Matrix:
        _same_shape(p, g, "sgd_update")
        return Matrix(p.rows, p.cols, [v - lr * d for v, d in zip(p.data, g.data, strict=True)])

    def momentum_update(self, p: Matrix, g: Matrix, v: Matrix, lr: float, momentum: float):
        _same_shape(p, g, "momentum_update")
        vel = [momentum * u - lr * d for u, d in zip(v.data, g.data, strict=True)]
        new = [x + u for x, u in zip(p.data, vel, strict=True)]
        return Matrix(p.rows, p.cols, new), Matrix(p.rows, p.cols, vel)

    def adam_update(self, p: Matrix, g: Matrix, m: Matrix, v: Matrix, lr, beta1, beta2, eps, t):
        _same_shape(p, g, "adam_update")
        m1 = [beta1 * a + (1 - beta1) * d for a, d in zip(m.data, g.data, strict=True)]
        v1 = [beta2 * a + (1 - beta2) * (d * d) for a, d in zip(v.data, g.data, strict=True)]
        c1, c2 = 1 - beta1**t, 1 - beta2**t  # bias corrections
        new = [x - lr * (a / c1) / (_sqrt(b / c2) + eps) for x, a, b in zip(p.data, m1, v1, strict=True)]
        r, c = p.rows, p.cols
        return Matrix(r, c, new), Matrix(r, c, m1), Matrix(r, c, v1)
