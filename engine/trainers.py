"""The two trainers an experiment uses: `PlaygroundTrainer`, training exactly as TensorFlow Playground does
(its nn.ts `backProp`/`updateWeights`, playground.ts `oneStep`), and `MinibatchTrainer`, ordinary mini-batch
training with an optimizer (Keras's rule, `Sequential.train_epoch`). Both have one interface: `train_epoch`,
`loss`, `dead_links`, `learning_rate`, `reset_accumulators`, `to_backend`.

Losses: "square", 0.5·(o − t)² (the playground's), and "cross_entropy": a softmax output of K ≥ 2 units
trained on integer class labels 0…K−1 (one-hot encoded here, once per array), −ln p[label] per point, its
gradient p − onehot taken w.r.t. the logits (softmax and cross-entropy fused). `MinibatchTrainer` also
takes "binary_crossentropy" (one sigmoid unit, targets 0/1).

PlaygroundTrainer: one epoch walks the training points in order, accumulating derivatives; after every `batch_size`-th
point (`(i + 1) % batch_size == 0`) the weights are updated and the sums cleared. Points left over at the
end of an epoch stay accumulated and join the first update of the next epoch. Within a batch the weights
do not change, so a batch's derivatives are summed with one fused matrix pass instead of point by point.
"""

from __future__ import annotations

import numpy as np

from .backends.kernels import REGULARIZATIONS
from .models import Sequential, as_matrix
from .optimizers import get as get_optimizer

# trainer loss name -> the backend's loss kernel
_KERNEL_LOSS = {"square": "square", "cross_entropy": "categorical_crossentropy",
                "binary_crossentropy": "binary_crossentropy"}
PLAYGROUND_LOSSES = ("square", "cross_entropy")
MINIBATCH_LOSSES = ("square", "cross_entropy", "binary_crossentropy")


def _check_batch_size(batch_size) -> int:
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return int(batch_size)


def _check_loss(model: Sequential, loss: str, allowed: tuple[str, ...]) -> None:
    if loss not in allowed:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(allowed)}")
    out = model.layers[-1]
    if loss == "cross_entropy" and (out.activation != "softmax" or out.units < 2):
        raise ValueError(f"loss 'cross_entropy' needs a softmax output layer of 2 or more units, "
                         f"got {out.units} {out.activation} unit(s)")


def one_hot(labels, classes: int) -> np.ndarray:
    """Integer class labels 0…classes−1 (shape (n,) or (n, 1); floats holding integers are accepted) as an
    (n, classes) float64 one-hot matrix; ValueError naming the first bad label otherwise."""
    y = as_matrix(labels, "y", 1)[:, 0]
    bad = (y != np.round(y)) | (y < 0) | (y >= classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"y must hold class labels 0…{classes - 1}; y[{i}] is {float(y[i])!r}")
    out = np.zeros((len(y), classes))
    out[np.arange(len(y)), y.astype(np.intp)] = 1.0
    return out


class _Uploads:
    """Host arrays uploaded to the model's backend once per array: x (with its ones column when `ones`) and
    y as the loss wants it (one-hot for cross-entropy). Keyed by the array's identity, as the app passes the
    same arrays every epoch; cleared when the model moves."""

    def __init__(self, model: Sequential, loss: str, ones: bool):
        self.model, self.loss, self.ones = model, loss, ones
        self._tensors: dict[tuple, tuple] = {}

    def __call__(self, values, name: str):
        key = (id(values), name)
        hit = self._tensors.get(key)
        if hit is not None and hit[0] is values:
            return hit[1]
        model = self.model
        be = model.backend
        if name == "x":
            tensor = be.from_host(as_matrix(values, "x", model.input_dim))
            if self.ones:
                tensor = be.append_ones(tensor)  # [x, 1]: what the first layer's [W; b] multiplies
        elif self.loss == "cross_entropy":
            tensor = be.from_host(one_hot(values, model.layers[-1].units))
        else:
            tensor = be.from_host(as_matrix(values, "y", model.layers[-1].units))
        if len(self._tensors) > 8:
            self._tensors.clear()
        self._tensors[key] = (values, tensor)  # holding `values` keeps its id from being reused
        return tensor

    def clear(self) -> None:
        self._tensors.clear()


class _Trainer:
    """What both trainers share: the loss over some points, through the same uploads as training."""

    model: Sequential
    _kernel_loss: str  # the backend's loss kernel for the trainer's loss
    _tensor: _Uploads

    def loss(self, x, y) -> float:
        """Mean over the points of the trained loss: 0.5·(output − label)² for "square" (the playground's
        getLoss), −ln p[label] for cross-entropy."""
        return self.evaluate(x, y)[0]

    def evaluate(self, x, y) -> tuple[float, np.ndarray | None]:
        """`loss(x, y)` and the network's outputs for the points (host array, as `Sequential.predict`; None
        without points): one forward pass for both."""
        be = self.model.backend
        xt, yt = self._tensor(x, "x"), self._tensor(y, "y")
        n = be.shape(xt)[0]
        if n == 0:
            return 0.0, None
        out, _ = self.model.forward(xt, has_ones=self._tensor.ones)
        return be.loss_sum(self._kernel_loss, out, yt) / n, self.model.to_numpy(out)


