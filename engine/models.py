"""Sequential model: a stack of Dense layers on one backend, movable to another with its weights kept."""

from __future__ import annotations

import random

import numpy as np

from .backends import get_backend, resolve_name
from .backends.kernels import LOSSES
from .layers import Dense

# Cross-entropy is fused with its output activation (the gradient is p − t w.r.t. the pre-activation).
_FUSED_OUTPUT = {"binary_crossentropy": "sigmoid", "categorical_crossentropy": "softmax"}


def as_matrix(values, name: str, columns: int | None = None) -> np.ndarray:
    """Validate user data as a finite 2-D float64 array (a 1-D array is one column)."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (examples × features), got shape {array.shape}")
    if columns is not None and array.shape[1] != columns:
        raise ValueError(f"{name} has {array.shape[1]} columns, the model expects {columns}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


class Sequential:
    def __init__(self, layers: list[Dense], backend: str = "numpy", dtype: str = "float64"):
        if not layers:
            raise ValueError("a Sequential model needs at least one layer")
        if layers[0].input_dim is None:
            raise ValueError("the first layer needs input_dim")
        hidden_softmax = [i for i, layer in enumerate(layers[:-1]) if layer.activation == "softmax"]
        if hidden_softmax:  # it has no elementwise derivative to pass a gradient back through
            raise ValueError(f"softmax can only be the output layer's activation (layer {hidden_softmax[0]} has it)")
        self.layers = list(layers)
        self.input_dim = int(layers[0].input_dim)
        self.dtype = dtype
        self.backend_name = resolve_name(backend, self.count_params())  # 'auto' is reported as what it chose
        self.backend = get_backend(self.backend_name, dtype)
        self.loss = "square"
        self.optimizer = None
        self.activation_names = tuple(layer.activation for layer in self.layers)
        self.workspace = {}  # the backend's scratch buffers for `gradients` (one model, one training thread)

    # -- shapes and weights
    def layer_sizes(self) -> list[int]:
        return [self.input_dim] + [layer.units for layer in self.layers]

    def count_params(self) -> int:
        sizes = self.layer_sizes()
        return sum(layer.count_params(n_in) for layer, n_in in zip(self.layers, sizes, strict=False))

    @property
    def built(self) -> bool:
        return self.layers[0].params is not None

    def build(self, rand=None, seed: int | None = None) -> Sequential:
        """Draw initial weights from `rand()` (uniform [0, 1), host side) or a `random.Random(seed)`."""
        rand = rand or random.Random(seed).random
        weights = []
        for layer, n_in in zip(self.layers, self.layer_sizes(), strict=False):
            weights.extend(layer.initial_weights(n_in, rand))
        return self.set_weights(weights)

    def get_weights(self) -> list[np.ndarray]:
        """[kernel (in, out), bias (out,), ...] in Keras order, as float64 host arrays."""
        out = []
        for layer in self.layers:
            params = self.to_numpy(layer.params)  # [kernel; bias]
            out += [params[:-1], params[-1]]
        return out

    def set_weights(self, weights) -> Sequential:
        weights = list(weights)
        if len(weights) != 2 * len(self.layers):
            raise ValueError(f"expected {2 * len(self.layers)} weight arrays (kernel, bias per layer), got {len(weights)}")
        be = self.backend
        staged = []
        for i, (layer, n_in) in enumerate(zip(self.layers, self.layer_sizes(), strict=False)):
            kernel = np.asarray(weights[2 * i], dtype=np.float64)
            bias = np.asarray(weights[2 * i + 1], dtype=np.float64).reshape(-1)
            if kernel.shape != (n_in, layer.units) or bias.shape != (layer.units,):
                raise ValueError(f"layer {i}: expected kernel {(n_in, layer.units)} and bias ({layer.units},), "
                                 f"got {kernel.shape} and {bias.shape}")
            if not (np.isfinite(kernel).all() and np.isfinite(bias).all()):
                raise ValueError(f"layer {i}: weights contain NaN or infinite values")
            staged.append(be.from_host(np.vstack([kernel, bias[None, :]])))
        for layer, params in zip(self.layers, staged, strict=False):
            layer.params = params
        return self

    def to_numpy(self, tensor) -> np.ndarray:
        return np.array(self.backend.to_host(tensor), dtype=np.float64)

    def tensor(self, values, name: str = "x", columns: int | None = None):
        return self.backend.from_host(as_matrix(values, name, columns))

    def to_backend(self, name: str, dtype: str | None = None) -> Sequential:
        """Move weights (and the optimizer's state) to another backend; training continues unchanged."""
        dtype = dtype or self.dtype
        old = self.backend
        name = resolve_name(name, self.count_params())
        new = get_backend(name, dtype)
        weights = self.get_weights() if self.built else None
        self.backend, self.backend_name, self.dtype, self.workspace = new, name, dtype, {}
        if weights is not None:
            self.set_weights(weights)
        if self.optimizer is not None:
            self.optimizer.move_state(old, new)
        return self

    # -- compute
    def forward(self, x, has_ones: bool = False):
        """Forward pass on a backend tensor x (already [x, 1] when `has_ones`); returns the output and each
        layer's (input with its ones column, z, a) cache."""
        fwd = self.backend.dense_forward
        x1 = x if has_ones else self.backend.append_ones(x)
        caches = []
        last = self.layers[-1]
        for layer in self.layers:
            z, a, next_x1 = fwd(x1, layer.params, layer.activation, layer is not last)
            caches.append((x1, z, a))
            x1 = next_x1
        return a, caches

    def gradients(self, x, y, loss: str = "square", has_ones: bool = False, scale: float = 1.0):
        """scale × the summed (over examples) gradients [dP, ...] of the loss, one [dW; db] per layer, on backend
        tensors; x is already [x, 1] when `has_ones`."""
        be = self.backend
        x1 = x if has_ones else be.append_ones(x)
        return be.network_gradients(x1, y, [layer.params for layer in self.layers], self.activation_names, loss,
                                    scale, self.workspace)

    def predict(self, x) -> np.ndarray:
        """The output for every example: (n, units); for a softmax output, each class's probability."""
        out, _ = self.forward(self.tensor(x, "x", self.input_dim))
        return self.to_numpy(out)

    def predict_classes(self, x) -> np.ndarray:
        """The class each example is given, as integers (n,): the most probable one for an output of K ≥ 2
        units (the first on a tie); for one unit, 1 where the output is above the middle of its range
        (0.5 for sigmoid, else 0) and 0 otherwise."""
        out = self.predict(x)
        if out.shape[1] > 1:
            return out.argmax(axis=1)
        middle = 0.5 if self.layers[-1].activation == "sigmoid" else 0.0
        return (out[:, 0] > middle).astype(np.intp)

    def layer_outputs(self, x) -> list[np.ndarray]:
        """Every layer's activations for `x` (one array per layer, examples × units): the neuron heatmaps."""
        _, caches = self.forward(self.tensor(x, "x", self.input_dim))
        return [self.to_numpy(a) for _, _, a in caches]

    # -- ordinary (Keras-style) training
    def compile(self, optimizer, loss: str = "square") -> Sequential:
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
        needed = _FUSED_OUTPUT.get(loss)
        if needed and self.layers[-1].activation != needed:
            raise ValueError(f"loss {loss!r} needs a {needed} output layer, got {self.layers[-1].activation!r}")
        self.loss, self.optimizer = loss, optimizer
        return self

    def evaluate(self, x, y) -> float:
        """Mean loss per example."""
        xt = self.tensor(x, "x", self.input_dim)
        yt = self.tensor(y, "y", self.layers[-1].units)
        out, _ = self.forward(xt)
        return self.backend.loss_sum(self.loss, out, yt) / self.backend.shape(xt)[0]

    def train_on_batch(self, x, y) -> None:
        """One optimizer step on the mean gradient of a batch (backend tensors)."""
        if self.optimizer is None:
            raise ValueError("call compile(optimizer, loss) before training")
        n = self.backend.shape(x)[0]
        self.optimizer.apply(self, self.gradients(x, y, self.loss), n)

    def train_epoch(self, x, y, batch_size: int) -> None:
        """One pass of `train_on_batch` over backend tensors x, y in data order, batches of `batch_size`
        (the last one may be smaller): the batch loop of `fit` and of `engine.trainers.MinibatchTrainer`."""
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        be = self.backend
        n = be.shape(x)[0]
        for start in range(0, n, batch_size):
            stop = min(n, start + batch_size)
            self.train_on_batch(be.slice_rows(x, start, stop), be.slice_rows(y, start, stop))

    def fit(self, x, y, epochs: int = 1, batch_size: int = 32) -> list[float]:
        """Mini-batch training in data order; returns the mean loss after each epoch."""
        xt = self.tensor(x, "x", self.input_dim)
        yt = self.tensor(y, "y", self.layers[-1].units)
        n = self.backend.shape(xt)[0]
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        history = []
        for _ in range(epochs):
            self.train_epoch(xt, yt, batch_size)
            out, _ = self.forward(xt)
            history.append(self.backend.loss_sum(self.loss, out, yt) / n)
        return history
