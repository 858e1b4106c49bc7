"""The two trainers on every backend: `MinibatchTrainer` (Sequential's batch loop behind the trainer
interface) and `PlaygroundTrainer`'s cross-entropy mode (softmax output, integer labels)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import engine
from engine import Dense, MinibatchTrainer, PlaygroundTrainer, Sequential
from engine.trainers import one_hot


def _net(backend, acts=("relu", "tanh"), out=("tanh", 1), seed=0):
    return Sequential([Dense(4, acts[0], input_dim=2), Dense(3, acts[1]), Dense(out[1], out[0])],
                      backend=backend).build(seed=seed)


def _data(n=23, classes=None, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, (n, 2))
    y = rng.integers(0, classes, n).astype(float) if classes else np.sign(rng.uniform(-1, 1, (n, 1)))
    return x, y


# -- MinibatchTrainer
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_minibatch_trainer_is_sequential_fit(backend_name, optimizer):
    x, y = _data()
    mine = _net(backend_name)
    reference = _net(backend_name)
    trainer = MinibatchTrainer(mine, optimizer, 0.05, 5)
    reference.compile(engine.optimizers.get(optimizer, 0.05), "square")
    history = reference.fit(x, y, epochs=3, batch_size=5)  # batches 5, 5, 5, 5, 3
    for epoch in range(3):
        trainer.train_epoch(x, y)
        assert trainer.loss(x, y) == pytest.approx(history[epoch], rel=1e-12)
    for got, want in zip(mine.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    assert trainer.epoch == 3 and not any(d.any() for d in trainer.dead_links())


def test_minibatch_trainer_runs_the_models_batch_loop(monkeypatch):
    calls = []
    original = Sequential.train_epoch
    monkeypatch.setattr(Sequential, "train_epoch", lambda self, *a: calls.append(a[2]) or original(self, *a))
    x, y = _data()
    MinibatchTrainer(_net("numpy"), "sgd", 0.1, 7).train_epoch(x, y)
    assert calls == [7]


def test_minibatch_trainer_moves_backend_mid_training():
    x, y = _data()
    available = [n for n in ("numpy", "cpu", "gpu") if n in engine.available_backends()]
    still, moving = (MinibatchTrainer(_net("numpy"), "adam", 0.05, 4) for _ in range(2))
    for name in available + ["numpy"]:
        moving.to_backend(name)
        moving.train_epoch(x, y)
        still.train_epoch(x, y)
    assert moving.model.backend_name == "numpy" and moving.loss(x, y) == pytest.approx(still.loss(x, y), rel=1e-10)
    moving.learning_rate = 0.5
    assert moving.model.optimizer.learning_rate == 0.5


def test_minibatch_trainer_rejects_bad_settings():
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        MinibatchTrainer(_net("numpy"), "rmsprop")
    with pytest.raises(ValueError, match="batch_size"):
        MinibatchTrainer(_net("numpy"), "sgd", 0.1, 0)
    with pytest.raises(ValueError, match="softmax output"):
        MinibatchTrainer(_net("numpy"), "sgd", 0.1, 5, loss="cross_entropy")
    with pytest.raises(ValueError, match="x has 23 rows but y has 3"):
        MinibatchTrainer(_net("numpy"), "sgd", 0.1, 5).train_epoch(_data()[0], np.ones(3))


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([[2.0], [0.0], [1.0]]), 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert one_hot(np.array([1, 0]), 2).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    for bad, where in (([0, 1.5], "y[1] is 1.5"), ([3, 0], "y[0] is 3.0"), ([0, -1], "y[1] is -1.0")):
        with pytest.raises(ValueError, match=rf"class labels 0…2; {re.escape(where)}"):
            one_hot(np.array(bad, dtype=float), 3)


# -- PlaygroundTrainer with cross-entropy (softmax output, integer labels)
def _softmax_net(backend, dtype="float64", seed=0):
    return Sequential([Dense(5, "relu", input_dim=2), Dense(4, "tanh"), Dense(3, "softmax")],
                      backend=backend, dtype=dtype).build(seed=seed)


def test_cross_entropy_training_matches_torch_autograd(backend_name):
    """23 points, batches of 5: every epoch ends with 3 points whose sums join the next epoch's first batch."""
    torch = pytest.importorskip("torch")
    x, labels = _data(23, classes=3)
    model = _softmax_net(backend_name)
    trainer = PlaygroundTrainer(model, 0.2, "none", 0.0, 5, loss="cross_entropy")
    start = model.get_weights()
    for _ in range(4):
        trainer.train_epoch(x, labels)
    params = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in start]
    xt, yt = torch.tensor(x), torch.tensor(labels.astype(np.int64))
    pending, count = None, 0
    for _ in range(4):
        for i in range(len(x)):  # point by point, exactly as the rule reads
            h = torch.relu(xt[i:i + 1] @ params[0] + params[1])
            h = torch.tanh(h @ params[2] + params[3])
            loss = torch.nn.functional.cross_entropy(h @ params[4] + params[5], yt[i:i + 1], reduction="sum")
            g = torch.autograd.grad(loss, params)
            pending = list(g) if pending is None else [a + b for a, b in zip(pending, g, strict=True)]
            count += 1
            if (i + 1) % 5 == 0:
                with torch.no_grad():
                    for p, s in zip(params, pending, strict=True):
                        p -= (0.2 / count) * s
                pending, count = None, 0
    for got, want in zip(model.get_weights(), params, strict=True):
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-10, atol=1e-12)
    probs = torch.softmax(torch.tanh(torch.relu(xt @ params[0] + params[1]) @ params[2] + params[3]) @ params[4]
                          + params[5], dim=1)
    want_loss = float(torch.nn.functional.nll_loss(torch.log(probs), yt).detach())
    assert trainer.loss(x, labels) == pytest.approx(want_loss, rel=1e-12)


