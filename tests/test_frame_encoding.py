"""The compact frame the network canvas draws: what goes in comes out, and it is small."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from playground.domain.experiment import Experiment
from playground.domain.state import ExperimentState, copy_state
from playground.live.frame_encoding import decode_frame, encode_frame, encode_points, frame_id_and_weights
from playground.live.frames import FrameBuilder


def _frame(**state):
    return FrameBuilder().build(Experiment(ExperimentState(seed="0.59704", **state)))


def test_round_trip_keeps_the_network_and_every_value():
    frame = _frame(network_shape=[4, 2], x_squared=True, sin_y=True, activations=["relu", "sigmoid"])
    text = encode_frame(frame)
    decoded = decode_frame(text)
    assert decoded["frame_id"] == frame.frame_id
    assert frame_id_and_weights(text) == (frame.frame_id, decoded["weights"].tobytes())
    assert decoded["features"] == ("x", "y", "xSquared", "sinY") == frame.topology.features
    assert (decoded["layers"], decoded["activations"]) == ((4, 2), ("relu", "sigmoid"))
    assert (decoded["outputs"], decoded["output_activation"], decoded["discretize"]) == (1, "tanh", False)
    np.testing.assert_array_equal(decoded["weights"], frame.weights)
    np.testing.assert_array_equal(decoded["biases"], frame.biases)
    np.testing.assert_array_equal(decoded["dead"], frame.dead)


@pytest.mark.parametrize(("link", "outputs", "activation", "discretize"), [
    ("#discretize=true&seed=1", 1, "tanh", True),
    ("#problem=regression&discretize=true&seed=1", 1, "linear", False),  # a regression's picture has no sides
    ("#loss=cross-entropy&seed=1", 1, "sigmoid", False),
    ("#dataset=spiral&numClasses=3&discretize=true&seed=1", 3, "softmax", True)])
def test_the_record_says_how_the_output_is_drawn(link, outputs, activation, discretize):
    experiment = Experiment.from_link(link)
    decoded = decode_frame(encode_frame(FrameBuilder().build(experiment)))
    assert (decoded["outputs"], decoded["output_activation"], decoded["discretize"]) == (outputs, activation, discretize)
    assert experiment.spec.output_activation == activation


def test_default_link_frame_is_a_few_hundred_bytes():
    frame = _frame(network_shape=[4, 2])
    assert len(encode_frame(frame)) < 400  # the default network: 18 links, 7 biases, no pictures


def test_a_frame_of_another_version_is_refused():
    frame_id, _, record = encode_frame(_frame()).partition(":")
    raw = bytearray(base64.b64decode(record))
    raw[0] = 3
    with pytest.raises(ValueError, match="version 3, expected 4"):
        decode_frame(f"{frame_id}:{base64.b64encode(bytes(raw)).decode()}")


def test_points_carry_which_are_test_points():
    train, test = np.array([[1.0, 2.0, 1.0]]), np.array([[-1.0, -2.0, -1.0], [0.5, 0.5, 1.0]])
    rows = np.frombuffer(base64.b64decode(encode_points(train, test)), "<f4").reshape(-1, 4)
    np.testing.assert_array_equal(rows, [[1, 2, 1, 0], [-1, -2, -1, 1], [0.5, 0.5, 1, 1]])


def _drawn_anew(experiment: Experiment):
    """A frame of `experiment`'s network computed from nothing kept: another experiment, the same weights."""
    twin = Experiment(copy_state(experiment.state))
    twin.model.set_weights(experiment.model.get_weights())
    return FrameBuilder().build(twin)


@pytest.mark.parametrize("link", ["#seed=0.59704",  # tanh output, the trainer's square loss
                                  "#loss=cross-entropy&networkShape=3&seed=1",  # sigmoid: the playground's loss
                                  "#dataset=spiral&numClasses=3&seed=1"])  # softmax, cross-entropy
def test_accuracy_reads_the_loss_pass_of_the_same_weights_and_predicts_only_after_other_changes(link, monkeypatch):
    experiment = Experiment.from_link(link)
    experiment.step(3)
    predictions = []
    predict = experiment.predict
    monkeypatch.setattr(experiment, "predict", lambda x: predictions.append(len(x)) or predict(x))
    fresh = _drawn_anew(experiment).accuracy  # another experiment, the same weights, predicting afresh
    assert experiment.accuracy() == fresh and predictions == []  # the epoch's loss pass had the outputs
    weights = experiment.model.get_weights()
    weights[-1][0] += 5.0  # changed behind the loss pass's back: predicted again, not read from it
    experiment.model.set_weights(weights)
    changed = experiment.accuracy()
    assert predictions == [len(experiment.x_train), len(experiment.x_test)]
    assert changed == _drawn_anew(experiment).accuracy
