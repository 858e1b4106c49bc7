"""The two trainers on every backend: `MinibatchTrainer` (Sequential's batch loop behind the trainer
interface) and `PlaygroundTrainer`'s cross-entropy mode (softmax output, integer labels)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import engine
from engine import Dense, MinibatchTrainer, Sequential
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