def test_cross_entropy_with_l1_kills_links_and_keeps_them_dead(backend_name):
    x, labels = _data(30, classes=3)
    model = _softmax_net(backend_name)
    trainer = PlaygroundTrainer(model, 0.3, "L1", 0.03, 7, loss="cross_entropy")
    for _ in range(5):
        trainer.train_epoch(x, labels)
    dead = trainer.dead_links()
    assert sum(int(d.sum()) for d in dead) > 0
    for mask, kernel in zip(dead, model.get_weights()[::2], strict=True):
        assert (kernel[mask] == 0).all()


def test_labels_as_a_column_or_a_row_and_as_floats_train_alike(backend_name):
    x, labels = _data(17, classes=3)
    results = []
    for y in (labels, labels[:, None], labels.astype(np.int64)):
        model = _softmax_net(backend_name)
        trainer = PlaygroundTrainer(model, 0.1, "L2", 0.01, 4, loss="cross_entropy")
        trainer.train_epoch(x, y)
        results.append((trainer.loss(x, y), model.get_weights()))
    for loss, weights in results[1:]:
        assert loss == results[0][0]
        for got, want in zip(weights, results[0][1], strict=True):
            np.testing.assert_array_equal(got, want)


def test_cross_entropy_in_float32_tracks_float64(backend_name):
    x, labels = _data(40, classes=3)
    if backend_name == "cpu":  # Python floats: float64 only, and it says so
        with pytest.raises(ValueError, match="float64"):
            _softmax_net(backend_name, "float32")
        return
    losses = {}
    for precision in ("float64", "float32"):
        trainer = PlaygroundTrainer(_softmax_net(backend_name, precision), 0.1, "L2", 0.001, 6, loss="cross_entropy")
        for _ in range(5):
            trainer.train_epoch(x, labels)
        losses[precision] = trainer.loss(x, labels)
    assert losses["float32"] != losses["float64"]  # it did compute in float32
    assert losses["float32"] == pytest.approx(losses["float64"], rel=1e-5)


