"""The compact frame the network canvas draws: what goes in comes out, and it is small."""

from __future__ import annotations

import numpy as np

from playground.experiment import Experiment
from playground.frame_encoding import decode_frame, encode_frame, encode_points, frame_id_of
from playground.frames import THUMBNAIL_SIZE, FrameBuilder, thumbnails
from playground.state import ExperimentState


def _frame(**state):
    experiment = Experiment(ExperimentState(seed="0.59704", **state))
    return FrameBuilder().build(experiment)


def test_round_trip_keeps_every_array():
    frame = _frame(network_shape=[4, 2])
    decoded = decode_frame(encode_frame(frame))
    assert decoded["frame_id"] == frame.frame_id == frame_id_of(encode_frame(frame))
    np.testing.assert_array_equal(decoded["output"], frame.output_image)
    np.testing.assert_array_equal(decoded["thumbnails"], np.stack(frame.neuron_images))
    np.testing.assert_array_equal(decoded["weights"], frame.weights)
    np.testing.assert_array_equal(decoded["biases"], frame.biases)
    np.testing.assert_array_equal(decoded["dead"], frame.dead)


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


def test_points_carry_which_are_test_points():
    import base64
    train, test = np.array([[1.0, 2.0, 1.0]]), np.array([[-1.0, -2.0, -1.0], [0.5, 0.5, 1.0]])
    rows = np.frombuffer(base64.b64decode(encode_points(train, test)), "<f4").reshape(-1, 4)
    np.testing.assert_array_equal(rows, [[1, 2, 1, 0], [-1, -2, -1, 1], [0.5, 0.5, 1, 1]])
