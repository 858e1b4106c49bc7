"""Training exactly as TensorFlow Playground does (its nn.ts `backProp`/`updateWeights`, playground.ts `oneStep`).

One epoch walks the training points in order, accumulating derivatives; after every `batch_size`-th
point (`(i + 1) % batch_size == 0`) the weights are updated and the sums cleared. Points left over at the
end of an epoch stay accumulated and join the first update of the next epoch. Within a batch the weights
do not change, so a batch's derivatives are summed with one fused matrix pass instead of point by point.
"""

from __future__ import annotations

import numpy as np

from .backends.kernels import REGULARIZATIONS
from .models import Sequential, as_matrix


def _check_batch_size(batch_size) -> int:
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return int(batch_size)


class PlaygroundTrainer:
    """Per-point SGD with the playground's loss 0.5·(o − t)², update rule, L1 dead links and leftovers."""

    def __init__(self, model: Sequential, learning_rate: float = 0.03, regularization: str = "none",
                 regularization_rate: float = 0.0, batch_size: int = 10):
        if regularization not in REGULARIZATIONS:
            raise ValueError(f"unknown regularization {regularization!r}; choose one of {', '.join(REGULARIZATIONS)}")
        if not model.built:
            raise ValueError("build the model (or set its weights) before training")
        self.model = model
        self.learning_rate = float(learning_rate)
        self.regularization = regularization
        self.regularization_rate = float(regularization_rate)
        self.batch_size = _check_batch_size(batch_size)
        self.epoch = 0
        self._acc = None  # [Σ[dW; db] per layer] since the last update, or None
        self._count = 0  # derivatives accumulated since the last update (the playground's numAccumulatedDers)
        self._dead = [None] * len(model.layers)  # per layer: mask of links L1 has killed, or None
        self._data_key = None
        self._chunks = ()
        self._tensors: dict[int, tuple] = {}

    # -- data: uploaded once per array and backend (inputs with their ones column), split at the batch boundaries
    def _tensor(self, values, name: str, columns: int):
        key = (id(values), name)
        hit = self._tensors.get(key)
        if hit is not None and hit[0] is values:
            return hit[1]
        be = self.model.backend
        tensor = be.from_host(as_matrix(values, name, columns))
        if name == "x":
            tensor = be.append_ones(tensor)  # [x, 1]: what the first layer's [W; b] multiplies
        if len(self._tensors) > 8:
            self._tensors.clear()
        self._tensors[key] = (values, tensor)  # holding `values` keeps its id from being reused
        return tensor

    def _prepare(self, x, y):
        key = (x, y, self.batch_size, self.model.backend)
        if self._data_key is not None and all(a is b for a, b in zip(key, self._data_key, strict=False)):
            return self._chunks
        be = self.model.backend
        xt = self._tensor(x, "x", self.model.input_dim)
        yt = self._tensor(y, "y", 1)
        n = be.shape(xt)[0]
        if be.shape(yt)[0] != n:
            raise ValueError(f"x has {n} rows but y has {be.shape(yt)[0]}")
        chunks = []
        start, bs = 0, self.batch_size
        while start < n:
            stop = min(n, (start // bs + 1) * bs)
            chunks.append((be.slice_rows(xt, start, stop), be.slice_rows(yt, start, stop), stop - start, stop % bs == 0))
            start = stop
        self._data_key, self._chunks = key, tuple(chunks)
        return self._chunks

    # -- training
    def train_epoch(self, x, y) -> None:
        """One pass over the training points in order (host arrays: x (n, inputs), y (n,) or (n, 1)).

        Calls the backend's whole-network kernels directly (one gradient pass and one update per batch):
        at playground size each Python layer between them costs as much as the arithmetic.
        """
        model = self.model
        be, layers, acts, work = model.backend, model.layers, model.activation_names, model.workspace
        network_gradients, update = be.network_gradients, be.playground_update
        lr, reg = self.learning_rate, self.regularization
        decay = lr * self.regularization_rate
        for x1, yc, n_points, ends_batch in self._prepare(x, y):
            params = [layer.params for layer in layers]
            if ends_batch and self._acc is None:
                # The usual case, a whole batch in one chunk: n is known before the pass, so lr/n scales the
                # output error once instead of every layer's sum (the same update up to rounding).
                sums, step = network_gradients(x1, yc, params, acts, "square", lr / n_points, work), 1.0
            else:
                grads = network_gradients(x1, yc, params, acts, "square", 1.0, work)
                self._acc = grads if self._acc is None else [be.add(a, g) for a, g in zip(self._acc, grads, strict=True)]
                self._count += n_points
                if not ends_batch:
                    continue
                sums, step = self._acc, lr / self._count
                self._acc, self._count = None, 0
            # p ← p − step·Σ∂E/∂p for every layer's [W; b], then the weights' regularization: the bias rows
            # are never regularized and never dead
            params, self._dead = update(params, sums, step, decay, reg, self._dead)
            for layer, p in zip(layers, params, strict=True):
                layer.params = p
        self.epoch += 1

    def loss(self, x, y) -> float:
        """Mean over the points of 0.5·(output − label)², as the playground's getLoss."""
        be = self.model.backend
        xt = self._tensor(x, "x", self.model.input_dim)
        yt = self._tensor(y, "y", 1)
        n = be.shape(xt)[0]
        if n == 0:
            return 0.0
        out, _ = self.model.forward(xt, has_ones=True)
        return be.loss_sum("square", out, yt) / n

    # -- state
    def dead_links(self) -> list[np.ndarray]:
        """Per layer, a boolean (inputs, units) mask of the links L1 regularization has killed."""
        out = []
        for layer, n_in, dead in zip(self.model.layers, self.model.layer_sizes(), self._dead, strict=False):
            out.append(np.zeros((n_in, layer.units), bool) if dead is None
                       else np.array(self.model.backend.to_host(dead), dtype=bool))  # a copy: callers may edit it
        return out

    def reset_accumulators(self) -> None:
        self._acc, self._count = None, 0

    def to_backend(self, name: str, dtype: str | None = None) -> None:
        """Move the model, the pending derivative sums and the dead-link masks; training continues unchanged."""
        old = self.model.backend
        acc = None if self._acc is None else [np.asarray(old.to_host(t), dtype=np.float64) for t in self._acc]
        dead = self.dead_links()
        had_dead = [d is not None for d in self._dead]
        self.model.to_backend(name, dtype)
        new = self.model.backend
        self._acc = None if acc is None else [new.from_host(t) for t in acc]
        self._dead = [new.mask_from_host(d) if alive else None for d, alive in zip(dead, had_dead, strict=False)]
        self._data_key, self._chunks, self._tensors = None, (), {}
