"""The headless experiment against an independent per-point port of the playground (tests/playground_reference.py).

(Learning rates of 1 and more make these nets chaotic: a 1-ulp difference in a sum grows to 1e-2 within a
few epochs, whichever order of operations is used, so the spread stays at rates where results are stable.)
A spread of settings covering every dataset, noise level, ratio, batch sizes that leave points over,
regularization, activation, problem type, 0–6 hidden layers and feature sets; losses after every epoch
must agree within 1e-9, and so must the final weights.
"""

from __future__ import annotations

import json
import zlib

import numpy as np
import pytest

from playground.data import datasets
from playground.domain.experiment import Experiment, enabled_features
from playground.domain.features import FEATURES
from tests.fixtures import REFERENCE
from tests.playground_reference import run_playground

CASES = [
    dict(dataset="circle", noise=0, perc_train_data=50, batch_size=10),
    dict(dataset="xor", noise=25, perc_train_data=30, batch_size=7, x_times_y=True, network_shape=[]),
    dict(dataset="gauss", noise=50, perc_train_data=90, batch_size=30, activation="linear", network_shape=[3]),
    dict(dataset="spiral", noise=10, perc_train_data=70, batch_size=1, activation="relu",
         network_shape=[8, 8, 5, 4, 3, 2], sin_x=True, sin_y=True),
    dict(dataset="circle", noise=80, perc_train_data=10, batch_size=3, activation="sigmoid",
         x_squared=True, y_squared=True, x=False, y=False),
    dict(dataset="xor", regularization="L1", regularization_rate=0.3, learning_rate=0.3, batch_size=4),
    dict(dataset="gauss", regularization="L2", regularization_rate=0.1, learning_rate=1.0, batch_size=11),
    dict(dataset="moons", noise=15, batch_size=9, network_shape=[6, 6, 6]),
    dict(dataset="checkerboard", noise=5, batch_size=13, network_shape=[8, 8, 8, 8, 8, 8]),
    dict(problem="regression", reg_dataset="reg-plane", noise=20, batch_size=10, network_shape=[2]),
    dict(problem="regression", reg_dataset="reg-gauss", noise=0, perc_train_data=60, batch_size=17,
         network_shape=[8, 8], regularization="L1", regularization_rate=0.01, learning_rate=0.1),
    dict(dataset="spiral", init_zero=True, batch_size=10, network_shape=[4]),
    dict(dataset="circle", learning_rate=0.3, activation="relu", regularization="L1", regularization_rate=0.03,
         batch_size=6, x_times_y=True, sin_y=True, network_shape=[5, 1]),
]


def _oracle(experiment_settings: dict, epochs: int):
    """Regenerate the data from the seed and train it with the per-point port."""
    exp_state = Experiment(**experiment_settings).state
    problem = exp_state.problem
    name = exp_state.reg_dataset if problem == "regression" else exp_state.dataset
    train, test, rand = datasets.generate(problem, name, exp_state.noise, exp_state.perc_train_data, exp_state.seed)
    features = enabled_features(exp_state)
    return run_playground(
        [tuple(p) for p in train.tolist()], [tuple(p) for p in test.tolist()], features,
        exp_state.network_shape, exp_state.activation, problem, exp_state.regularization,
        exp_state.regularization_rate, exp_state.learning_rate, exp_state.batch_size, exp_state.init_zero,
        rand.random, epochs)


def _weights(network):
    """The oracle's weights in Keras order, for comparison with `model.get_weights()`."""
    out = []
    for layer in network[1:]:
        out.append(np.array([[link.weight for link in node.input_links] for node in layer]).T.reshape(-1, len(layer)))
        out.append(np.array([node.bias for node in layer]))
    return out


@pytest.mark.parametrize("engine_name", ["numpy", "cpu"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_experiment_matches_per_point_playground(case, engine_name):
    seed = f"0.{zlib.crc32(json.dumps(case, sort_keys=True).encode()) % 100000:05d}"
    settings = dict(case, seed=seed, engine=engine_name)
    epochs = 3
    experiment = Experiment(**settings)
    experiment.step(epochs)
    network, history = _oracle(settings, epochs)
    got = [(h["train_loss"], h["test_loss"]) for h in experiment.history]
    assert len(got) == epochs + 1
    np.testing.assert_allclose(got, history, rtol=0, atol=1e-9)
    for ours, theirs in zip(experiment.model.get_weights(), _weights(network), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


def test_default_link_recording_pipeline():
    recording = json.loads((REFERENCE / "tfp_circle_default.json").read_text())
    config = recording["config"]
    features = {name: name in config["features"] for name in ("x", "y")}
    experiment = Experiment(seed=config["seed"], dataset=config["dataset"], network_shape=config["networkShape"],
                            **features)
    assert len(experiment.train) == recording["n_train"]
    assert experiment.train[:3].tolist() == recording["first_train_points"]
    assert experiment.model.get_weights()[0][:, 0].tolist() == recording["first_weights"]
    experiment.step(config["epochs"])
    got = [(h["train_loss"], h["test_loss"]) for h in experiment.history]
    want = [(e["train_loss"], e["test_loss"]) for e in recording["epochs"]]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_reset_continues_the_random_stream_and_regenerate_keeps_network():
    experiment = Experiment(seed="0.12345")
    first = experiment.model.get_weights()
    experiment.reset()
    second = experiment.model.get_weights()
    assert not np.array_equal(first[0], second[0])  # new draws from the same stream, not a reseed
    reseeded = Experiment(seed="0.12345").model.get_weights()
    np.testing.assert_array_equal(first[0], reseeded[0])
    old_train, old_seed = experiment.train.copy(), experiment.state.seed
    experiment.regenerate()
    assert experiment.state.seed != old_seed and not np.array_equal(experiment.train, old_train)
    np.testing.assert_array_equal(experiment.model.get_weights()[0], second[0])


def test_apply_follows_the_playground_consequences():
    experiment = Experiment(seed="0.5")
    weights = experiment.model.get_weights()[0].copy()
    assert experiment.apply(learning_rate=0.1) == "live"
    np.testing.assert_array_equal(experiment.model.get_weights()[0], weights)
    assert experiment.trainer.learning_rate == 0.1
    seed = experiment.state.seed
    assert experiment.apply(activation="relu") == "reset"
    assert experiment.state.seed == seed and experiment.epoch == 0
    assert experiment.apply(noise=20) == "regenerate"
    assert experiment.state.seed != seed
    assert experiment.apply(x_squared=True) == "reset"
    assert experiment.model.input_dim == 3
    with pytest.raises(ValueError, match="unknown setting"):
        experiment.apply(colour="red")


def test_feature_order_is_the_playgrounds():
    assert list(FEATURES) == ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"]
