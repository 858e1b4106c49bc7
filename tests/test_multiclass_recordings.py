"""K = 3 recordings made by an independent reference (tests/multiclass_reference.py), reproduced by every
engine: softmax + cross-entropy on integer labels, per-layer activations, L1/L2, dead links, leftovers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import engine
from engine.recordings import load_recording, parse_recording
from tests import multiclass_reference
from tests.fixtures import MULTICLASS

FILES = sorted(MULTICLASS.glob("*.json"))
TOLERANCE = 1e-9


def test_the_fixtures_are_what_the_reference_records():
    assert [p.stem for p in FILES] == sorted(multiclass_reference.RUNS)
    for path in FILES:
        assert json.loads(path.read_text(encoding="utf-8")) == multiclass_reference.record(path.stem), path.name


def _replay(recording, schedule):
    """Losses per epoch, moving to the next backend of `schedule` every 3 epochs; the model and trainer."""
    model = recording.build_model(schedule[0])
    trainer = recording.make_trainer(model)
    x, y = recording.points()
    losses = [trainer.loss(x, y)]
    for epoch in range(recording.epochs):
        name = schedule[min(epoch // 3, len(schedule) - 1)]
        if name != model.backend_name:
            trainer.to_backend(name)
        trainer.train_epoch(x, y)
        losses.append(trainer.loss(x, y))
    return losses, model, trainer


def _errors(recording, losses, model):
    loss_error = max(abs(a - b) for a, b in zip(losses, recording.losses, strict=True))
    weight_error = max(float(np.abs(got - want).max())
                       for got, want in zip(model.get_weights(), recording.final_weights, strict=True))
    return loss_error, weight_error


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_engine_reproduces_the_recording(path, backend_name):
    recording = load_recording(path)
    assert (recording.loss, recording.output_units, recording.hidden_activations[0]) == (
        "cross_entropy", 3, recording.activations[0])
    losses, model, trainer = _replay(recording, [backend_name])
    loss_error, weight_error = _errors(recording, losses, model)
    assert loss_error <= TOLERANCE and weight_error <= TOLERANCE, (loss_error, weight_error)
    assert model.activation_names == (*recording.activations, "softmax")
    dead = sum(int(d.sum()) for d in trainer.dead_links())
    assert dead == json.loads(path.read_text())["dead_links"]
    assert recording.loss_error(recording.replay(backend_name)) <= TOLERANCE  # what `playground replay` runs
    assert losses[-1] < 0.6 * losses[0]  # it learns: a stuck network would prove little


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_switching_engines_mid_training_reproduces_the_recording(path):
    schedule = [n for n in ("numpy", "cpu", "gpu", "numpy") if n in engine.available_backends()]
    recording = load_recording(path)
    losses, model, _ = _replay(recording, schedule)
    assert model.backend_name == "numpy"
    assert max(_errors(recording, losses, model)) <= TOLERANCE


def test_predictions_are_class_probabilities(backend_name):
    recording = load_recording(FILES[0])
    model = recording.build_model(backend_name)
    x, y = recording.points()
    p = model.predict(x)
    assert p.shape == (len(x), 3) and np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12) and (p > 0).all()
    np.testing.assert_array_equal(model.predict_classes(x), p.argmax(axis=1))
    trainer = recording.make_trainer(model)
    assert trainer.loss(x, y) == pytest.approx(float(np.mean(-np.log(p[np.arange(len(y)), y.astype(int)]))),
                                               rel=1e-12)


def _data(path=FILES[0]):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("change, message", [
    (lambda d: d["config"].pop("num_classes"), "num_classes"),
    (lambda d: d["config"].update(output_activation="tanh"), "needs 'softmax'"),
    (lambda d: d["config"].update(loss="hinge"), "config 'loss' is 'hinge'"),
    (lambda d: d["config"].update(activations=["relu"]), "for each of the 2 hidden layers"),
    (lambda d: d["config"].update(activations=["relu", "softmax"]), "'activations' must list"),
    (lambda d: d["points"][4].__setitem__(2, 3.0), "label must be a class 0…2"),
    (lambda d: d["points"][4].__setitem__(2, 0.5), "label must be a class 0…2"),
    (lambda d: d["config"].update(loss="square"), "softmax needs loss 'cross_entropy'"),
])
def test_bad_multiclass_recordings_say_what_is_wrong(change, message):
    data = _data()
    change(data)
    with pytest.raises(ValueError, match=message):
        parse_recording(data)


def test_square_recordings_read_as_before():
    data = _data()
    config = data["config"]
    for key in ("activations", "loss", "num_classes"):
        config.pop(key)
    config["output_activation"] = "tanh"
    data["points"] = [[x, y, 1.0 if label else -1.0] for x, y, label in data["points"]]
    data["initial"] = data["final"] = [n for n in data["initial"] if n["layer"] < 3] + [
        {"layer": 3, "bias": 0.1, "weights": [0.2] * 5}]
    recording = parse_recording(data)
    assert (recording.loss, recording.output_units, recording.hidden_activations) == ("square", 1, ("relu", "relu"))
    assert math.isfinite(recording.replay("numpy")[-1])


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_float32_replays_follow_the_recording(path, backend_name):
    """In float32 (numpy, and torch on its CPU device or a GPU) the losses stay within float32's reach of the
    float64 recording (measured: under 5e-7); the cpu backend refuses float32 and says so."""
    recording = load_recording(path)
    if backend_name == "cpu":
        with pytest.raises(ValueError, match="float64"):
            recording.replay(backend_name, "float32")
        return
    losses = recording.replay(backend_name, "float32")
    assert 0 < recording.loss_error(losses) <= 1e-5
