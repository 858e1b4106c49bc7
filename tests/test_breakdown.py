"""Training pauses by itself only when the loss is no longer finite; a collapsed network is a notice, once."""

from __future__ import annotations

import numpy as np
import pytest

from playground.domain.breakdown import COLLAPSE_EPOCHS
from playground.domain.experiment import Experiment

from .test_session import make_session, pump_until

HEALTHY_EPOCHS = 300


def first_breakdown(link: str, epochs: int) -> tuple[int, str] | None:
    experiment = Experiment.from_link(link)
    for _ in range(epochs):
        experiment.step()
        found = experiment.diagnosis()
        if found is not None:
            return experiment.epoch, found.message
    return None


@pytest.mark.parametrize("seed", ["0.59704", "0.1", "0.2", "0.3"])
def test_learning_rate_10_relu_spiral_collapses_and_says_so(seed):
    # The playground's network does not overflow here: its ReLUs die or its tanh output pins at ±1.
    found = first_breakdown(f"#dataset=spiral&activation=relu&learningRate=10&seed={seed}", 100)
    assert found is not None, "lr 10 relu on spiral should be reported as collapsed"
    epoch, reason = found
    assert epoch >= COLLAPSE_EPOCHS
    assert reason.startswith(f"The network collapsed at epoch {epoch}: ")
    assert "Training goes on" in reason
    assert "What usually fixes it: a smaller learning rate (10 is too large" in reason and "Reset" in reason


def test_the_collapse_is_real_the_output_no_longer_tells_points_apart():
    experiment = Experiment.from_link("#dataset=spiral&activation=relu&learningRate=10&seed=0.59704")
    experiment.step(20)
    assert experiment.collapsed
    best_constant = 0.5 * float(np.var(experiment.y_train))  # the least loss of any constant output
    for _ in range(2):
        out = experiment.predict(experiment.x_train)
        assert out.max() - out.min() <= 1e-12 or np.all(np.abs(out) > 1 - 1e-6)
        assert experiment.history[-1]["train_loss"] >= best_constant
        experiment.step(200)  # training on does not bring it back: that is what the notice says


HEALTHY = [
    "",  # the default link
    *(f"#dataset={d}&activation=tanh&learningRate={lr}&seed={s}"
      for d in ("xor", "circle", "gauss", "spiral") for lr in (0.03, 3) for s in ("0.59704", "0.77")),
    "#problem=regression&regDataset=reg-plane&learningRate=0.01&seed=0.59704",
    "#problem=regression&regDataset=reg-gauss&learningRate=0.01&seed=0.59704",
    "#problem=regression&regDataset=reg-gauss&activation=relu&learningRate=0.01&seed=0.59704",
    "#activation=linear&networkShape=&seed=0.59704",
    "#activation=linear&networkShape=&learningRate=3&dataset=gauss&seed=0.59704",
    "#activation=linear&dataset=circle&learningRate=1&seed=0.1",  # settles on a constant output: not a collapse
    "#activation=relu&initZero=true&seed=0.5",  # dead from the start: the zero-init lesson, not a breakdown
    "#activation=relu&learningRate=0.03&dataset=spiral&networkShape=8,8,8,8,8,8&seed=0.59704",
]


@pytest.mark.parametrize("link", HEALTHY)
def test_healthy_runs_are_never_stopped(link):
    assert first_breakdown(link, HEALTHY_EPOCHS) is None


def test_regression_that_overflows_still_reports_a_non_finite_loss():
    found = first_breakdown("#problem=regression&regDataset=reg-gauss&activation=relu&learningRate=10"
                            "&seed=0.59704", 100)
    assert found is not None
    assert found[1].startswith(f"Training paused at epoch {found[0]}: the loss is no longer finite (")
    assert "NaN" in found[1] or "infinite" in found[1]


def test_reset_clears_a_collapse():
    experiment = Experiment.from_link("#dataset=spiral&activation=relu&learningRate=10&seed=0.59704")
    experiment.step(20)
    assert experiment.collapsed
    experiment.set_learning_rate(0.03)
    experiment.reset()
    assert experiment.diagnosis() is None
    experiment.step(COLLAPSE_EPOCHS + 5)
    assert experiment.diagnosis() is None


def test_a_collapse_is_reported_once_and_training_goes_on():
    experiment = Experiment.from_link("#dataset=spiral&activation=relu&learningRate=10&seed=0.59704")
    reports = []
    for _ in range(100):
        experiment.step()
        found = experiment.diagnosis()
        if found is not None:
            reports.append(found.message)
    assert len(reports) == 1 and experiment.collapsed


def test_a_session_goes_on_training_after_a_collapse_with_one_notice():
    session, doc, frames = make_session(dataset="spiral", activation="relu", learning_rate=10.0)
    try:
        session.play()
        pump_until(doc, lambda: any(m.startswith("The network collapsed") for f in frames for m in f.messages))
        collapsed_at = session.experiment.epoch
        pump_until(doc, lambda: frames and frames[-1].epoch > collapsed_at + 50)
        assert session.playing and session.worker_alive and frames[-1].playing
        messages = [m for f in frames for m in f.messages]
        assert sum(m.startswith("The network collapsed") for m in messages) == 1, messages
    finally:
        session.destroy()


def test_a_session_pauses_on_a_loss_that_is_not_finite_naming_the_epoch():
    session, doc, frames = make_session(problem="regression", network_shape=[], learning_rate=3.0)
    try:
        session.play()
        pump_until(doc, lambda: frames and not frames[-1].playing and session.experiment.epoch > 0)
        session._worker.join(20)
        assert not session.worker_alive and not session.playing
        messages = [m for f in frames for m in f.messages]
        paused = [m for m in messages if m.startswith("Training paused at epoch ")]
        assert paused == [f"Training paused at epoch {session.experiment.epoch}: the loss is no longer finite "
                          f"({'NaN' if 'NaN' in paused[0] else 'infinite'}), so there is nothing more to see. "
                          "Lower the learning rate and press Reset."], messages
        session.reset()
        doc.pump()
        assert frames[-1].epoch == 0
        session.state.learning_rate = 0.03
        session.play()  # sane settings train again
        pump_until(doc, lambda: frames and frames[-1].epoch > 20)
        assert session.experiment.loss_is_finite
    finally:
        session.destroy()