class PlaygroundTrainer(_Trainer):
    """Per-point SGD with the playground's update rule, L1 dead links and leftovers; loss "square" (the
    playground's 0.5·(o − t)²) or "cross_entropy" (softmax output, integer labels)."""

    def __init__(self, model: Sequential, learning_rate: float = 0.03, regularization: str = "none",
                 regularization_rate: float = 0.0, batch_size: int = 10, loss: str = "square"):
        _check_loss(model, loss, PLAYGROUND_LOSSES)
        if regularization not in REGULARIZATIONS:
            raise ValueError(f"unknown regularization {regularization!r}; choose one of {', '.join(REGULARIZATIONS)}")
        if not model.built:
            raise ValueError("build the model (or set its weights) before training")
        self.model = model
        self.learning_rate = float(learning_rate)
        self.regularization = regularization
        self.regularization_rate = float(regularization_rate)
        self.batch_size = _check_batch_size(batch_size)
        self.loss_name = loss
        self._kernel_loss = _KERNEL_LOSS[loss]
        self.epoch = 0
        self._acc = None  # [Σ[dW; db] per layer] since the last update, or None
        self._count = 0  # derivatives accumulated since the last update (the playground's numAccumulatedDers)
        self._dead = [None] * len(model.layers)  # per layer: mask of links L1 has killed, or None
        self._data_key = None
        self._chunks = ()
        self._tensor = _Uploads(model, loss, ones=True)

    # -- data: uploaded once per array and backend, split at the batch boundaries
    def _prepare(self, x, y):
        key = (x, y, self.batch_size, self.model.backend)
        if self._data_key is not None and all(a is b for a, b in zip(key, self._data_key, strict=False)):
            return self._chunks
        be = self.model.backend
        xt, yt = self._tensor(x, "x"), self._tensor(y, "y")
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
        lr, reg, loss = self.learning_rate, self.regularization, self._kernel_loss
        decay = lr * self.regularization_rate
        for x1, yc, n_points, ends_batch in self._prepare(x, y):
            params = [layer.params for layer in layers]
            if ends_batch and self._acc is None:
                # The usual case, a whole batch in one chunk: n is known before the pass, so lr/n scales the
                # output error once instead of every layer's sum (the same update up to rounding).
                sums, step = network_gradients(x1, yc, params, acts, loss, lr / n_points, work), 1.0
            else:
                grads = network_gradients(x1, yc, params, acts, loss, 1.0, work)
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
        self._data_key, self._chunks = None, ()
        self._tensor.clear()


class MinibatchTrainer(_Trainer):
    """Ordinary mini-batch training: one optimizer step ("sgd", "momentum", "adam") on the mean gradient of
    each batch of `batch_size` points in order (`Sequential.train_epoch`), with the trainer interface above.
    No regularization and no leftovers: the last batch of an epoch may be smaller."""

    def __init__(self, model: Sequential, optimizer: str = "sgd", learning_rate: float = 0.01,
                 batch_size: int = 10, loss: str = "square"):
        _check_loss(model, loss, MINIBATCH_LOSSES)
        if not model.built:
            raise ValueError("build the model (or set its weights) before training")
        self._kernel_loss = _KERNEL_LOSS[loss]
        self.model = model.compile(get_optimizer(optimizer, learning_rate), self._kernel_loss)
        self.batch_size = _check_batch_size(batch_size)
        self.loss_name = loss
        self.epoch = 0
        self._tensor = _Uploads(model, loss, ones=False)

    @property
    def learning_rate(self) -> float:
        return self.model.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.model.optimizer.learning_rate = float(value)

    def train_epoch(self, x, y) -> None:
        xt, yt = self._tensor(x, "x"), self._tensor(y, "y")
        if self.model.backend.shape(yt)[0] != self.model.backend.shape(xt)[0]:
            raise ValueError(f"x has {self.model.backend.shape(xt)[0]} rows but y has {self.model.backend.shape(yt)[0]}")
        self.model.train_epoch(xt, yt, self.batch_size)
        self.epoch += 1

    def dead_links(self) -> list[np.ndarray]:
        """No link ever dies here (no L1): all-False masks, one per layer."""
        return [np.zeros((n_in, layer.units), bool)
                for layer, n_in in zip(self.model.layers, self.model.layer_sizes(), strict=False)]

    def reset_accumulators(self) -> None:
        """Nothing is carried between epochs."""

    def to_backend(self, name: str, dtype: str | None = None) -> None:
        """Move the model and the optimizer's state; training continues unchanged."""
        self.model.to_backend(name, dtype)
        self._tensor.clear()