@pytest.mark.parametrize("layers, message", [
    ([Dense(3, "tanh", input_dim=2), Dense(3, "tanh")], "needs a softmax output layer of 2 or more units"),
    ([Dense(3, "tanh", input_dim=2), Dense(1, "softmax")], "needs a softmax output layer of 2 or more units"),
])
def test_cross_entropy_needs_a_softmax_output_of_k_units(layers, message):
    with pytest.raises(ValueError, match=message):
        PlaygroundTrainer(Sequential(layers).build(seed=0), loss="cross_entropy")
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        PlaygroundTrainer(Sequential(layers).build(seed=0), loss="hinge")


def test_softmax_is_only_an_output_layer():
    with pytest.raises(ValueError, match="softmax can only be the output layer's activation"):
        Sequential([Dense(3, "softmax", input_dim=2), Dense(3, "softmax")])


def test_bad_labels_say_which_point(backend_name):
    trainer = PlaygroundTrainer(_softmax_net(backend_name), loss="cross_entropy")
    x = np.zeros((3, 2))
    with pytest.raises(ValueError, match=re.escape("class labels 0…2; y[2] is 3.0")):
        trainer.train_epoch(x, np.array([0.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="x has 3 rows but y has 2"):
        trainer.train_epoch(x, np.array([0.0, 2.0]))


# -- per-layer activations reach the kernels, in both trainers and after a switch of backend
class KernelSpy:
    """Records the activation names every forward and gradient kernel of the backend in use is given."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.seen = monkeypatch, []

    def watch(self, backend):
        for kernel, acts_arg in (("dense_forward", 2), ("network_gradients", 3)):
            original = getattr(type(backend), kernel)

            def spy(*args, _original=original, _kernel=kernel, _i=acts_arg, _be=backend):
                self.seen.append((_be.name, _kernel, args[_i]))
                return _original(_be, *args)

            self.monkeypatch.setattr(backend, kernel, spy, raising=False)


@pytest.mark.parametrize("make", ["playground", "minibatch"])
def test_mixed_activations_reach_every_backends_kernels(monkeypatch, make):
    names = [n for n in ("numpy", "cpu", "gpu") if n in engine.available_backends()]
    spy = KernelSpy(monkeypatch)
    for name in names:
        spy.watch(engine.get_backend(name, "float64"))
    model = Sequential([Dense(4, "relu", input_dim=2), Dense(4, "tanh"), Dense(3, "sigmoid"), Dense(3, "softmax")],
                       backend=names[0]).build(seed=3)
    trainer = (PlaygroundTrainer(model, 0.1, "none", 0, 5, loss="cross_entropy") if make == "playground"
               else MinibatchTrainer(model, "adam", 0.01, 5, loss="cross_entropy"))
    x, labels = _data(12, classes=3)
    for name in names:
        trainer.to_backend(name)
        trainer.train_epoch(x, labels)
        trainer.loss(x, labels)
    acts = ("relu", "tanh", "sigmoid", "softmax")
    for name in names:
        assert (name, "network_gradients", acts) in spy.seen, name
        forwards = [act for be, kernel, act in spy.seen if be == name and kernel == "dense_forward"]
        # the loss's forward pass (and on cpu and gpu the gradient's, kernel by kernel), layer by layer
        assert forwards and forwards == list(acts) * (len(forwards) // len(acts)), (name, forwards)
    assert {be for be, _, _ in spy.seen} == set(names)


def test_mixed_activations_train_differently_from_uniform_ones(backend_name):
    x, labels = _data(20, classes=3)
    final = {}
    for acts in (("relu", "tanh"), ("relu", "relu"), ("tanh", "tanh")):
        model = Sequential([Dense(4, acts[0], input_dim=2), Dense(4, acts[1]), Dense(3, "softmax")],
                           backend=backend_name).build(seed=5)
        trainer = PlaygroundTrainer(model, 0.1, "none", 0, 5, loss="cross_entropy")
        for _ in range(3):
            trainer.train_epoch(x, labels)
        final[acts] = trainer.loss(x, labels)
    assert len(set(final.values())) == 3, final
