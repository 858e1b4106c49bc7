"""The ops API: backend-agnostic tensor operations, like tf.js's `tf.matMul`, `tf.tanh`, ...

A `Tensor` pairs backend data with the backend that made it; each op calls that backend's kernel.
Layers call kernels directly (fewer Python calls); this module is the public low-level interface.
"""

from __future__ import annotations

import numpy as np

from .backends import get_backend


class Tensor:
    __slots__ = ("data", "backend")

    def __init__(self, data, backend):
        self.data = data
        self.backend = backend

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.backend.shape(self.data))

    def numpy(self) -> np.ndarray:
        return np.array(self.backend.to_host(self.data), dtype=np.float64)

    def __add__(self, other):
        return add(self, other)

    def __sub__(self, other):
        return sub(self, other)

    def __mul__(self, other):
        return mul(self, other) if isinstance(other, Tensor) else scale(self, other)

    def __matmul__(self, other):
        return matmul(self, other)

    def __repr__(self) -> str:
        return f"Tensor({self.numpy()!r}, backend={self.backend.name!r}, dtype={self.backend.dtype!r})"


def tensor(values, backend: str = "numpy", dtype: str = "float64") -> Tensor:
    """A 2-D tensor (a 1-D input becomes one row) on the named backend."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[None, :]
    be = get_backend(backend, dtype)
    return Tensor(be.from_host(array), be)


def _same_backend(*tensors: Tensor):
    be = tensors[0].backend
    for t in tensors[1:]:
        if t.backend is not be:
            raise ValueError(f"tensors live on different backends ({be.name}/{be.dtype} and "
                             f"{t.backend.name}/{t.backend.dtype}); move one first")
    return be


def _binary(kernel: str, a: Tensor, b: Tensor) -> Tensor:
    be = _same_backend(a, b)
    (ra, ca), (rb, cb) = a.shape, b.shape
    if kernel == "matmul":
        if ca != rb:
            raise ValueError(f"matmul: inner dimensions differ: {a.shape} @ {b.shape}")
    elif not (ca == cb and (ra == rb or rb == 1)):
        raise ValueError(f"{kernel}: shapes {a.shape} and {b.shape} do not broadcast (rows equal, or a 1×n row)")
    return Tensor(getattr(be, kernel)(a.data, b.data), be)


def add(a: Tensor, b: Tensor) -> Tensor:
    return _binary("add", a, b)


def sub(a: Tensor, b: Tensor) -> Tensor:
    return _binary("sub", a, b)


def mul(a: Tensor, b: Tensor) -> Tensor:
    return _binary("mul", a, b)


def matmul(a: Tensor, b: Tensor) -> Tensor:
    return _binary("matmul", a, b)


def scale(a: Tensor, s: float) -> Tensor:
    return Tensor(a.backend.scale(a.data, float(s)), a.backend)


def transpose(a: Tensor) -> Tensor:
    return Tensor(a.backend.transpose(a.data), a.backend)


def activation(name: str, z: Tensor) -> Tensor:
    return Tensor(z.backend.activation(name, z.data), z.backend)


def activation_grad(name: str, z: Tensor) -> Tensor:
    """d activation(z) / dz elementwise."""
    a = z.backend.activation(name, z.data)
    return Tensor(z.backend.activation_grad(name, z.data, a), z.backend)


def relu(z: Tensor) -> Tensor:
    return activation("relu", z)


def tanh(z: Tensor) -> Tensor:
    return activation("tanh", z)


def sigmoid(z: Tensor) -> Tensor:
    return activation("sigmoid", z)


def softmax(z: Tensor) -> Tensor:
    return activation("softmax", z)


def sum_rows(a: Tensor) -> Tensor:
    return Tensor(a.backend.sum_rows(a.data), a.backend)


def sum_all(a: Tensor) -> float:
    return a.backend.sum_all(a.data)


def sign(a: Tensor) -> Tensor:
    return Tensor(a.backend.sign(a.data), a.backend)
