"""The same work outside the engine: the rows the engine is compared to.

numpy-floor  W1 as the fewest numpy calls: bias folded into the matmul (activations carry a ones column),
             lr/n folded into the output error, weights updated in place; 25 numpy calls per batch.
torch-cpu    plain PyTorch autograd + torch.optim.SGD: W1 (float64, per batch) and W2 (float32).
sklearn      MLPClassifier.partial_fit, one call per batch (W1).
micrograd    scalar autograd (W1), with a one-node tanh as its own ops are built.

Each W1 peer starts from the engine's initial weights and does the playground's update
w ← w − (lr/n)·Σ∂E/∂w with E = ½(o − t)² (sklearn: its own logistic output and log-loss).
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np

from .config import BenchConfig
from .data import w1_inputs, w2_inputs
from .timing import Timing, sampled
from .workloads import join_notes, sample_note

PEER_WORKLOADS = {
    "numpy-floor": ("W1",),
    "torch-cpu": ("W1", "W2"),
    "sklearn": ("W1",),
    "micrograd": ("W1",),
}
_NEEDS = {"torch-cpu": "torch", "sklearn": "sklearn", "micrograd": "micrograd"}


def missing(peer: str) -> str:
    """Why `peer` cannot run here ('' when it can)."""
    module = _NEEDS.get(peer)
    if module and importlib.util.find_spec(module) is None:
        return f"{module} is not installed"
    return ""


def _w1_batches(cfg: BenchConfig, batches: int):
    """(weights [kernel, bias, ...], [(x, y (rows, 1)), ...] for the first `batches` batches)."""
    x, y, weights = w1_inputs(cfg.w1_points, cfg.seed, tuple(cfg.w1_hidden))
    b = cfg.w1_batch
    return weights, [(x[i * b:(i + 1) * b], y[i * b:(i + 1) * b, None]) for i in range(batches)]


class FloorW1:
    """The hand-written minimum for one W1 epoch (tanh layers, float64)."""

    def __init__(self, cfg: BenchConfig, batches: int):
        weights, data = _w1_batches(cfg, batches)
        # [kernel; bias] per layer, so x·W + b is one matmul of [x, 1]; the kernel's transpose is a view
        self.w = [np.vstack([k, b[None, :]]) for k, b in zip(weights[::2], weights[1::2], strict=True)]
        w_t = [w[:-1].T for w in self.w]
        hidden = [np.ones((cfg.w1_batch, w.shape[1] + 1)) for w in self.w[:-1]]  # activations + ones column
        outs = [h[:, :-1] for h in hidden]
        c = cfg.learning_rate / cfg.w1_batch
        w = self.w
        last = len(w) - 1
        batches = []
        for x, y in data:
            inputs = [np.hstack([x, np.ones((len(x), 1))]), *hidden]
            batches.append((inputs, [t.T for t in inputs], y))

        def epoch():
            tanh = np.tanh
            for inputs, inputs_t, target in batches:
                for i in range(last):
                    tanh(inputs[i] @ w[i], out=outs[i])
                a = tanh(inputs[last] @ w[last])
                d = (a - target) * (c - c * a * a)  # (lr/n)·∂E/∂z: everything below is linear in it
                for i in range(last, 0, -1):
                    back = d @ w_t[i]  # before w[i] moves
                    w[i] -= inputs_t[i] @ d
                    d = back * (1.0 - outs[i - 1] * outs[i - 1])
                w[0] -= inputs_t[0] @ d

        self.epoch = epoch

    def weights(self) -> list[np.ndarray]:
        out = []
        for w in self.w:
            out += [w[:-1].copy(), w[-1].copy()]
        return out


def _torch_mlp(weights: list[np.ndarray], dtype: str, activation: str, last: bool):
    """torch.nn.Sequential of Linear layers holding `weights` (Keras order), each followed by `activation`
    ("Tanh", "ReLU"), the last one only if `last`."""
    import torch

    modules = []
    for kernel, bias in zip(weights[::2], weights[1::2], strict=True):
        linear = torch.nn.Linear(*kernel.shape, dtype=getattr(torch, dtype))
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(kernel.T.copy()))
            linear.bias.copy_(torch.from_numpy(bias))
        modules += [linear, getattr(torch.nn, activation)()]
    return torch.nn.Sequential(*(modules if last else modules[:-1]))


def _torch_weights(model) -> list[np.ndarray]:
    out = []
    for linear in model[::2]:
        out += [linear.weight.detach().numpy().T.astype(np.float64), linear.bias.detach().numpy().astype(np.float64)]
    return out


class TorchW1:
    """Linear+Tanh layers in float64; loss Σ½(o − t)²/n per batch, so torch.optim.SGD does the playground's step."""

    def __init__(self, cfg: BenchConfig, batches: int):
        import torch

        weights, data = _w1_batches(cfg, batches)
        self.model = _torch_mlp(weights, "float64", "Tanh", last=True)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=cfg.learning_rate)
        self.data = [(torch.from_numpy(x.copy()), torch.from_numpy(y.copy())) for x, y in data]

    def epoch(self):
        model, optimizer = self.model, self.optimizer
        for x, y in self.data:
            optimizer.zero_grad(set_to_none=True)
            loss = ((model(x) - y) ** 2).sum() * (0.5 / len(x))
            loss.backward()
            optimizer.step()

    def weights(self) -> list[np.ndarray]:
        return _torch_weights(self.model)


