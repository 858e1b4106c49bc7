"""Every recording of the real TensorFlow Playground (`tests/fixtures/reference/trajectories/*.json`)
reproduced on every backend in float64: each epoch's loss and the final weights within 1e-9."""

from __future__ import annotations

import json

import numpy as np
import pytest

import engine
from engine.recordings import load_recording, parse_recording
from tests.fixtures import TRAJECTORIES

FILES = sorted(TRAJECTORIES.glob("*.json"))  # globbed at collection time: a new recording is a new test
TOLERANCE = 1e-9


def max_weight_error(model, recording) -> float:
    return max(float(np.abs(got - want).max())
               for got, want in zip(model.get_weights(), recording.final_weights, strict=True))


def test_there_are_recordings():
    assert FILES, f"no recordings (*.json) in {TRAJECTORIES}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_recording_is_reproduced(path, backend_name):
    recording = load_recording(path)
    model = recording.build_model(backend_name)
    trainer = recording.make_trainer(model)
    x, y = recording.points()
    losses = [trainer.loss(x, y)]
    for _ in range(recording.epochs):
        trainer.train_epoch(x, y)
        losses.append(trainer.loss(x, y))
    np.testing.assert_allclose(losses, recording.losses, rtol=0, atol=TOLERANCE)
    assert max_weight_error(model, recording) <= TOLERANCE
    for dead, kernel in zip(trainer.dead_links(), model.get_weights()[::2], strict=True):
        assert (kernel[dead] == 0).all()  # a dead link's weight is exactly 0
    assert recording.loss_error(recording.replay(backend_name)) <= TOLERANCE  # what `playground replay` runs


def _switching_replay(recording, schedule, drop_leftovers=False):
    """Train on the next backend every few epochs; returns (losses, final model, pending points at switches)."""
    per_stage = min(3, max(1, recording.epochs // len(schedule)))  # so short recordings visit every stage
    model = recording.build_model(schedule[0])
    trainer = recording.make_trainer(model)
    x, y = recording.points()
    losses, pending = [trainer.loss(x, y)], []
    for epoch in range(recording.epochs):
        name = schedule[min(epoch // per_stage, len(schedule) - 1)]
        if name != model.backend_name:
            pending.append(trainer._count)  # derivatives accumulated but not applied yet
            if drop_leftovers:
                trainer.reset_accumulators()
            trainer.to_backend(name)
        trainer.train_epoch(x, y)
        losses.append(trainer.loss(x, y))
    return losses, model, pending


def _schedule():
    # numpy 3 epochs → cpu 3 → gpu 3 → numpy for the rest (backends missing here are left out)
    return [n for n in ("numpy", "cpu", "gpu", "numpy") if n in engine.available_backends()]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_switching_backend_mid_training_reproduces_the_recording(path):
    recording = load_recording(path)
    losses, model, pending = _switching_replay(recording, _schedule())
    assert model.backend_name == "numpy" and len(pending) == len(_schedule()) - 1
    np.testing.assert_allclose(losses, recording.losses, rtol=0, atol=TOLERANCE)
    assert max_weight_error(model, recording) <= TOLERANCE


def test_switching_carries_leftover_derivatives():
    """The leftover recording does switch with points pending, and losing them would be caught."""
    recording = load_recording(TRAJECTORIES / "tanh_b7_leftover.json")
    _, _, pending = _switching_replay(recording, _schedule())
    assert any(pending)
    losses, _, _ = _switching_replay(recording, _schedule(), drop_leftovers=True)
    assert np.abs(np.array(losses) - recording.losses).max() > TOLERANCE


def test_switching_carries_dead_links():
    recording = load_recording(TRAJECTORIES / "tanh_l1_b5.json")
    model = recording.build_model("numpy")
    trainer = recording.make_trainer(model)
    x, y = recording.points()
    for _ in range(recording.epochs):
        trainer.train_epoch(x, y)
    dead = trainer.dead_links()
    assert any(d.any() for d in dead)
    for name in engine.available_backends():
        trainer.to_backend(name)
        for before, after in zip(dead, trainer.dead_links(), strict=True):
            np.testing.assert_array_equal(before, after)


# -- malformed recordings: ValueError with a one-line message naming the file
def _valid() -> dict:
    return json.loads((TRAJECTORIES / "tanh_b10.json").read_text())


def _without(key):
    def edit(d):
        del d[key]
    return edit


MALFORMED = {
    "missing_epochs": _without("epochs"),
    "missing_config_key": lambda d: d["config"].pop("batch_size"),
    "kernel_too_short": lambda d: d["initial"][0]["weights"].pop(),
    "neuron_missing": lambda d: d["final"].pop(),
    "too_few_epochs": lambda d: d["epochs"].pop(),
    "nan_loss": lambda d: d["epochs"][1].update(loss=float("nan")),
    "point_wrong_shape": lambda d: d["points"][3].append(1.0),
    "no_points": lambda d: d.update(points=[]),
    "bad_activation": lambda d: d["config"].update(activation="swish"),
    "bad_batch_size": lambda d: d["config"].update(batch_size=0),
    "bias_text": lambda d: d["initial"][2].update(bias="0.1"),
    "not_an_object": lambda d: d.clear(),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_recording_is_refused_in_one_line(name, tmp_path):
    data = _valid()
    MALFORMED[name](data)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps([] if name == "not_an_object" else data))
    with pytest.raises(ValueError) as info:
        load_recording(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message


@pytest.mark.parametrize("content", ["", "{", "[1, 2", "\xff\xfe"])
def test_unparsable_file_is_refused(content, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(ValueError, match=r"bad\.json: "):
        load_recording(path)


def test_unreadable_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        load_recording(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="cannot read"):
        load_recording(tmp_path)  # a directory


def test_valid_recording_parses():
    recording = parse_recording(_valid())
    assert recording.layer_sizes() == [2, 4, 2, 1] and len(recording.losses) == recording.epochs + 1
    assert [w.shape for w in recording.initial_weights] == [(2, 4), (4,), (4, 2), (2,), (2, 1), (1,)]
