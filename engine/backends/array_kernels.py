"""Kernels written with Python's operators, shared by the backends whose tensors take them (numpy, torch).

The same expressions on either library. What differs is a handful of primitives each backend supplies
(`_sqrt`, `_exp`, `_tanh`, `_sigmoid`, `_relu`, `_row_max`, `_row_sum`: one library call each, so a
step launches as few kernels as the library allows); everything here is written with them.

`ACTIVATIONS` is the one table of activations for both array libraries: per name, f(z) and da·f'(z) as
Python expressions over the primitives `exp`, `tanh`, `sigmoid`, `relu`, `softmax` (and `abs`), compiled
once per backend. The standalone notebook (`playground/export/standalone_cells.py`) writes the same expressions
out as numpy code. The pure Python `cpu` backend keeps its own table with the same names;
`kernels.ACTIVATIONS` lists them and the conformance suite checks that every table covers exactly that list.
"""

from __future__ import annotations

from typing import NamedTuple

from .kernels import ACTIVATIONS as NAMES
from .kernels import LOSSES


class Activation(NamedTuple):
    forward: str  # f(z): an expression in z
    grad_times: str | None  # da·f'(z): an expression in da, z and a = f(z); None: no elementwise derivative
    note: str = ""  # why, where it is not obvious


ACTIVATIONS = {
    "relu": Activation("relu(z)", "da * (z > 0)", "the slope at exactly 0 counts as 0, as in the playground"),
    "tanh": Activation("tanh(z)", "da * (1.0 - a * a)"),
    "sigmoid": Activation("sigmoid(z)", "da * (a * (1.0 - a))"),
    "linear": Activation("z", "da"),
    "softmax": Activation("softmax(z)", None, "row-wise; its slope is fused into cross-entropy"),
}
PRIMITIVES = ("exp", "tanh", "sigmoid", "relu", "softmax")  # each backend's `_exp`, ... (softmax: `_softmax` below)
if tuple(ACTIVATIONS) != NAMES:
    raise ImportError("array_kernels.ACTIVATIONS and kernels.ACTIVATIONS must list the same names")


def compile_activations(primitives: dict) -> dict[str, tuple]:
    """The table as functions over one library's `primitives` (name -> function): per activation
    (f(z), da·f'(z) or None)."""
    namespace = {"__builtins__": {"abs": abs}, **primitives}
    return {name: (eval(f"lambda z: {act.forward}", namespace),  # eval of our own table above, never of input
                   None if act.grad_times is None else eval(f"lambda da, z, a: {act.grad_times}", namespace))
            for name, act in ACTIVATIONS.items()}


def _unknown(name):
    return ValueError(f"unknown activation {name!r}; choose one of {', '.join(NAMES)}")


class ArrayKernels:
    def __init__(self):
        """Call at the end of a subclass's __init__, once its primitives work."""
        self._activations = compile_activations({name: getattr(self, f"_{name}") for name in PRIMITIVES})

    # -- the library's primitives
    def _sqrt(self, t):
        raise NotImplementedError

    def _exp(self, t):
        raise NotImplementedError

    def _tanh(self, t):
        raise NotImplementedError

    def _sigmoid(self, t):
        """1 / (1 + exp(−t))."""
        raise NotImplementedError

    def _relu(self, t):
        """max(t, 0), NaN passing through."""
        raise NotImplementedError

    def _row_max(self, t):
        """Each row's maximum as a column (n × 1)."""
        raise NotImplementedError

    def _row_sum(self, t):
        """Each row's sum as a column (n × 1)."""
        raise NotImplementedError

    def _softmax(self, z):
        e = self._exp(z - self._row_max(z))  # shifted by the row max so exp cannot overflow
        return e / self._row_sum(e)

    # -- activations, from the shared table
    def activation(self, name, z):
        fns = self._activations.get(name)
        if fns is None:  # a ValueError naming the choices, not a bare KeyError
            raise _unknown(name)
        return fns[0](z)

    def _grad_times(self, name, da, z, a):
        """da · activation'(z)."""
        fns = self._activations.get(name)
        if fns is None:
            raise _unknown(name)
        if fns[1] is None:
            raise ValueError(f"activation {name!r} has no elementwise derivative (softmax pairs with cross-entropy)")
        return fns[1](da, z, a)

    # -- operators
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

    def dense_backward(self, da, x1, p, z, a, act, need_dx):
        """One layer back: (∂loss/∂x or None, ∂loss/∂[W; b]) from ∂loss/∂a, with x1 = [x, 1]."""
        dz = self._grad_times(act, da, z, a)
        dx = dz @ p[:-1].T if need_dx else None  # the ones column's gradient is never needed
        return dx, x1.T @ dz

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