class TorchW2:
    """The W2 MLP in float32 with F.cross_entropy (softmax + categorical cross-entropy, batch mean)."""

    def __init__(self, cfg: BenchConfig, batches: int):
        import torch

        x, y, weights = w2_inputs(tuple(cfg.w2_sizes), cfg.w2_batch * cfg.w2_batches, cfg.seed)
        self.model = _torch_mlp(weights, "float32", "ReLU", last=False)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=cfg.w2_learning_rate)
        xs = torch.from_numpy(x.astype(np.float32))
        labels = torch.from_numpy(y.argmax(axis=1))
        b = cfg.w2_batch
        self.data = [(xs[i * b:(i + 1) * b], labels[i * b:(i + 1) * b]) for i in range(batches)]
        self._cross_entropy = torch.nn.functional.cross_entropy

    def epoch(self):
        model, optimizer, cross_entropy = self.model, self.optimizer, self._cross_entropy
        for x, labels in self.data:
            optimizer.zero_grad(set_to_none=True)
            cross_entropy(model(x), labels).backward()
            optimizer.step()

    def weights(self) -> list[np.ndarray]:
        return _torch_weights(self.model)


class SklearnW1:
    """MLPClassifier(tanh, sgd, batch_size = the batch), started from the engine's hidden weights; plain SGD
    (momentum 0, no L2) at the playground's learning rate. Its output is sklearn's logistic unit with log-loss."""

    def __init__(self, cfg: BenchConfig, batches: int):
        from sklearn.neural_network import MLPClassifier

        weights, data = _w1_batches(cfg, batches)
        self.clf = MLPClassifier(hidden_layer_sizes=tuple(cfg.w1_hidden), activation="tanh", solver="sgd",
                                 batch_size=cfg.w1_batch, learning_rate_init=cfg.learning_rate, momentum=0.0, alpha=0.0,
                                 random_state=cfg.seed)
        self.data = [(x, y[:, 0]) for x, y in data]
        x0, y0 = self.data[0]
        self.clf.partial_fit(x0, y0, classes=np.array([-1.0, 1.0]))  # builds the network (not timed)
        for mine, theirs in zip(self.clf.coefs_ + self.clf.intercepts_, weights[::2] + weights[1::2], strict=True):
            mine[...] = theirs

    def epoch(self):
        partial_fit = self.clf.partial_fit
        for x, y in self.data:
            partial_fit(x, y)


def _tanh(v):
    """tanh as one micrograd node (micrograd 0.1.0 has only +, *, ** and relu)."""
    from micrograd.engine import Value

    t = math.tanh(v.data)
    out = Value(t, (v,), "tanh")

    def _backward():
        v.grad += (1.0 - t * t) * out.grad

    out._backward = _backward
    return out


class MicrogradW1:
    """The W1 network as micrograd Values: forward per point, one backward per batch, then the update."""

    def __init__(self, cfg: BenchConfig, batches: int):
        from micrograd.engine import Value

        weights, data = _w1_batches(cfg, batches)
        # per layer, per neuron: (input weights, bias)
        self.layers = [[([Value(float(v)) for v in kernel[:, j]], Value(float(bias[j]))) for j in range(len(bias))]
                       for kernel, bias in zip(weights[::2], weights[1::2], strict=True)]
        self.params = [p for layer in self.layers for ws, b in layer for p in (*ws, b)]
        self.data = [([list(map(float, row)) for row in x], [float(t) for t in y[:, 0]]) for x, y in data]
        self.step = cfg.learning_rate / cfg.w1_batch

    def _output(self, point):
        values = point
        for layer in self.layers:
            values = [_tanh(sum((w * v for w, v in zip(ws, values, strict=True)), b)) for ws, b in layer]
        return values[0]

    def epoch(self):
        for points, targets in self.data:
            loss = sum(0.5 * (self._output(p) - t) ** 2 for p, t in zip(points, targets, strict=True))
            for p in self.params:
                p.grad = 0.0
            loss.backward()
            for p in self.params:
                p.data -= self.step * p.grad

    def weights(self) -> list[np.ndarray]:
        out = []
        for layer in self.layers:
            out += [np.array([[w.data for w in ws] for ws, _ in layer]).T, np.array([b.data for _, b in layer])]
        return out


W1_PEERS = {"numpy-floor": FloorW1, "torch-cpu": TorchW1, "sklearn": SklearnW1, "micrograd": MicrogradW1}
_NOTES = {
    "numpy-floor": "float64; bias in the matmul, lr folded, in place",
    "torch-cpu": "float64, autograd",
    "sklearn": "float64; logistic output + log-loss, plain SGD",
    "micrograd": "Python floats",
}


def time_peer(peer: str, workload: str, cfg: BenchConfig) -> tuple[Timing, str]:
    """Time `peer` on W1 or (torch-cpu only) W2; slow peers are timed on a sample of batches and scaled."""
    if workload == "W2" and peer == "torch-cpu":
        timing = sampled(lambda k: TorchW2(cfg, k).epoch, cfg.w2_batches, cfg.repeats, cfg.budget_s)
        return timing, join_notes("float32, autograd", sample_note(timing, f"batches of {cfg.w2_batch}"))
    if workload != "W1" or peer not in W1_PEERS:
        raise ValueError(f"{peer} has no {workload}")
    timing = sampled(lambda k: W1_PEERS[peer](cfg, k).epoch, cfg.w1_batches, cfg.repeats, cfg.budget_s)
    return timing, join_notes(_NOTES[peer], sample_note(timing, f"batches of {cfg.w1_batch}"))
