"""Kernels written with Python's operators, shared by the backends whose tensors take them (numpy, torch).

The same expressions on either library. What differs is a handful of primitives each backend supplies
(`_sqrt`, `_exp`, `_tanh`, `_sigmoid`, `_relu`, `_row_max`, `_row_sum`: one library call each, so a
step launches as few kernels as the library allows); everything here is written with them.

`ACTIVATIONS` is the one table of activations for both array libraries: per name its forward function and
`da·f'(z)` (None where no elementwise derivative exists: softmax's is fused into cross-entropy). The pure
Python `cpu` backend keeps its own table with the same names; `kernels.ACTIVATIONS` lists them and the
conformance suite checks that every table covers exactly that list.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .kernels import ACTIVATIONS as NAMES
from .kernels import LOSSES


class Activation(NamedTuple):
    forward: Any  # (kernels, z) -> a
    grad_times: Any  # (kernels, da, z, a) -> da · f'(z), given a = forward(z); None: no elementwise derivative


def _softmax(k, z):
    e = k._exp(z - k._row_max(z))  # shifted by the row max so exp cannot overflow
    return e / k._row_sum(e)


ACTIVATIONS = {
    "relu": Activation(lambda k, z: k._relu(z), lambda k, da, z, a: da * (z > 0)),  # relu'(0) = 0, as the playground
    "tanh": Activation(lambda k, z: k._tanh(z), lambda k, da, z, a: da * (1.0 - a * a)),
    "sigmoid": Activation(lambda k, z: k._sigmoid(z), lambda k, da, z, a: da * (a * (1.0 - a))),
    "linear": Activation(lambda k, z: z, lambda k, da, z, a: da),
    "softmax": Activation(_softmax, None),  # row-wise
}
assert tuple(ACTIVATIONS) == NAMES, "array_kernels.ACTIVATIONS and kernels.ACTIVATIONS must list the same names"


def _unknown(name):
    return ValueError(f"unknown activation {name!r}; choose one of {', '.join(NAMES)}")


class ArrayKernels:
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

    # -- activations, from the shared table
    def activation(self, name, z):
        act = ACTIVATIONS.get(name)
        if act is None:  # a ValueError naming the choices, not a bare KeyError
            raise _unknown(name)
        return act.forward(self, z)

    def _grad_times(self, name, da, z, a):
        """da · activation'(z)."""
        act = ACTIVATIONS.get(name)
        if act is None:
            raise _unknown(name)
        if act.grad_times is None:
            raise ValueError(f"activation {name!r} has no elementwise derivative (softmax pairs with cross-entropy)")
        return act.grad_times(self, da, z, a)

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
