"""The compact frame the network canvas draws: what goes in comes out, and it is small."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from playground.domain.experiment import GRID_DENSITY, Experiment, grid_points
from playground.domain.features import FEATURES, feature_matrix
from playground.domain.state import ExperimentState, copy_state
from playground.live import frame_encoding
from playground.live.frame_encoding import (
    FrameEncoder,
    decode_frame,
    encode_frame,
    encode_points,
    frame_id_and_weights,
)
from playground.live.frames import (
    THUMBNAIL_SIZE,
    FrameBuilder,
    feature_grids,
    feature_images,
    thumbnails,
    to_codes,
)


def _frame(detail=None, **state):
    experiment = Experiment(ExperimentState(seed="0.59704", **state))
    builder = FrameBuilder()
    builder.detail = detail
    return builder.build(experiment)


def test_round_trip_keeps_every_array():
    frame = _frame(network_shape=[4, 2])
    decoded = decode_frame(encode_frame(frame))
    assert decoded["frame_id"] == frame.frame_id
    assert frame_id_and_weights(encode_frame(frame)) == (frame.frame_id, decoded["weights"].tobytes())
    np.testing.assert_array_equal(decoded["output"], frame.output_image)
    np.testing.assert_array_equal(decoded["thumbnails"], np.stack(frame.neuron_images))
    np.testing.assert_array_equal(decoded["weights"], frame.weights)
    np.testing.assert_array_equal(decoded["biases"], frame.biases)
    np.testing.assert_array_equal(decoded["dead"], frame.dead)
    assert frame.detail is None and decoded["detail"] is None


def test_a_hovered_neuron_travels_at_full_resolution_and_its_thumbnail_is_its_block_mean():
    experiment = Experiment(ExperimentState(seed="0.59704", network_shape=[4, 2]))
    builder = FrameBuilder()
    builder.detail = ("neuron", 4)  # after layer 1's four: layer 2's first neuron
    frame = builder.build(experiment)
    kind, index, codes = decode_frame(encode_frame(frame))["detail"]
    assert (kind, index, codes.shape) == ("neuron", 4, (100, 100))
    grid = experiment.grid_outputs()[2][0]
    np.testing.assert_array_equal(codes, to_codes(grid))
    np.testing.assert_array_equal(frame.neuron_images[4], to_codes(thumbnails(grid[None]))[0])
    assert len(encode_frame(frame)) < 12 * 1024  # only while a node is hovered


def test_a_hovered_input_is_its_feature_over_the_grid():
    frame = _frame(detail=("input", 2), network_shape=[4, 2])
    kind, index, codes = frame.detail
    assert (kind, index, codes.shape) == ("input", 2, (100, 100))
    name = list(FEATURES)[2]
    values = feature_matrix(grid_points(), [name])[:, 0].reshape(GRID_DENSITY, GRID_DENSITY)
    np.testing.assert_array_equal(codes, to_codes(values))
    np.testing.assert_array_equal(feature_images()[name], to_codes(thumbnails(values[None]))[0])


def test_a_hovered_node_that_is_not_there_sends_nothing():
    assert _frame(detail=("neuron", 99), network_shape=[4, 2]).detail is None
    assert _frame(detail=("input", -1), network_shape=[4, 2]).detail is None


def test_default_link_frame_fits_the_per_frame_budget():
    frame = _frame(network_shape=[4, 2])
    assert len(frame.neuron_images) == 7 and frame.neuron_images[0].shape == (THUMBNAIL_SIZE, THUMBNAIL_SIZE)
    assert len(encode_frame(frame)) < 6 * 1024  # the budget for a whole frame on the default link


def test_thumbnails_are_block_means():
    grid = np.arange(100 * 100, dtype=np.float32).reshape(1, 100, 100)
    small = thumbnails(grid)
    assert small.shape == (1, 10, 10)
    assert small[0, 0, 0] == grid[0, :10, :10].mean()
    assert small[0, 9, 9] == grid[0, 90:, 90:].mean()


def test_codes_span_the_palette_bottom_row_first_and_a_diverged_value_is_the_middle():
    values = np.array([[-2.0, -1.0, 0.0], [1.0, 5.0, np.nan]], dtype=np.float32)  # top row first
    codes = to_codes(values)
    assert codes.tolist() == [[255, 255, 128], [0, 0, 128]]  # rows flipped; clipped to -1..1; NaN as 0
    assert to_codes(values, discretize=True).tolist() == [[255, 255, 0], [0, 0, 255]]
    levels = np.linspace(-1, 1, 256, dtype=np.float32)[None, :]  # the palette's 256 steps, each its own code
    assert to_codes(levels)[0].tolist() == list(range(256))
    assert values[1, 2] != values[1, 2]  # the input is left as it was


def test_points_carry_which_are_test_points():
    import base64
    train, test = np.array([[1.0, 2.0, 1.0]]), np.array([[-1.0, -2.0, -1.0], [0.5, 0.5, 1.0]])
    rows = np.frombuffer(base64.b64decode(encode_points(train, test)), "<f4").reshape(-1, 4)
    np.testing.assert_array_equal(rows, [[1, 2, 1, 0], [-1, -2, -1, 1], [0.5, 0.5, 1, 1]])


def _drawn_anew(experiment: Experiment):
    """A frame of `experiment`'s network computed from nothing kept: another experiment, the same weights."""
    twin = Experiment(copy_state(experiment.state))
    twin.model.set_weights(experiment.model.get_weights())
    return FrameBuilder().build(twin)


