"""Any link, however malformed, yields a valid, trainable experiment plus warnings, never an exception."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.domain.experiment import Experiment
from tests.test_links import PAIRS


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAIRS, st.sampled_from(["", "#", "https://playground.tensorflow.org/#"]))
def test_any_link_builds_a_trainable_experiment(pairs, prefix):
    link = prefix + "&".join(f"{k}={v}" for k, v in pairs)
    experiment = Experiment.from_link(link)
    assert all(isinstance(w, str) and w for w in experiment.warnings)
    n_inputs = experiment.model.input_dim
    assert experiment.x_train.shape == (len(experiment.train), n_inputs)
    assert len(experiment.train) + len(experiment.test) in (0, 500, 1200)
    experiment.step()
    train_loss, test_loss = experiment.losses()
    assert experiment.epoch == 1 and len(experiment.history) == 2
    assert isinstance(train_loss, float) and isinstance(test_loss, float)
    assert not math.isnan(experiment.history[0]["train_loss"])


def test_user_dataset_from_a_link_has_no_points_yet():
    experiment = Experiment.from_link("#dataset=user&seed=0.1")
    assert len(experiment.train) == 0
    experiment.step()
    assert experiment.losses() == (0.0, 0.0)


def test_no_input_features_still_trains_the_biases():
    experiment = Experiment.from_link("#x=false&y=false&seed=0.2")
    assert experiment.model.input_dim == 0
    before = experiment.losses()
    experiment.step(5)
    assert experiment.losses() != before