def test_a_frame_between_epochs_reuses_its_pictures_and_any_change_draws_them_again():
    experiment = Experiment(ExperimentState(seed="0.59704", network_shape=[4, 2]))
    builder = FrameBuilder()
    first = builder.build(experiment)
    again = builder.build(experiment)
    assert again.output_image is first.output_image and again.accuracy == first.accuracy  # nothing recomputed
    changes = {"an epoch": experiment.step, "a weight": lambda: experiment.set_weight(0, 0, 0, 3.0),
               "a bias": lambda: experiment.set_bias(0, 1, -2.0),
               "discretized": lambda: setattr(experiment.state, "discretize", True)}
    before = first
    for name, change in changes.items():
        change()
        frame, fresh = builder.build(experiment), _drawn_anew(experiment)
        assert not np.array_equal(fresh.output_image, before.output_image), f"{name} changed nothing to draw"
        np.testing.assert_array_equal(frame.output_image, fresh.output_image, err_msg=name)
        np.testing.assert_array_equal(np.stack(frame.neuron_images), np.stack(fresh.neuron_images), err_msg=name)
        assert frame.accuracy == fresh.accuracy, name
        before = frame


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


def test_a_frame_showing_what_the_last_one_showed_reuses_its_record_and_keeps_its_own_id(monkeypatch):
    experiment = Experiment(ExperimentState(seed="0.59704", network_shape=[4, 2]))
    builder, encoder = FrameBuilder(), FrameEncoder()
    deflated = []
    monkeypatch.setattr(frame_encoding, "_record_text",
                        lambda frame, real=frame_encoding._record_text: deflated.append(frame.frame_id) or real(frame))
    first, again = builder.build(experiment), builder.build(experiment)  # no epoch between them
    texts = [encoder.encode(first), encoder.encode(again)]
    assert deflated == [first.frame_id]
    assert [decode_frame(t)["frame_id"] for t in texts] == [first.frame_id, again.frame_id]
    assert texts[1] == encode_frame(again)  # what it would have been, deflated again
    experiment.step()
    trained = builder.build(experiment)
    deflated.clear()
    assert decode_frame(encoder.encode(trained))["weights"].tobytes() == trained.weights.tobytes()
    assert deflated == [trained.frame_id]


def test_a_frame_with_the_same_pictures_but_other_values_is_deflated_again():
    experiment = Experiment(ExperimentState(seed="0.59704", network_shape=[4, 2]))
    builder, encoder = FrameBuilder(), FrameEncoder()
    frame = builder.build(experiment)
    encoder.encode(frame)
    for changed in ({"weights": frame.weights + 1}, {"biases": frame.biases + 1}, {"dead": ~frame.dead},
                    {"detail": ("input", 1, feature_grids()[1])}):
        other = dataclasses.replace(frame, frame_id=builder.next_id(), **changed)
        assert encoder.encode(other) == encode_frame(other)
